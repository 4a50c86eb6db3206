package handlers.recordings;

import common.Addresses;
import data.ServerRecordingRepository;
import data.ServerRecordingRepository.ServerRecording;
import data.StoredObjectRepository;
import data.StoredObjectRepository.NewObject;
import data.TranscriptRepository;
import data.blob.BlobKey;
import data.blob.BlobStore;
import handlers.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's recording worker: claims stopped recordings from PostgreSQL one at a time ({@code
 * FOR UPDATE SKIP LOCKED}, so each is processed by exactly one node) while fewer than
 * {@code concurrency} run here, composes each on a bounded worker pool (off the event loop), keeps
 * its claim fresh while it runs (a claim left stale by a node that died is taken again: processing
 * resumes after a restart), stores the file in the blob store's hot tier (and the captions of its
 * time span as WebVTT beside it), and marks it ready, or failed with the reason. Each poll also
 * stops the recordings of meetings that have ended. Confined to the verticle's event loop.
 */
public final class ProcessRecordingsJob {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRecordingsJob.class);
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH.mm").withZone(ZoneOffset.UTC);

  /** The worker's settings ({@code recordings.server.*}). */
  public record Settings(int concurrency, long pollMs, long staleSeconds, int maxAttempts, boolean keepSources, long maxBytes,
                         int width, int height, int fps, String preset, int crf, int audioKbps, long stepTimeoutMs) {

    RecordingComposer.Settings compose() {
      return new RecordingComposer.Settings(width, height, fps, preset, crf, audioKbps, stepTimeoutMs);
    }
  }

  private final Vertx vertx;
  private final ServerRecordingRepository recordings;
  private final StoredObjectRepository objects;
  private final TranscriptRepository transcripts;
  private final handlers.storage.MeetingExports exports;
  private final BlobStore store;
  private final RecordingComposer composer;
  private final Settings settings;
  private final Path workRoot;
  private final String node = "node-" + UUID.randomUUID();
  private final WorkerExecutor pool;
  private int running;
  private boolean claiming;
  private boolean stopped;
  private long timer = -1;
  /** The job running now per recording id, so that stopping the verticle stops its programs. */
  private final java.util.Map<UUID, AtomicReference<Process>> programs = new java.util.HashMap<>();

  public ProcessRecordingsJob(Vertx vertx, ServerRecordingRepository recordings, StoredObjectRepository objects,
                              TranscriptRepository transcripts, handlers.storage.MeetingExports exports, BlobStore store, RecordingTools tools, Settings settings, Path workRoot) {
    this.vertx = vertx;
    this.recordings = recordings;
    this.objects = objects;
    this.transcripts = transcripts;
    this.exports = exports;
    this.store = store;
    this.composer = new RecordingComposer(tools, settings.compose());
    this.settings = settings;
    this.workRoot = workRoot;
    this.pool = vertx.createSharedWorkerExecutor("parley-recordings", settings.concurrency(), 6, java.util.concurrent.TimeUnit.HOURS);
  }

  /** Polls every {@code pollMs}; {@link #poke()} looks at once. */
  public void start() {
    timer = vertx.setPeriodic(settings.pollMs(), t -> poke());
    poke();
  }

  /**
   * Stops claiming; programs running here are stopped and their jobs given back, so that another
   * node (or this one, restarted) takes them at once. A node that dies without stopping leaves its
   * claims to go stale ({@code staleSeconds}), and they are taken then.
   */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> releases = new ArrayList<>();
    programs.forEach((id, p) -> {
      Process process = p.get();
      if (process != null) {
        process.destroy();
      }
      releases.add(recordings.release(id, node).otherwiseEmpty());
    });
    return Future.join(releases).transform(ar -> pool.close());
  }

  /** Stops recordings of ended meetings, then claims jobs while there is room. */
  public void poke() {
    if (stopped || claiming) {
      return;
    }
    claiming = true;
    recordings.stopEnded()
      .onSuccess(ended -> ended.forEach(e -> announce(UUID.fromString(e.getString("meetingId")), e.getString("id"), "processing",
        null)))
      .otherwise(err -> {
        LOG.debug("Could not stop the recordings of ended meetings: {}", err.getMessage());
        return null;
      })
      .compose(v -> claimWhileRoom())
      .onComplete(ar -> {
        claiming = false;
        if (ar.failed()) {
          LOG.debug("Could not claim a recording job: {}", ar.cause().getMessage());
        }
      });
  }

  private Future<Void> claimWhileRoom() {
    if (stopped || running >= settings.concurrency()) {
      return Future.succeededFuture();
    }
    return recordings.claim(node, settings.staleSeconds()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      ServerRecording job = found.get();
      running++;
      process(job).onComplete(ar -> {
        running--;
        programs.remove(job.id());
        poke();
      });
      return claimWhileRoom();
    });
  }

  private Future<Void> process(ServerRecording job) {
    if (job.attempts() > settings.maxAttempts()) {
      return fail(job, "processing was interrupted " + (job.attempts() - 1) + " times (a node stopped while composing it); retry it");
    }
    LOG.info("Processing server recording {} of meeting {} (attempt {})", job.id(), job.meetingId(), job.attempts());
    AtomicInteger percent = new AtomicInteger();
    AtomicInteger saved = new AtomicInteger(-1);
    AtomicBoolean lost = new AtomicBoolean();
    AtomicReference<Process> program = new AtomicReference<>();
    programs.put(job.id(), program);
    // the claim is refreshed with the percent: often enough that it never looks stale while this node works
    long beat = vertx.setPeriodic(Math.max(500, Math.min(2_000, settings.staleSeconds() * 1000 / 3)), t -> {
      int now = percent.get();
      recordings.progress(job.id(), node, now).onSuccess(ours -> {
        if (!ours && lost.compareAndSet(false, true)) {
          LOG.warn("Server recording {} is no longer this node's job: stopping its processing", job.id());
          Process p = program.get();
          if (p != null) {
            p.destroyForcibly();
          }
        } else if (ours && saved.getAndSet(now) != now) {
          announce(job.meetingId(), job.id().toString(), "processing", new JsonObject().put("percent", now));
        }
      });
    });
    Path work = workRoot.resolve(job.id().toString());
    return pool.<RecordingComposer.Result>executeBlocking(() -> {
        common.Folders.deleteRecursively(work);
        return composer.compose(Path.of(job.sourceDir()), work, job.format(), percent::set, program);
      }, false)
      .compose(result -> lost.get() ? Future.failedFuture(new IllegalStateException("taken by another node")) : store(job, result))
      .compose(ready -> {
        vertx.cancelTimer(beat);
        if (ready.isEmpty()) {
          return Future.<Void>succeededFuture(); // no longer ours (retried or taken): nothing to announce
        }
        ServerRecording r = ready.get();
        LOG.info("Server recording {} is ready ({} ms)", r.id(), r.durationMs());
        announce(r.meetingId(), r.id().toString(), "ready", null);
        Webhooks.emit(vertx.eventBus(), r.tenant(), "recording.ready", new JsonObject().put("meetingId", r.meetingId().toString())
          .put("recordingId", r.id().toString()).put("source", "server").put("durationMs", r.durationMs()));
        return settings.keepSources() ? Future.<Void>succeededFuture()
          : pool.<Void>executeBlocking(() -> {
            common.Folders.deleteRecursively(work);
            common.Folders.deleteRecursively(Path.of(job.sourceDir()));
            return null;
          }, false).otherwiseEmpty();
      })
      .recover(err -> {
        vertx.cancelTimer(beat);
        if (lost.get()) {
          return Future.succeededFuture();
        }
        if (stopped) {
          // this node is stopping (its programs were stopped): the job is given back, not failed
          LOG.info("Server recording {} is given back for another node (this one is stopping)", job.id());
          return recordings.release(job.id(), node).otherwiseEmpty();
        }
        String reason = err instanceof RecordingComposer.Failed ? err.getMessage()
          : "processing failed: " + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage());
        return fail(job, reason);
      });
  }

  private Future<Void> fail(ServerRecording job, String reason) {
    LOG.warn("Server recording {} failed: {}", job.id(), reason);
    return recordings.failed(job.id(), node, reason).onSuccess(row -> row.ifPresent(r ->
      announce(r.meetingId(), r.id().toString(), "failed", new JsonObject().put("reason", reason)))).mapEmpty();
  }

  /** The composed file to the hot tier as the recording's stored object (same id), the captions beside it; then ready. */
  private Future<Optional<ServerRecording>> store(ServerRecording job, RecordingComposer.Result result) {
    BlobKey key = new BlobKey(job.tenant(), job.meetingId().toString(), BlobKey.Kind.RECORDINGS, job.id().toString());
    String name = "Recording " + NAME_TIME.format(job.startedAt().toInstant()) + "." + result.extension();
    return vertx.fileSystem().open(result.file().toString(), new OpenOptions().setRead(true))
      .compose(file -> store.put(key, file, result.contentType(), settings.maxBytes()).eventually(file::close))
      .compose(info -> objects.insert(new NewObject(job.id(), job.tenant(), job.meetingId(), "recording", key.path(), name,
        result.contentType(), info.size(), info.sha256(), job.startedBy(), job.startedByName(), true))
        .recover(err -> err instanceof common.ParleyException pe && pe.status() == 409
          ? Future.succeededFuture() : Future.failedFuture(err))) // stored by an earlier attempt that stopped before "ready"
      .compose(o -> captions(job, result).otherwise(err -> {
        LOG.warn("The captions of server recording {} were not stored: {}", job.id(), err.getMessage());
        return null;
      }))
      .compose(captionsId -> recordings.ready(job.id(), node, result.durationMs(), captionsId));
  }

  /** The captions spoken while it recorded, timed from the recording's first frame, as a WebVTT transcript object; null when none. */
  private Future<UUID> captions(ServerRecording job, RecordingComposer.Result result) {
    Instant from = Instant.ofEpochMilli(result.startUs() / 1000);
    Instant to = from.plusMillis(result.durationMs());
    return transcripts.segments(job.tenant(), job.meetingId()).compose(all -> {
      JsonArray cues = new JsonArray();
      for (Object o : all) {
        JsonObject s = (JsonObject) o;
        Instant end = Instant.parse(s.getString("at"));
        long length = Math.max(0, s.getLong("endMs", 0L) - s.getLong("startMs", 0L));
        Instant begin = end.minusMillis(length);
        if (end.isBefore(from) || begin.isAfter(to)) {
          continue;
        }
        cues.add(s.copy().put("startMs", Math.max(0, begin.toEpochMilli() - from.toEpochMilli()))
          .put("endMs", Math.max(0, end.toEpochMilli() - from.toEpochMilli())));
      }
      if (cues.isEmpty()) {
        return Future.succeededFuture(null);
      }
      return exports.put(job.tenant(), job.meetingId(), "Recording " + NAME_TIME.format(job.startedAt().toInstant()) + " captions.vtt",
        "text/vtt", Buffer.buffer(handlers.captions.TranscriptFormats.vtt(cues, null))).map(o -> o.id());
    });
  }

  /** {@code {type: recording, status, recordingId, ...}} on {@code meeting.{id}}: every page shows it. */
  private void announce(UUID meetingId, String recordingId, String status, JsonObject more) {
    JsonObject event = (more == null ? new JsonObject() : more.copy()).put("type", "recording").put("status", status)
      .put("recordingId", recordingId).put("source", "server").put("ts", Instant.now().toString());
    vertx.eventBus().publish(Addresses.meeting(meetingId), event);
  }
}
