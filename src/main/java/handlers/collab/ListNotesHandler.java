package handlers.collab;

import data.NotesRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.notes.history}: {@code {meetingId, after?, limit?}} -> {@code {updates, lastSeq,
 * more}}: the notes' updates with {@code seq > after} in order, each {@code {seq, senderId,
 * senderName, update, ts}} as {@code meeting.{id}.notes} published it; members (present or past)
 * only. A client that missed some (a gap in seq, a reconnect) applies these to what it has.
 */
public final class ListNotesHandler extends RequestHandler {

  private final MeetingAccess access;
  private final NotesRepository repository;
  private final int maxPage;

  public ListNotesHandler(MeetingAccess access, NotesRepository repository, int maxPage) {
    this.access = access;
    this.repository = repository;
    this.maxPage = maxPage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    SeqPage page = SeqPage.of(body, maxPage);
    return access.requireMember(caller, id)
      .compose(m -> repository.history(caller.tenant(), id, page.after(), page.limit()))
      .map(updates -> {
        JsonArray out = new JsonArray();
        updates.forEach(u -> out.add(u.json()));
        return page.answer("updates", out);
      });
  }
}
