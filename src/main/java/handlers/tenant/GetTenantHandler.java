package handlers.tenant;

import common.ParleyException;
import data.TenantRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.tenant.get}: the effective configuration of the caller's tenant (admin). */
public final class GetTenantHandler extends RequestHandler {

  private final TenantRepository tenants;
  private final TenantConfig config;

  public GetTenantHandler(TenantRepository tenants, TenantConfig config) {
    this.tenants = tenants;
    this.config = config;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("tenant configuration needs the admin role");
    }
    return tenants.config(caller.tenant())
      .map(stored -> new JsonObject().put("tenant", caller.tenant()).put("config", config.effective(stored)));
  }
}
