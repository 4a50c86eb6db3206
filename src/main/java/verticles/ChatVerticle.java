package verticles;

import common.Addresses;
import config.Section;
import handlers.AiUsage;
import handlers.MeetingAccess;
import handlers.chat.ListChatHandler;
import handlers.chat.SendChatHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Chat: moderate, persist, publish; history replay (translated on request). */
public final class ChatVerticle extends VerticleBase {

  /** The {@code chat} settings. */
  record Settings(int maxTextLength, int historyPageMax, int maxRowsPerCommit, int statementsInFlight) {

    static Settings parse(JsonObject config) {
      Section chat = Section.of(config, "chat");
      return new Settings(chat.integer("maxTextLength", 1, 1_000_000), chat.integer("historyPageMax", 1, 100_000),
        chat.integer("maxRowsPerCommit", 1, 1000), chat.integer("statementsInFlight", 1, 64));
    }
  }

  private final Services services;

  public ChatVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    MeetingAccess access = new MeetingAccess(services.meetings());
    return Future.all(
      eb.consumer(Addresses.CHAT_SEND, new SendChatHandler(
        services.chat().groupCommit(settings.maxRowsPerCommit(), settings.statementsInFlight(), services.metrics()::chatStatement),
        services.moderator(), eb,
        settings.maxTextLength(), services.metrics())).completion(),
      eb.consumer(Addresses.CHAT_HISTORY, new ListChatHandler(access, services.chat(),
        settings.historyPageMax(), services.ai().translator(), new AiUsage(eb), services.ai().languages(), services.budget())).completion());
  }
}
