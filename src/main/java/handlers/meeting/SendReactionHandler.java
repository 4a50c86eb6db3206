package handlers.meeting;

import common.ParleyException;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.List;
import java.util.UUID;

/**
 * {@code meeting.reaction}: {@code {meetingId, emoji}} from someone present; everyone sees
 * {@code {type: reaction, userId, name, emoji}} on {@code meeting.{id}}. Nothing is stored. The
 * gateway limits how often one socket may react ({@code reactions.ratePerSecond}, 429).
 */
public final class SendReactionHandler extends RequestHandler {

  /** The reactions on offer. */
  public static final List<String> REACTIONS = List.of("👍", "👏", "❤️", "😂", "😮", "🎉", "🙏", "👋");

  private final MeetingAccess access;
  private final MeetingEvents events;

  public SendReactionHandler(MeetingAccess access, MeetingEvents events) {
    this.access = access;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String emoji = Inputs.requiredString(body, "emoji", 16);
    if (!REACTIONS.contains(emoji)) {
      throw ParleyException.badRequest("emoji must be one of " + String.join(" ", REACTIONS));
    }
    return access.requirePresent(caller, id).map(m -> {
      events.publish(id, "reaction", new JsonObject().put("userId", caller.userId()).put("name", caller.name()).put("emoji", emoji));
      return new JsonObject();
    });
  }
}
