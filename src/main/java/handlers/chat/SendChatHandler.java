package handlers.chat;

import common.Addresses;
import common.ParleyException;
import data.ChatGroupCommit;
import handlers.Inputs;
import handlers.Moderator;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;

import java.util.UUID;

/**
 * {@code chat.send}: moderate, persist (only while the sender is present; sends to one meeting that
 * arrive while its previous statement is in flight are committed together), then publish on
 * {@code meeting.{id}.chat} after the commit.
 * Idempotent on {@code clientId}: a retried send returns the first result and publishes nothing new.
 */
public final class SendChatHandler extends RequestHandler {

  private final ChatGroupCommit chat;
  private final Moderator moderator;
  private final EventBus eventBus;
  private final int maxTextLength;
  private final ParleyMetrics metrics;

  public SendChatHandler(ChatGroupCommit chat, Moderator moderator, EventBus eventBus,
                         int maxTextLength, ParleyMetrics metrics) {
    this.metrics = metrics;
    this.chat = chat;
    this.moderator = moderator;
    this.eventBus = eventBus;
    this.maxTextLength = maxTextLength;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String text = Inputs.requiredString(body, "text", maxTextLength).strip();
    String clientId = Inputs.requiredString(body, "clientId", 64);
    if (!clientId.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw ParleyException.badRequest("clientId must be 1-64 letters, digits or _.:-");
    }
    // Presence is checked by the append itself (one statement with the insert; 403/404/409 from it),
    // and before that by the gateway for every bridge frame.
    return moderator.moderate(caller.tenant(), text, Moderator.OnFailure.FAIL)
      .compose(verdict -> {
        String action = verdict.getString("action", "allow");
        JsonObject moderation = new JsonObject().put("action", action)
          .put("categories", verdict.getJsonArray("categories"));
        if ("block".equals(action)) {
          return Future.failedFuture(ParleyException.unprocessable(
            "message blocked by the meeting's safety policy: " + verdict.getString("reason", "unsafe content")));
        }
        return chat.append(caller, id, clientId, verdict.getString("text", text), moderation);
      })
      .map(stored -> {
        JsonObject message = stored.message();
        if (stored.created()) {
          metrics.chatMessage(caller.tenant());
          JsonObject published = message.copy();
          published.remove("clientId");
          eventBus.publish(Addresses.meetingChat(id), published);
        }
        return new JsonObject().put("id", message.getString("id")).put("seq", message.getLong("seq"))
          .put("moderation", message.getJsonObject("moderation")).put("text", message.getString("text"))
          .put("duplicate", !stored.created());
      });
  }
}
