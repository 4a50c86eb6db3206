package verticles;

import common.Addresses;
import config.Section;
import data.TranscriptRepository;
import handlers.MeetingAccess;
import handlers.captions.ChooseCaptionLanguageHandler;
import handlers.captions.GetTranscriptHandler;
import handlers.captions.ProcessCaptionHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The AI bridge: recognised segments become captions (safety, translation, publication,
 * transcript); caption languages are chosen and transcripts served.
 */
public final class AiBridgeVerticle extends VerticleBase {

  /** The {@code ai.translation} settings the caption path needs. */
  record Settings(long translationTimeoutMs) {

    static Settings parse(JsonObject config) {
      return new Settings(Section.of(config, "ai.translation").longValue("timeoutMs", 1, 600_000));
    }
  }

  private final Services services;

  public AiBridgeVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    MeetingAccess access = new MeetingAccess(services.meetings());
    TranscriptRepository transcripts = new TranscriptRepository(services.db());
    return Future.all(
      eb.consumer(Addresses.CAPTIONS_LANGUAGE, new ChooseCaptionLanguageHandler(access, services.presence(),
        services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.TRANSCRIPT_GET, new GetTranscriptHandler(access, transcripts)).completion(),
      eb.<JsonObject>consumer(Addresses.AI_CAPTION, new ProcessCaptionHandler(eb, services.moderator(),
        services.ai().translator(), services.policies(), services.presence(), transcripts, services.metrics(),
        settings.translationTimeoutMs(), services.openTelemetry())).completion());
  }
}
