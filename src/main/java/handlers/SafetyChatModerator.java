package handlers;

import ai.ContentSafety;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;
import common.Addresses;

/**
 * Chat moderation: the configured {@link ContentSafety} provider's findings, judged by the
 * sender's tenant policy. Every non-allow decision is counted per category; every check is metered.
 */
public final class SafetyChatModerator implements ChatModerator {

  private final ContentSafety safety;
  private final TenantPolicies policies;
  private final ParleyMetrics metrics;
  private final EventBus eventBus;

  public SafetyChatModerator(ContentSafety safety, TenantPolicies policies, ParleyMetrics metrics, EventBus eventBus) {
    this.safety = safety;
    this.policies = policies;
    this.metrics = metrics;
    this.eventBus = eventBus;
  }

  @Override
  public Future<JsonObject> moderate(Identity sender, String text) {
    long started = System.nanoTime();
    return policies.policy(sender.tenant()).compose(policy -> safety.analyze(text)
      .onComplete(ar -> metrics.aiRequest("safety", safety.provider(), ar.succeeded() ? "success" : "error",
        java.time.Duration.ofNanos(System.nanoTime() - started)))
      .map(report -> {
        JsonObject decision = policy.decide(text, report).toJson();
        CountModeration.count(metrics, decision);
        eventBus.send(Addresses.AI_USAGE, new JsonObject().put("tenant", sender.tenant()).put("service", "safety")
          .put("provider", safety.provider()).put("units", 1).put("unit", "checks"));
        return decision;
      }));
  }
}
