package verticles;

import common.Addresses;
import handlers.GetTenantHandler;
import handlers.ListChatHandler;
import handlers.MeetingAccess;
import handlers.PutTenantHandler;
import handlers.SendChatHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Chat (moderate, persist, publish; history replay) and tenant configuration. */
public final class ChatVerticle extends VerticleBase {

  private final Services services;

  public ChatVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    JsonObject chat = services.config().getJsonObject("chat");
    MeetingAccess access = new MeetingAccess(services.meetings());
    return Future.all(
      eb.consumer(Addresses.CHAT_SEND, new SendChatHandler(services.chat(), services.chatModerator(), eb,
        chat.getInteger("maxTextLength", 4000), services.metrics())).completion(),
      eb.consumer(Addresses.CHAT_HISTORY, new ListChatHandler(access, services.chat(),
        chat.getInteger("historyPageMax", 500), services.ai().translator(), eb)).completion(),
      eb.consumer(Addresses.TENANT_GET, new GetTenantHandler(services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.TENANT_PUT, new PutTenantHandler(services.tenants(), services.tenantConfig())).completion());
  }
}
