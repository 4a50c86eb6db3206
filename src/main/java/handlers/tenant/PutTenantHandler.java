package handlers.tenant;

import ai.SupportedLanguages;
import common.ParleyException;
import data.BudgetRepository;
import data.MeetingRepository;
import io.vertx.core.eventbus.EventBus;
import telemetry.ParleyMetrics;
import data.TenantRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.tenant.put}: replaces the caller's tenant configuration after validation (admin);
 * every one of its {@code languages} must be one this server captions or translates into (400
 * listing those otherwise). A new {@code aiBudgetUsd} or {@code aiBudgetAction} applies at once:
 * raising the budget over this month's spending resumes paused AI.
 */
public final class PutTenantHandler extends RequestHandler {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PutTenantHandler.class);

  private final TenantRepository tenants;
  private final TenantConfig config;
  private final SupportedLanguages languages;
  private final BudgetRepository budgets;
  private final EnforceBudget budget;

  public PutTenantHandler(TenantRepository tenants, TenantConfig config, SupportedLanguages languages, BudgetRepository budgets,
                          MeetingRepository meetings, EventBus eventBus, ParleyMetrics metrics, double warnRatio) {
    this.tenants = tenants;
    this.config = config;
    this.languages = languages;
    this.budgets = budgets;
    this.budget = new EnforceBudget(budgets, meetings, eventBus, metrics, warnRatio);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("tenant configuration needs the admin role");
    }
    JsonObject input = body.copy();
    input.remove("tenant");
    JsonObject validated = config.validate(input);
    Future<Void> supported = Future.succeededFuture();
    for (Object lang : validated.getJsonArray("languages")) {
      supported = supported.compose(v -> languages.requireCaptionLanguage((String) lang)
        .recover(err -> Future.failedFuture(err instanceof ParleyException pe && pe.status() == 400
          ? ParleyException.badRequest("languages: " + pe.getMessage()) : err))
        .mapEmpty());
    }
    return supported.compose(v -> tenants.saveConfig(caller.tenant(), validated))
      .compose(v -> budgets.month(caller.tenant()).compose(month -> budget.evaluate(caller.tenant(), month, validated))
        .onFailure(err -> LOG.warn("Tenant {}'s new budget is stored; it applies with the next metered call: {}",
          caller.tenant(), err.getMessage()))
        .otherwiseEmpty())
      .map(v -> new JsonObject().put("tenant", caller.tenant()).put("config", validated));
  }
}
