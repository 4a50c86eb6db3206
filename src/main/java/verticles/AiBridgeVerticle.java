package verticles;

import common.Addresses;
import config.Section;
import data.RecapRepository;
import data.SearchRepository;
import data.TranscriptRepository;
import handlers.AiUsage;
import handlers.MeetingAccess;
import handlers.captions.ChooseCaptionLanguageHandler;
import handlers.captions.GetTranscriptHandler;
import handlers.captions.ListLanguagesHandler;
import handlers.captions.ProcessCaptionHandler;
import handlers.recap.GetRecapHandler;
import handlers.storage.MeetingExports;
import handlers.storage.ObjectAccess;
import handlers.search.SearchMeetingsHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * The AI bridge: recognised segments become captions (safety, translation, publication,
 * transcript); caption languages are listed and chosen, transcripts and recaps served, and meetings
 * searched.
 */
public final class AiBridgeVerticle extends VerticleBase {

  /** The {@code ai.translation} and {@code ai.stt} settings the caption path needs, and the {@code search} limits. */
  record Settings(long translationTimeoutMs, long sentencePauseMs, int maxQueryLength, int defaultLimit, int maxLimit) {

    static Settings parse(JsonObject config) {
      Section search = Section.of(config, "search");
      return new Settings(Section.of(config, "ai.translation").longValue("timeoutMs", 1, 600_000),
        Section.of(config, "ai.stt").longValue("sentencePauseMs", 1, 60_000),
        search.integer("maxQueryLength", 1, 10_000), search.integer("defaultLimit", 1, 1000),
        search.integer("maxLimit", 1, 1000));
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
        services.tenants(), services.tenantConfig(), services.ai().languages())).completion(),
      eb.consumer(Addresses.TRANSCRIPT_GET, new GetTranscriptHandler(access, transcripts, services.ai().languages())).completion(),
      eb.consumer(Addresses.LANGUAGES_GET, new ListLanguagesHandler(services.ai().languages())).completion(),
      eb.consumer(Addresses.RECAP_GET, new GetRecapHandler(access, new RecapRepository(services.db()), services.ai().summarizer(),
        services.ai().offlineSummarizer(), services.ai().translator(), new AiUsage(eb), services.metrics(),
        new MeetingExports(vertx, new ObjectAccess(access, services.storage().objects()), services.storage().store()))).completion(),
      eb.consumer(Addresses.SEARCH, new SearchMeetingsHandler(new SearchRepository(services.db()), settings.maxQueryLength(),
        settings.defaultLimit(), settings.maxLimit())).completion(),
      eb.<JsonObject>consumer(Addresses.AI_CAPTION, new ProcessCaptionHandler(eb, services.moderator(),
        services.ai().translator(), services.policies(), services.presence(), transcripts, services.metrics(),
        settings.translationTimeoutMs(), services.openTelemetry(), services.meetings(), settings.sentencePauseMs(), services.budget())).completion());
  }
}
