package verticles;

import common.Addresses;
import config.Section;
import data.ServerRecordingRepository;
import data.TranscriptRepository;
import handlers.MeetingAccess;
import handlers.recordings.ProcessRecordingsJob;
import handlers.recordings.RecordingTools;
import handlers.recordings.RetryServerRecordingHandler;
import handlers.recordings.StartServerRecordingHandler;
import handlers.recordings.StopServerRecordingHandler;
import handlers.storage.MeetingExports;
import handlers.storage.ObjectAccess;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;

/** Server recordings: the start/stop/retry addresses and this node's processing worker ({@code recordings.server.*}). */
public final class RecordingVerticle extends VerticleBase {

  /** The {@code recordings.server} settings. */
  record Settings(String format, long mediaTimeoutMs, String janusPpRec, String ffmpeg, String ffprobe,
                  ProcessRecordingsJob.Settings job) {

    static Settings parse(JsonObject config) {
      Section server = Section.of(config, "recordings").section("server");
      return new Settings(server.choice("format", List.of("mp4", "webm", "audio")), server.longValue("mediaTimeoutMs", 500, 120_000),
        server.string("janusPpRec"), server.string("ffmpeg"), server.string("ffprobe"),
        new ProcessRecordingsJob.Settings(server.integer("concurrency", 1, 16), server.longValue("pollMs", 100, 600_000),
          server.longValue("staleSeconds", 5, 86_400), server.integer("maxAttempts", 1, 100), server.bool("keepSources"),
          server.longValue("maxBytes", 1, Long.MAX_VALUE), server.integer("width", 160, 3840), server.integer("height", 90, 2160),
          server.integer("fps", 1, 60), server.choice("preset", List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")),
          server.integer("crf", 0, 51), server.integer("audioKbps", 16, 512), server.longValue("stepTimeoutSeconds", 5, 86_400) * 1000));
    }
  }

  /** Where Janus writes a recording's files and where they are composed, under the data folder. */
  static Path root(JsonObject config) {
    return Path.of(Section.of(config, "data").string("dir")).toAbsolutePath().normalize().resolve("recordings");
  }

  private final Services services;
  private final RecordingTools tools;
  private ProcessRecordingsJob job;

  public RecordingVerticle(Services services, RecordingTools tools) {
    this.services = services;
    this.tools = tools;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    MeetingAccess access = new MeetingAccess(services.meetings());
    ServerRecordingRepository recordings = new ServerRecordingRepository(services.db());
    Path root = root(services.config());
    List<Future<?>> consumers = List.of(
      eb.consumer(Addresses.SERVER_RECORDING_START, new StartServerRecordingHandler(access, recordings, vertx, services.media(),
        tools, root.resolve("janus"), settings.format(), settings.mediaTimeoutMs())).completion(),
      eb.consumer(Addresses.SERVER_RECORDING_STOP, new StopServerRecordingHandler(access, recordings, eb,
        settings.mediaTimeoutMs())).completion(),
      eb.consumer(Addresses.SERVER_RECORDING_RETRY, new RetryServerRecordingHandler(access, recordings, eb)).completion());
    if (tools.missing() == null) {
      Storage storage = services.storage();
      job = new ProcessRecordingsJob(vertx, recordings, storage.objects(), new TranscriptRepository(services.db()),
        new MeetingExports(vertx, new ObjectAccess(access, storage.objects()), storage.store()), storage.store(), tools,
        settings.job(), root.resolve("work"));
      consumers = new java.util.ArrayList<>(consumers);
      consumers.add(eb.consumer(Addresses.SERVER_RECORDING_JOBS, m -> job.poke()).completion());
    }
    return Future.all(consumers).onSuccess(v -> {
      if (job != null) {
        job.start();
      }
    });
  }

  @Override
  public Future<?> stop() {
    return job == null ? Future.succeededFuture() : job.stop();
  }
}
