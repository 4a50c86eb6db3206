package handlers.media;

import common.ParleyException;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;

import java.time.Duration;
import java.util.UUID;

/**
 * {@code media.report}: what a page measured of its own media, for the dashboards: the time from
 * opening the meeting to the first remote video frame ({@code parley_media_first_frame_seconds}).
 */
public final class ReportMediaHandler extends MediaRequest {

  private final ParleyMetrics metrics;

  public ReportMediaHandler(MeetingAccess access, MediaRooms rooms, ParleyMetrics metrics) {
    super(access, rooms, "report");
    this.metrics = metrics;
  }

  @Override
  protected void check(JsonObject body) {
    if (MediaInputs.millis(body, "firstFrameMs") == null) {
      throw ParleyException.badRequest("firstFrameMs is required");
    }
  }

  @Override
  protected Future<JsonObject> run(Identity caller, UUID meetingId, JsonObject body) {
    metrics.mediaFirstFrame(rooms.sfu() ? "sfu" : "mesh", Duration.ofMillis(MediaInputs.millis(body, "firstFrameMs")));
    return Future.succeededFuture(new JsonObject());
  }
}
