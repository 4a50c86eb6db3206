package handlers.collab;

import data.WhiteboardRepository;
import handlers.storage.ExportAtMeetingEnd;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code parley.meeting.ended}: the whiteboard as its operations left it, rendered on a worker
 * thread to {@code whiteboard.svg} and {@code whiteboard.png} and listed with the meeting's files
 * ({@code kind: whiteboard}). Nothing is written for a board nobody drew on.
 */
public final class ExportWhiteboardHandler extends ExportAtMeetingEnd {

  private static final int PAGE = 5000;

  private final WhiteboardRepository board;
  private final int width;
  private final int height;

  public ExportWhiteboardHandler(WhiteboardRepository board, MeetingExports exports, int width, int height) {
    super(exports, "whiteboard");
    this.board = board;
    this.width = width;
    this.height = height;
  }

  @Override
  protected Future<Integer> export(String tenant, UUID meetingId) {
    return all(tenant, meetingId, 0, new ArrayList<>()).compose(ops -> {
      if (ops.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return exports.vertx().executeBlocking(() -> {
          List<JsonObject> drawn = RenderWhiteboard.visible(ops);
          return new Buffer[]{Buffer.buffer(RenderWhiteboard.svg(drawn, width, height)),
            Buffer.buffer(RenderWhiteboard.png(drawn, width, height))};
        }, false)
        .compose(files -> Future.all(
          exports.put(tenant, meetingId, "whiteboard", "whiteboard.svg", "image/svg+xml", files[0]),
          exports.put(tenant, meetingId, "whiteboard", "whiteboard.png", "image/png", files[1])))
        .map(v -> ops.size());
    });
  }

  private Future<List<JsonObject>> all(String tenant, UUID meetingId, long after, List<JsonObject> into) {
    return board.history(tenant, meetingId, after, PAGE).compose(page -> {
      page.forEach(o -> into.add((JsonObject) o));
      return page.size() < PAGE ? Future.succeededFuture(into)
        : all(tenant, meetingId, page.getJsonObject(page.size() - 1).getLong("seq"), into);
    });
  }
}
