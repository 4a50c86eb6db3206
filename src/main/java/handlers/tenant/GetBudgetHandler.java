package handlers.tenant;

import common.ParleyException;
import data.BudgetRepository;
import data.TenantRepository;
import handlers.AiBudget;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.budget.get}: {@code {}} -> the caller's tenant's AI budget this month:
 * {@code {tenant, month, budgetUsd, spentUsd, ratio, level, action, warnRatio, paused, events}}. Admins only.
 */
public final class GetBudgetHandler extends RequestHandler {

  private final BudgetRepository budgets;
  private final TenantRepository tenants;
  private final TenantConfig tenantConfig;
  private final double warnRatio;

  public GetBudgetHandler(BudgetRepository budgets, TenantRepository tenants, TenantConfig tenantConfig, double warnRatio) {
    this.budgets = budgets;
    this.tenants = tenants;
    this.tenantConfig = tenantConfig;
    this.warnRatio = warnRatio;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("the AI budget needs the admin role");
    }
    return tenants.config(caller.tenant()).compose(stored -> budgets.month(caller.tenant()).compose(month ->
      budgets.events(caller.tenant(), month.month()).map(events -> {
        JsonObject config = tenantConfig.effective(stored);
        double budget = config.getDouble("aiBudgetUsd", 0d);
        String action = config.getString("aiBudgetAction", "soft");
        return new JsonObject().put("tenant", caller.tenant()).put("month", month.month().toString())
          .put("budgetUsd", budget).put("spentUsd", Math.round(month.spentUsd() * 1e6) / 1e6)
          .put("ratio", EnforceBudget.ratio(month.spentUsd(), budget)).put("level", month.level()).put("action", action)
          .put("warnRatio", warnRatio).put("paused", new AiBudget.Status(month.level(), action).paused()).put("events", events);
      })));
  }
}
