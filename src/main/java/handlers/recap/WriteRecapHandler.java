package handlers.recap;

import ai.Summarizer;
import data.RecapRepository;
import handlers.AiUsage;
import handlers.storage.MeetingEnded;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.util.UUID;

/**
 * {@code parley.meeting.ended}: the meeting's recap is written (see {@link RecapWriter}), stored with
 * its transcript and exported as {@code recap.md} beside {@code transcript.json} and
 * {@code transcript.vtt} ({@code kind: transcript}), unless a reader got there first and wrote it. A
 * meeting with no transcript and no chat gets an empty recap. Failures are logged; a reader of the
 * recap then writes it on demand.
 */
public final class WriteRecapHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(WriteRecapHandler.class);

  private final RecapRepository recaps;
  private final RecapWriter writer;

  public WriteRecapHandler(RecapRepository recaps, Summarizer summarizer, Summarizer offline, AiUsage usage,
                           ParleyMetrics metrics, MeetingExports exports) {
    this.recaps = recaps;
    this.writer = new RecapWriter(recaps, summarizer, offline, usage, metrics, exports);
  }

  @Override
  public void handle(Message<Object> message) {
    MeetingEnded.of(message, LOG).ifPresent(ended -> write(ended.tenant(), ended.meetingId())
      .onFailure(err -> LOG.warn("Meeting {}: recap failed: {}", ended.meetingId(), MeetingEnded.why(err))));
  }

  Future<Void> write(String tenant, UUID meetingId) {
    return recaps.meeting(tenant, meetingId).compose(meeting -> {
      if (meeting.isEmpty()) {
        return Future.succeededFuture();
      }
      return writer.write(tenant, meetingId, meeting.get()).mapEmpty();
    });
  }
}
