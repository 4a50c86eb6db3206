package handlers.collab;

import data.WhiteboardRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.whiteboard.history}: {@code {meetingId, after?, limit?}} -> {@code {ops, lastSeq,
 * more}}: the operations with {@code seq > after} in order; members (present or past) only. A page
 * replayed in order from 0 rebuilds the board.
 */
public final class ListWhiteboardHandler extends RequestHandler {

  private final MeetingAccess access;
  private final WhiteboardRepository board;
  private final int maxPage;

  public ListWhiteboardHandler(MeetingAccess access, WhiteboardRepository board, int maxPage) {
    this.access = access;
    this.board = board;
    this.maxPage = maxPage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    SeqPage page = SeqPage.of(body, maxPage);
    return access.requireMember(caller, id)
      .compose(m -> board.history(caller.tenant(), id, page.after(), page.limit()))
      .map(ops -> page.answer("ops", ops));
  }
}
