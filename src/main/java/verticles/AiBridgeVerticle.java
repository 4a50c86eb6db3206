package verticles;

import common.Addresses;
import data.TranscriptRepository;
import data.UsageRepository;
import handlers.ChooseCaptionLanguageHandler;
import handlers.GetTranscriptHandler;
import handlers.GetUsageHandler;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;

/** Captions: language choices, the transcript, AI usage; wires event-bus addresses to handlers. */
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
      eb.consumer(Addresses.USAGE_GET, new GetUsageHandler(new UsageRepository(services.db()))).completion());
  }
}
