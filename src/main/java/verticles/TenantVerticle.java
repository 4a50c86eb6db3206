package verticles;

import common.Addresses;
import data.UsageRepository;
import handlers.tenant.GetTenantHandler;
import handlers.tenant.GetUsageHandler;
import handlers.tenant.PutTenantHandler;
import handlers.tenant.RecordUsageHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Tenants: their configuration, and their usage (AI work metered as it happens, and the report). */
public final class TenantVerticle extends VerticleBase {

  private final Services services;

  public TenantVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    UsageRepository usage = new UsageRepository(services.db());
    return Future.all(
      eb.consumer(Addresses.TENANT_GET, new GetTenantHandler(services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.TENANT_PUT, new PutTenantHandler(services.tenants(), services.tenantConfig())).completion(),
      eb.consumer(Addresses.USAGE_GET, new GetUsageHandler(usage)).completion(),
      eb.<JsonObject>consumer(Addresses.AI_USAGE, new RecordUsageHandler(usage, services.metrics(),
        services.ai().pricing())).completion());
  }
}
