package handlers.collab;

import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Base64;
import java.util.UUID;

/**
 * {@code parley.notes.state}: {@code {meetingId}} -> {@code {seq, state, text}}: the whole notes
 * document as of {@code seq} (base64 of Automerge's saved form, which a client loads, then applying
 * what {@code meeting.{id}.notes} publishes after {@code seq}) and its text; members (present or
 * past) only. Every client starts from this, so that all edit the same text object.
 */
public final class LoadNotesHandler extends RequestHandler {

  private final MeetingAccess access;
  private final SharedNotes notes;

  public LoadNotesHandler(MeetingAccess access, SharedNotes notes) {
    this.access = access;
    this.notes = notes;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireMember(caller, id)
      .compose(m -> notes.load(caller.tenant(), id))
      .map(loaded -> new JsonObject().put("seq", loaded.seq())
        .put("state", Base64.getEncoder().encodeToString(loaded.state())).put("text", loaded.text()));
  }
}
