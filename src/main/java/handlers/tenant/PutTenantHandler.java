package handlers.tenant;

import common.ParleyException;
import data.TenantRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.tenant.put}: replaces the caller's tenant configuration after validation (admin). */
public final class PutTenantHandler extends RequestHandler {

  private final TenantRepository tenants;
  private final TenantConfig config;

  public PutTenantHandler(TenantRepository tenants, TenantConfig config) {
    this.tenants = tenants;
    this.config = config;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("tenant configuration needs the admin role");
    }
    JsonObject input = body.copy();
    input.remove("tenant");
    JsonObject validated = config.validate(input);
    return tenants.saveConfig(caller.tenant(), validated)
      .map(v -> new JsonObject().put("tenant", caller.tenant()).put("config", validated));
  }
}
