package handlers.webhooks;

import common.ParleyException;
import data.WebhookRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code parley.webhook.create} ({@code POST /api/v1/webhooks} {@code {url, events, description?}}):
 * an administrator adds a webhook. The URL must pass {@link TargetPolicy} now (and will again at
 * each delivery). The answer carries the signing secret, this once.
 */
public final class CreateWebhookHandler extends RequestHandler {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookRepository webhooks;
  private final TargetPolicy policy;
  private final int maxPerTenant;

  CreateWebhookHandler(WebhookRepository webhooks, TargetPolicy policy, int maxPerTenant) {
    this.webhooks = webhooks;
    this.policy = policy;
    this.maxPerTenant = maxPerTenant;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Admins.require(caller);
    String url = Inputs.requiredString(body, "url", Integer.MAX_VALUE).strip();
    TargetPolicy.Target target = TargetPolicy.parse(url);
    List<String> events = events(body.getValue("events"));
    String description = Inputs.optionalString(body, "description", 200);
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    return policy.resolve(target)
      .compose(address -> webhooks.create(caller.tenant(), url, events, secret, description, caller.userId(), maxPerTenant))
      .map(created -> created.put("secret", secret));
  }

  private static List<String> events(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ParleyException.badRequest("events must be a non-empty array of " + String.join(", ", WebhookEvents.ALL));
    }
    List<String> out = new ArrayList<>();
    for (Object e : array) {
      if (!(e instanceof String name) || !WebhookEvents.ALL.contains(name)) {
        throw ParleyException.badRequest("unknown event " + e + "; events are " + String.join(", ", WebhookEvents.ALL));
      }
      if (!out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
