package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Each tenant's AI cost month to date (UTC calendar months) and the level its budget is at, kept by
 * the statement that meters a call ({@link UsageRepository#record}), and the changes of level.
 */
public final class BudgetRepository {

  /** A tenant's month: what it has spent and the level reached ({@code ok}, {@code warning}, {@code exhausted}). */
  public record Month(LocalDate month, double spentUsd, String level) {
  }

  private final Db db;

  public BudgetRepository(Db db) {
    this.db = db;
  }

  public static LocalDate thisMonth() {
    return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
  }

  public Future<Month> month(String tenant) {
    LocalDate month = thisMonth();
    return db.write().preparedQuery(SqlQueries.BUDGET_MONTH).execute(Tuple.of(tenant, month))
      .map(rows -> {
        if (rows.size() == 0) {
          return new Month(month, 0, "ok");
        }
        Row r = rows.iterator().next();
        return new Month(month, r.getDouble("spent_usd"), r.getString("level"));
      })
      .recover(PgErrors::translate);
  }

  /** Moves the month from {@code from} to {@code to}; true for the one caller that did (it tells the admins). */
  public Future<Boolean> changeLevel(String tenant, LocalDate month, String from, String to, String action, double spentUsd,
                                     double budgetUsd) {
    return db.write().preparedQuery(SqlQueries.CHANGE_BUDGET_LEVEL)
      .execute(Tuple.from(new Object[]{tenant, month, from, to, action, spentUsd, budgetUsd}))
      .map(rows -> rows.size() > 0)
      .recover(PgErrors::translate);
  }

  /** This month's changes of level, oldest first. */
  public Future<JsonArray> events(String tenant, LocalDate month) {
    return db.write().preparedQuery(SqlQueries.BUDGET_EVENTS).execute(Tuple.of(tenant, month))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(r -> out.add(new JsonObject().put("level", r.getString("level")).put("action", r.getString("action"))
          .put("spentUsd", r.getDouble("spent_usd")).put("budgetUsd", r.getDouble("budget_usd"))
          .put("at", r.getOffsetDateTime("created_at").toInstant().toString())));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** Each tenant's spending this month and stored budget (null where none is stored), for the gauge. */
  public Future<Map<String, double[]>> ratios(double defaultBudgetUsd) {
    return db.read(client -> client.preparedQuery(SqlQueries.BUDGET_RATIOS).execute(Tuple.of(thisMonth()))).map(rows -> {
      Map<String, double[]> out = new HashMap<>();
      rows.forEach(r -> {
        Object budget = r.getValue("budget");
        out.put(r.getString("id"), new double[]{r.getDouble("spent"), budget instanceof Number n ? n.doubleValue() : defaultBudgetUsd});
      });
      return out;
    });
  }
}
