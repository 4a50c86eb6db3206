package handlers.tenant;

import ai.AiPricing;
import data.BudgetRepository;
import data.MeetingRepository;
import data.TenantRepository;
import data.UsageRepository;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.util.List;
import java.util.UUID;

/**
 * {@code parley.ai.usage}: meters AI work per tenant and meeting, in PostgreSQL (for the usage
 * report) and in the {@code parley_ai_*} counters (for the dashboards), with its estimated cost;
 * work with a cost adds to the tenant's month to date, which is then held against its budget
 * ({@link EnforceBudget}).
 */
public final class RecordUsageHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(RecordUsageHandler.class);

  private final UsageRepository usage;
  private final ParleyMetrics metrics;
  private final AiPricing pricing;
  private final TenantRepository tenants;
  private final TenantConfig tenantConfig;
  private final EnforceBudget budget;
  /** Free safety checks, written in batches; null: each at once. */
  private final FreeChecks freeChecks;

  /** @param freeBatchMs how long free safety checks are gathered into one row (0: a row per check) */
  public RecordUsageHandler(Vertx vertx, UsageRepository usage, ParleyMetrics metrics, AiPricing pricing, TenantRepository tenants,
                            TenantConfig tenantConfig, BudgetRepository budgets, MeetingRepository meetings, EventBus eventBus,
                            double warnRatio, long freeBatchMs) {
    this.freeChecks = freeBatchMs > 0 ? new FreeChecks(vertx, usage, freeBatchMs) : null;
    this.usage = usage;
    this.metrics = metrics;
    this.pricing = pricing;
    this.tenants = tenants;
    this.tenantConfig = tenantConfig;
    this.budget = new EnforceBudget(budgets, meetings, eventBus, metrics, warnRatio);
  }

  @Override
  public void handle(Message<JsonObject> message) {
    record(message.body());
  }

  /** Writes the free checks gathered so far (the verticle's stop). */
  public Future<Void> flush() {
    return freeChecks == null ? Future.succeededFuture() : freeChecks.flush();
  }

  public void record(JsonObject u) {
    String tenant = u.getString("tenant");
    String service = u.getString("service");
    String provider = u.getString("provider");
    double units = u.getDouble("units", 0d);
    double cost = pricing.cost(service, provider, units);
    switch (service) {
      case "stt" -> metrics.aiAudioSeconds(tenant, provider, units);
      case "translation" -> metrics.aiTranslatedCharacters(tenant, provider, (long) units);
      default -> { }
    }
    metrics.aiCost(tenant, service, cost);
    UUID meetingId = u.getString("meetingId") == null ? null : UUID.fromString(u.getString("meetingId"));
    // calls > 1: free checks that the sender gathered (handlers.AiUsage); a call with a cost is always one
    int calls = Math.max(1, u.getInteger("calls", 1));
    if (freeChecks != null && cost <= 0 && "safety".equals(service)) {
      freeChecks.add(tenant, meetingId, service, provider, units, u.getString("unit"), calls);
      return;
    }
    if (cost <= 0 && calls > 1) {
      usage.recordFree(List.of(new UsageRepository.FreeCalls(tenant, meetingId, service, provider, units, u.getString("unit"), calls)))
        .onFailure(err -> LOG.warn("Could not store AI usage for tenant {}: {}", tenant, err.getMessage()));
      return;
    }
    usage.record(tenant, meetingId, service, provider, units, u.getString("unit"), cost)
      .onFailure(err -> LOG.warn("Could not store AI usage for tenant {}: {}", tenant, err.getMessage()))
      .compose(month -> month == null ? Future.succeededFuture()
        // the stored budget, not a cached one: a budget just raised must not be undone by a stale copy
        : tenants.config(tenant).compose(stored -> budget.evaluate(tenant, month, tenantConfig.effective(stored))))
      .onFailure(err -> LOG.warn("Could not hold tenant {}'s AI usage against its budget: {}", tenant, err.getMessage()));
  }
}
