package telemetry;

import data.BudgetRepository;
import data.MeetingRepository;
import data.StoredObjectRepository;
import data.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the cluster-wide gauges from the database and the dependency gauges from the
 * readiness checks, on a timer. Each node does it; the values are the same everywhere.
 */
public final class GaugeRefresher {

  private static final Logger LOG = LoggerFactory.getLogger(GaugeRefresher.class);

  private final ParleyMetrics metrics;
  private final MeetingRepository meetings;
  private final TenantRepository tenants;
  private final StoredObjectRepository objects;
  private final Readiness readiness;
  private final double defaultBudget;
  private final BudgetRepository budgetMonths;

  public GaugeRefresher(ParleyMetrics metrics, MeetingRepository meetings, TenantRepository tenants,
                        StoredObjectRepository objects, Readiness readiness, double defaultBudget, BudgetRepository budgetMonths) {
    this.budgetMonths = budgetMonths;
    this.objects = objects;
    this.metrics = metrics;
    this.meetings = meetings;
    this.tenants = tenants;
    this.readiness = readiness;
    this.defaultBudget = defaultBudget;
  }

  public Future<Void> refresh() {
    Future<Void> live = meetings.liveByTenant().map(list -> {
      metrics.resetTenantGauges("parley.tenant.meetings.active");
      metrics.resetTenantGauges("parley.tenant.participants");
      long total = 0;
      for (MeetingRepository.TenantLive t : list) {
        metrics.tenantGauge("parley.tenant.meetings.active", t.tenant(), t.meetings());
        metrics.tenantGauge("parley.tenant.participants", t.tenant(), t.participants());
        total += t.meetings();
      }
      metrics.meetingsActive(total);
      return null;
    });
    Future<Void> budgets = tenants.budgets().map(map -> {
      map.forEach((tenant, budget) -> metrics.tenantGauge("parley.ai.budget.usd", tenant,
        budget == null ? defaultBudget : budget));
      return null;
    });
    Future<Void> used = budgetMonths.ratios(defaultBudget).map(map -> {
      map.forEach((tenant, spentAndBudget) -> metrics.tenantGauge("parley.ai.budget.used.ratio", tenant,
        spentAndBudget[1] > 0 ? spentAndBudget[0] / spentAndBudget[1] : 0));
      return null;
    });
    Future<Void> ready = readiness.run().map(report -> {
      JsonObject checks = report.getJsonObject("checks");
      checks.fieldNames().forEach(name -> metrics.dependencyUp(name,
        "up".equals(checks.getJsonObject(name).getString("status"))));
      return null;
    });
    Future<Void> storage = objects.usageByTenantAndTier().map(list -> {
      java.util.Map<String, java.util.Map<String, long[]>> usage = new java.util.HashMap<>();
      for (StoredObjectRepository.TierUsage u : list) {
        usage.computeIfAbsent(u.tenant(), t -> new java.util.HashMap<>()).put(u.tier(), new long[]{u.bytes(), u.objects()});
      }
      metrics.storage(usage);
      return null;
    });
    return Future.join(java.util.List.of(live, budgets, used, ready, storage)).<Void>mapEmpty()
      .onFailure(err -> LOG.debug("Gauge refresh incomplete: {}", err.getMessage()));
  }
}
