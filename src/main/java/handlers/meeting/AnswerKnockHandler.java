package handlers.meeting;

import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * The lobby's answer, given by a host or co-host: {@code parley.meeting.admit} lets in someone who
 * waits (or was denied, or removed), who then may join; {@code parley.meeting.deny} turns away
 * someone who waits (they may knock again later). They hear {@code admitted} or {@code denied} on
 * their lobby address; everyone else hears {@code {type: admitted|denied, userId, name, by}}.
 */
public final class AnswerKnockHandler extends RequestHandler {

  /** Which answer this handler gives. */
  public enum Answer {
    ADMITTED("admitted"), DENIED("denied");

    private final String word;

    Answer(String word) {
      this.word = word;
    }
  }

  private final Answer answer;
  private final MeetingAccess access;
  private final RoomRepository room;
  private final MeetingEvents events;

  public AnswerKnockHandler(Answer answer, MeetingAccess access, RoomRepository room, MeetingEvents events) {
    this.answer = answer;
    this.access = access;
    this.room = room;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String userId = Inputs.personId(body, "userId");
    String word = answer.word;
    return access.requireRunningRoom(caller, id)
      .compose(m -> answer == Answer.ADMITTED ? room.admit(caller, id, userId) : room.deny(caller, id, userId))
      .map(person -> {
        events.answerKnock(id, userId, word, caller.userId());
        events.publish(id, word, new JsonObject().put("userId", userId).put("name", person.name()).put("by", caller.userId()));
        return new JsonObject().put("userId", userId).put("name", person.name()).put("status", word);
      });
  }
}
