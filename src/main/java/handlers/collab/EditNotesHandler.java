package handlers.collab;

import common.Addresses;
import common.ParleyException;
import data.NotesRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Base64;
import java.util.UUID;

/**
 * {@code notes.update} (bridge): {@code {meetingId, clientId, update}} by someone present -> {@code
 * {seq, duplicate}}. {@code update} is base64 of one or more Automerge changes to the meeting's
 * notes; it is checked ({@link SharedNotes#accept}), stored with the meeting's next notes {@code seq}
 * and published on {@code meeting.{id}.notes} as {@code {kind: update, seq, senderId, senderName,
 * update, ts}}. Idempotent on {@code clientId}: a retry answers with the first one's seq.
 */
public final class EditNotesHandler extends RequestHandler {

  private final MeetingAccess access;
  private final NotesRepository repository;
  private final SharedNotes notes;
  private final EventBus eventBus;

  public EditNotesHandler(MeetingAccess access, NotesRepository repository, SharedNotes notes, EventBus eventBus) {
    this.access = access;
    this.repository = repository;
    this.notes = notes;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String clientId = Inputs.requiredString(body, "clientId", 64);
    if (!clientId.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw ParleyException.badRequest("clientId must be 1-64 letters, digits or _.:-");
    }
    byte[] changes = changes(body.getValue("update"), notes.limits().maxUpdateBytes());
    return repository.byClientId(caller, meetingId, clientId).compose(earlier -> {
      if (earlier.isPresent()) {
        return Future.succeededFuture(reply(earlier.get().seq(), true));
      }
      return access.requirePresent(caller, meetingId)
        .compose(m -> notes.accept(caller.tenant(), meetingId, changes))
        // taken into the cached copy but not stored: the copy goes
        .compose(v -> repository.append(caller, meetingId, clientId, changes).onFailure(err -> notes.forget(meetingId)))
        .map(stored -> {
          if (stored.created()) {
            notes.stored(meetingId, stored.update().seq());
            eventBus.publish(Addresses.meetingNotes(meetingId), stored.update().json().put("kind", "update"));
          }
          return reply(stored.update().seq(), !stored.created());
        });
    });
  }

  private static JsonObject reply(long seq, boolean duplicate) {
    return new JsonObject().put("seq", seq).put("duplicate", duplicate);
  }

  /** The update's bytes: 400 when it is not non-empty base64, 413 above {@code max} bytes. */
  static byte[] changes(Object raw, int max) {
    if (!(raw instanceof String s) || s.isEmpty()) {
      throw ParleyException.badRequest("update must be a non-empty base64 string of Automerge changes");
    }
    if (s.length() > (max + 2) / 3 * 4 + 4) {
      throw ParleyException.tooLarge("an update is at most " + max + " bytes");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw ParleyException.badRequest("update must be base64");
    }
    if (bytes.length == 0) {
      throw ParleyException.badRequest("update must be a non-empty base64 string of Automerge changes");
    }
    if (bytes.length > max) {
      throw ParleyException.tooLarge("an update is at most " + max + " bytes");
    }
    return bytes;
  }
}
