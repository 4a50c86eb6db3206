package handlers;

import data.BudgetRepository;
import handlers.tenant.TenantPolicies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each tenant's AI budget stands this month, as the services that spend it need to know:
 * translation (captions and chat), speech recognition and content safety. The level comes from the
 * database (cached for {@code cacheMs}) and from {@code parley.ai.budget} events the moment it
 * changes ({@link #changed}); the action from the tenant's {@code aiBudgetAction}. When the budget
 * cannot be read, AI carries on (the status is {@code ok}) and the failure is logged.
 */
public final class AiBudget {

  private static final Logger LOG = LoggerFactory.getLogger(AiBudget.class);

  /**
   * A tenant's budget level ({@code ok}, {@code warning} at {@code ai.budget.warnRatio}, {@code exhausted}
   * at 100 %) and its chosen action at 100 %: {@code soft} (translation pauses, captions continue on
   * the local engine) or {@code hard} (AI pauses: captions, translation, and content safety falls
   * back to the built-in detector).
   */
  public record Status(String level, String action) {

    public static final Status OK = new Status("ok", "soft");

    public boolean exhausted() {
      return "exhausted".equals(level);
    }

    public boolean translationPaused() {
      return exhausted();
    }

    public boolean aiPaused() {
      return exhausted() && "hard".equals(action);
    }

    /** Soft action at 100 %: speech is recognised only by the local engine (Vosk), never a paid one. */
    public boolean localRecognitionOnly() {
      return exhausted() && !"hard".equals(action);
    }

    /** What is paused, for clients: {@code []}, {@code [translation]} or {@code [captions, translation]}. */
    public JsonArray paused() {
      if (!exhausted()) {
        return new JsonArray();
      }
      return aiPaused() ? new JsonArray().add("captions").add("translation") : new JsonArray().add("translation");
    }
  }

  private record Cached(long until, Status status) {
  }

  private final BudgetRepository budgets;
  private final TenantPolicies policies;
  private final long cacheMs;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public AiBudget(BudgetRepository budgets, TenantPolicies policies, long cacheMs) {
    this.budgets = budgets;
    this.policies = policies;
    this.cacheMs = cacheMs;
  }

  public Future<Status> status(String tenant) {
    Cached cached = cache.get(tenant);
    long now = System.currentTimeMillis();
    if (cached != null && cached.until() > now) {
      return Future.succeededFuture(cached.status());
    }
    return budgets.month(tenant)
      .compose(month -> policies.config(tenant).map(config -> new Status(month.level(), config.getString("aiBudgetAction", "soft"))))
      .map(status -> {
        remember(tenant, status, now);
        return status;
      })
      .otherwise(err -> {
        LOG.warn("AI budget of tenant {} unknown, AI carries on: {}", tenant, err.getMessage());
        return cached == null ? Status.OK : cached.status();
      })
      // a plain value from here: a cached future would call back on the context that made it
      .transform(ar -> Future.succeededFuture(ar.result()));
  }

  /** A {@code parley.ai.budget} event: {@code {tenant, level, action, ...}}; the new level applies at once. */
  public void changed(JsonObject event) {
    String tenant = event.getString("tenant");
    if (tenant != null && event.getString("level") != null) {
      remember(tenant, new Status(event.getString("level"), event.getString("action", "soft")), System.currentTimeMillis());
    }
  }

  private void remember(String tenant, Status status, long now) {
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(tenant, new Cached(now + cacheMs, status));
  }
}
