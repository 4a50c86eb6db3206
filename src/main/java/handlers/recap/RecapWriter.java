package handlers.recap;

import ai.Summarizer;
import ai.summary.Recap;
import data.RecapRepository;
import data.RecapRepository.MeetingInfo;
import handlers.AiUsage;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes a meeting's recap once: claims it (so that a reader and the meeting's end never both call
 * the provider), reads the transcript and chat, asks the configured summarizer (the offline one if
 * that fails), meters the work, stores the result and exports it as {@code recap.md} beside the
 * transcript. Empty when someone else holds the claim or the recap is written already. A failed
 * export is logged; the recap stays readable.
 */
final class RecapWriter {

  private static final Logger LOG = LoggerFactory.getLogger(RecapWriter.class);

  private final RecapRepository recaps;
  private final Summarizer summarizer;
  private final Summarizer offline;
  private final AiUsage usage;
  private final ParleyMetrics metrics;
  private final MeetingExports exports;

  RecapWriter(RecapRepository recaps, Summarizer summarizer, Summarizer offline, AiUsage usage, ParleyMetrics metrics,
              MeetingExports exports) {
    this.exports = exports;
    this.recaps = recaps;
    this.summarizer = summarizer;
    this.offline = offline;
    this.usage = usage;
    this.metrics = metrics;
  }

  Future<Optional<Recap>> write(String tenant, UUID meetingId, MeetingInfo meeting) {
    return recaps.claim(tenant, meetingId).compose(claimed -> {
      if (!claimed) {
        return Future.succeededFuture(Optional.<Recap>empty());
      }
      return recaps.text(tenant, meetingId, meeting, "en")
        .compose(text -> summarize(summarizer, text)
          .recover(err -> {
            if (summarizer == offline) {
              return Future.failedFuture(err);
            }
            LOG.warn("Meeting {}: the {} summarizer failed, the offline one writes the recap: {}", meetingId,
              summarizer.provider(), err.getMessage());
            return summarize(offline, text);
          }))
        .compose(recap -> {
          if (recap.units() > 0) {
            usage.record(tenant, meetingId, "summary", recap.provider(), recap.units(), recap.unit());
          }
          return recaps.save(tenant, meetingId, recap).map(v -> recap);
        })
        .recover(err -> recaps.release(tenant, meetingId).transform(v -> Future.failedFuture(err)))
        .compose(recap -> {
          LOG.info("Meeting {}: recap written by the {} summarizer ({} key points, {} decisions, {} action items)", meetingId,
            recap.provider(), recap.keyPoints().size(), recap.decisions().size(), recap.actionItems().size());
          return exports.put(tenant, meetingId, "recap.md", "text/markdown",
              Buffer.buffer(RecapMarkdown.render(meeting.title(), recap)))
            .onFailure(err -> LOG.warn("Meeting {}: recap.md could not be exported: {}", meetingId, err.getMessage()))
            .transform(ar -> Future.succeededFuture(Optional.of(recap)));
        });
    });
  }

  private Future<Recap> summarize(Summarizer provider, ai.summary.MeetingText text) {
    long started = System.nanoTime();
    return provider.summarize(text).onComplete(ar -> metrics.aiRequest("summary", provider.provider(),
      ar.succeeded() ? "success" : "error", Duration.ofNanos(System.nanoTime() - started)));
  }
}
