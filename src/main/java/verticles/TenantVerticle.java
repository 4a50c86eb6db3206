package verticles;

import common.Addresses;
import config.Section;
import data.UsageRepository;
import handlers.tenant.GetBudgetHandler;
import handlers.tenant.GetTenantHandler;
import handlers.tenant.GetUsageHandler;
import handlers.tenant.PutTenantHandler;
import handlers.tenant.RecordUsageHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tenants: their configuration, and their usage (AI work metered as it happens, held against the
 * tenant's budget, and the report).
 */
public final class TenantVerticle extends VerticleBase {

  /** The {@code ai.budget} settings. */
  record Settings(double warnRatio, long freeChecksBatchMs) {

    static Settings parse(JsonObject config) {
      Section budget = Section.of(config, "ai.budget");
      return new Settings(budget.decimal("warnRatio", 0.01, 1), budget.longValue("freeChecksBatchMs", 0, 60_000));
    }
  }

  private final Services services;
  private RecordUsageHandler recordUsage;

  public TenantVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    UsageRepository usage = new UsageRepository(services.db());
    recordUsage = new RecordUsageHandler(vertx, usage, services.metrics(), services.ai().pricing(), services.tenants(),
      services.tenantConfig(), services.budgets(), services.meetings(), eb, settings.warnRatio(), settings.freeChecksBatchMs());
    return Future.all(List.of(
      eb.consumer(Addresses.TENANT_GET, new GetTenantHandler(services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.TENANT_PUT, new PutTenantHandler(services.tenants(), services.tenantConfig(), services.ai().languages(),
        services.budgets(), services.meetings(), eb, services.metrics(), settings.warnRatio())).completion(),
      eb.consumer(Addresses.USAGE_GET, new GetUsageHandler(usage)).completion(),
      eb.consumer(Addresses.BUDGET_GET, new GetBudgetHandler(services.budgets(), services.tenants(), services.tenantConfig(),
        settings.warnRatio())).completion(),
      // every node's services see a change of level at once (the budget status is cached per node)
      eb.<JsonObject>consumer(Addresses.AI_BUDGET, m -> services.budget().changed(m.body())).completion(),
      eb.<JsonObject>consumer(Addresses.AI_USAGE, recordUsage).completion()));
  }

  /** The free checks gathered but not yet written are written before the pools close. */
  @Override
  public Future<?> stop() {
    return recordUsage == null ? Future.succeededFuture() : recordUsage.flush();
  }
}
