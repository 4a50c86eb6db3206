package verticles;

import common.Addresses;
import data.TranscriptRepository;
import data.UsageRepository;
import handlers.ChooseCaptionLanguageHandler;
import handlers.GetTranscriptHandler;
import handlers.GetUsageHandler;
import handlers.MeetingAccess;
import handlers.ProcessCaptionHandler;
import handlers.RecordUsageHandler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;

/**
 * The AI bridge: recognised segments become captions (safety, translation, publication, transcript),
 * AI work is metered, caption languages chosen, transcripts and usage served.
 */
public final class AiBridgeVerticle extends VerticleBase {

  private final Services services;

  public AiBridgeVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    MeetingAccess access = new MeetingAccess(services.meetings());
    return Future.all(
      eb.consumer(Addresses.CAPTIONS_LANGUAGE, new ChooseCaptionLanguageHandler(access, services.presence(),
        services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.TRANSCRIPT_GET, new GetTranscriptHandler(access, new TranscriptRepository(services.db()))).completion(),
      eb.consumer(Addresses.USAGE_GET, new GetUsageHandler(new UsageRepository(services.db()))).completion(),
      eb.<JsonObject>consumer(Addresses.AI_USAGE, new RecordUsageHandler(new UsageRepository(services.db()), services.metrics(),
        services.ai().pricing())).completion(),
      eb.<JsonObject>consumer(Addresses.AI_CAPTION, new ProcessCaptionHandler(eb, services.ai().safety(),
        services.ai().builtInSafety(), services.ai().translator(), services.policies(), services.presence(),
        new TranscriptRepository(services.db()), services.metrics(),
        services.config().getJsonObject("ai").getJsonObject("translation").getLong("timeoutMs", 2000L), services.openTelemetry())).completion());
  }
}
