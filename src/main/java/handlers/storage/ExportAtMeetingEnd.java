package handlers.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * What a meeting's end writes with its files (the transcript, poll results, the whiteboard):
 * {@code parley.meeting.ended} runs {@link #export}; what it did is logged, and a failure is logged
 * and loses nothing else (the data stays in the database).
 */
public abstract class ExportAtMeetingEnd implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(ExportAtMeetingEnd.class);

  protected final MeetingExports exports;
  private final String what;

  /** {@code what} names the export in the log ("transcript", "polls"). */
  protected ExportAtMeetingEnd(MeetingExports exports, String what) {
    this.exports = exports;
    this.what = what;
  }

  @Override
  public final void handle(Message<Object> message) {
    MeetingEnded.of(message, LOG).ifPresent(ended -> export(ended.tenant(), ended.meetingId())
      .onSuccess(n -> {
        if (n > 0) {
          LOG.info("Meeting {}: {} exported ({} items)", ended.meetingId(), what, n);
          exported(ended, n);
        }
      })
      .onFailure(err -> LOG.warn("Meeting {}: {} export failed: {}", ended.meetingId(), what, MeetingEnded.why(err))));
  }

  /** Writes the meeting's files; how many items they hold, 0 when there was nothing to write. */
  protected abstract Future<Integer> export(String tenant, UUID meetingId);

  /** After an export of {@code items} (more than 0) items. */
  protected void exported(MeetingEnded ended, int items) {
  }
}
