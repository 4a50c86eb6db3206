package handlers.tenant;

import common.Addresses;
import data.BudgetRepository;
import data.MeetingRepository;
import handlers.AiBudget;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.time.Instant;

/**
 * A tenant's month to date against its {@code aiBudgetUsd}: sets {@code parley_ai_budget_used_ratio}
 * and, when the level changes (ok below {@code warnRatio}, warning from it, exhausted from 100 %;
 * a budget of 0 is no budget), records the change once across nodes and tells everyone concerned:
 * {@code parley.ai.budget} (published: every node's services apply it at once) and a
 * {@code meeting.{id}} event {@code {type: "aiBudget", level, action, paused, warnRatio}} in each of the
 * tenant's live meetings (the web client shows the warning to admins and the pause to everyone).
 */
final class EnforceBudget {

  private static final Logger LOG = LoggerFactory.getLogger(EnforceBudget.class);

  private final BudgetRepository budgets;
  private final MeetingRepository meetings;
  private final EventBus eventBus;
  private final ParleyMetrics metrics;
  private final double warnRatio;

  EnforceBudget(BudgetRepository budgets, MeetingRepository meetings, EventBus eventBus, ParleyMetrics metrics, double warnRatio) {
    this.budgets = budgets;
    this.meetings = meetings;
    this.eventBus = eventBus;
    this.metrics = metrics;
    this.warnRatio = warnRatio;
  }

  static double ratio(double spentUsd, double budgetUsd) {
    return budgetUsd > 0 ? spentUsd / budgetUsd : 0;
  }

  String level(double spentUsd, double budgetUsd) {
    double ratio = ratio(spentUsd, budgetUsd);
    return budgetUsd <= 0 ? "ok" : ratio >= 1 ? "exhausted" : ratio >= warnRatio ? "warning" : "ok";
  }

  /** Evaluates {@code month} under the tenant's effective configuration. */
  Future<Void> evaluate(String tenant, BudgetRepository.Month month, JsonObject config) {
    double budget = config.getDouble("aiBudgetUsd", 0d);
    String action = config.getString("aiBudgetAction", "soft");
    double ratio = ratio(month.spentUsd(), budget);
    metrics.tenantGauge("parley.ai.budget.used.ratio", tenant, ratio);
    String level = level(month.spentUsd(), budget);
    if (level.equals(month.level())) {
      return Future.succeededFuture();
    }
    return budgets.changeLevel(tenant, month.month(), month.level(), level, action, month.spentUsd(), budget)
      .compose(changed -> changed ? tell(tenant, level, action, ratio, month, budget) : Future.succeededFuture());
  }

  private Future<Void> tell(String tenant, String level, String action, double ratio, BudgetRepository.Month month, double budget) {
    AiBudget.Status status = new AiBudget.Status(level, action);
    if ("ok".equals(level)) {
      LOG.info("AI budget of tenant {}: back under {} % ({} of {} USD); AI resumes", tenant, Math.round(warnRatio * 100),
        round(month.spentUsd()), budget);
    } else {
      LOG.warn("AI budget of tenant {}: {} ({} of {} USD this month, {} %){}", tenant, level, round(month.spentUsd()), budget,
        Math.round(ratio * 100), status.exhausted() ? "; paused: " + status.paused().encode() : "");
    }
    eventBus.publish(Addresses.AI_BUDGET, new JsonObject().put("tenant", tenant).put("level", level).put("action", action)
      .put("ratio", ratio).put("spentUsd", month.spentUsd()).put("budgetUsd", budget).put("month", month.month().toString()));
    return meetings.liveMeetings(tenant).map(ids -> {
      JsonObject event = new JsonObject().put("type", "aiBudget").put("level", level).put("action", action)
        .put("paused", status.paused()).put("warnRatio", warnRatio).put("ts", Instant.now().toString());
      ids.forEach(id -> eventBus.publish(Addresses.meeting(id), event));
      return (Void) null;
    }).onFailure(err -> LOG.warn("Could not tell tenant {}'s meetings about its AI budget: {}", tenant, err.getMessage()));
  }

  private static double round(double usd) {
    return Math.round(usd * 1e4) / 1e4;
  }
}
