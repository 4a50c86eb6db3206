package handlers;

import ai.ContentSafety;
import ai.safety.SafetyReport;
import handlers.tenant.TenantPolicies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.time.Duration;

/**
 * Content safety for chat and captions alike: the configured {@link ContentSafety} provider's
 * findings, judged by the tenant's policy. The answer is
 * {@code {action: allow|redact|block, text, categories:[...], reason?}}; every check is timed and
 * metered, and every decision other than allow is counted once per category it hit. While a
 * tenant's AI is paused by its budget ({@code hard}), the built-in detector checks instead of a paid
 * provider: content safety never stops.
 */
public final class Moderator {

  /** What happens when the configured provider fails. */
  public enum OnFailure {
    /** The check fails (chat: nothing unchecked is stored). */
    FAIL,
    /** The built-in detector decides instead (captions go on). */
    BUILT_IN
  }

  private static final Logger LOG = LoggerFactory.getLogger(Moderator.class);

  private final ContentSafety provider;
  private final ContentSafety builtIn;
  private final TenantPolicies policies;
  private final ParleyMetrics metrics;
  private final AiUsage usage;
  private final AiBudget budget;

  public Moderator(ContentSafety provider, ContentSafety builtIn, TenantPolicies policies, ParleyMetrics metrics, AiUsage usage,
                   AiBudget budget) {
    this.budget = budget;
    this.provider = provider;
    this.builtIn = builtIn;
    this.policies = policies;
    this.metrics = metrics;
    this.usage = usage;
  }

  /** A chat message or a final caption: checked by the configured provider, counted and metered. */
  public Future<JsonObject> moderate(String tenant, String text, OnFailure onFailure) {
    if (text.isBlank()) {
      return Future.succeededFuture(allow(text));
    }
    return policies.policy(tenant).compose(policy -> budget.status(tenant).compose(status -> {
      ContentSafety checker = status.aiPaused() ? builtIn : provider;
      long started = System.nanoTime();
      Future<SafetyReport> report = checker.analyze(text)
        .onComplete(ar -> metrics.aiRequest("safety", checker.provider(), ar.succeeded() ? "success" : "error",
          Duration.ofNanos(System.nanoTime() - started)));
      if (onFailure == OnFailure.BUILT_IN && checker != builtIn) {
        report = report.recover(err -> {
          LOG.warn("Safety provider {} failed; the built-in detector decides: {}", checker.provider(), err.getMessage());
          return builtIn.analyze(text);
        });
      }
      return report.map(r -> {
        JsonObject decision = policy.decide(text, r).toJson();
        count(decision);
        usage.record(tenant, null, "safety", checker.provider(), 1, "checks");
        return decision;
      });
    }));
  }

  /** A partial caption: the built-in (local, cheap) detector only, neither counted nor metered. */
  public Future<JsonObject> screen(String tenant, String text) {
    if (text.isBlank()) {
      return Future.succeededFuture(allow(text));
    }
    return policies.policy(tenant).compose(policy -> builtIn.analyze(text).map(r -> policy.decide(text, r).toJson()));
  }

  private static JsonObject allow(String text) {
    return new JsonObject().put("action", "allow").put("text", text);
  }

  private void count(JsonObject decision) {
    String action = decision.getString("action", "allow");
    if ("allow".equals(action)) {
      return;
    }
    var categories = decision.getJsonArray("categories");
    if (categories == null || categories.isEmpty()) {
      metrics.moderationAction(action, "unknown");
      return;
    }
    categories.forEach(c -> metrics.moderationAction(action, String.valueOf(c)));
  }
}
