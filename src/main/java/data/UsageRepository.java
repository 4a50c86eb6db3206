package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.UUID;

/** AI metering and meeting minutes per tenant, for {@code GET /api/v1/usage}. */
public final class UsageRepository {

  private final Db db;

  public UsageRepository(Db db) {
    this.db = db;
  }

  /**
   * One metered call: {@code units} of {@code unit} ("seconds", "characters", "checks") costing
   * {@code costUsd}. A call with a cost also adds it to the tenant's month to date, in the same
   * statement, and the month is returned; a free one returns null.
   */
  public Future<BudgetRepository.Month> record(String tenant, UUID meetingId, String service, String provider, double units,
                                               String unit, double costUsd) {
    Tuple row = Tuple.from(new Object[]{tenant, meetingId, service, provider, units, unit, costUsd});
    if (costUsd <= 0) {
      return db.write().preparedQuery(SqlQueries.INSERT_USAGE).execute(row)
        .<BudgetRepository.Month>map(rows -> null)
        .recover(PgErrors::translate);
    }
    return db.write().preparedQuery(SqlQueries.INSERT_USAGE_WITH_BUDGET).execute(row)
      .map(rows -> {
        var r = rows.iterator().next();
        return new BudgetRepository.Month(r.getLocalDate("month"), r.getDouble("spent_usd"), r.getString("level"));
      })
      .recover(PgErrors::translate);
  }

  public Future<JsonObject> usage(String tenant, OffsetDateTime from, OffsetDateTime to) {
    Tuple range = Tuple.of(tenant, from, to);
    Future<JsonArray> services = db.read(client -> client.preparedQuery(SqlQueries.USAGE_BY_SERVICE).execute(range)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("service", r.getString("service")).put("provider", r.getString("provider"))
        .put("unit", r.getString("unit")).put("units", r.getDouble("units")).put("calls", r.getLong("calls"))
        .put("estimatedCostUsd", Math.round(r.getDouble("cost") * 1e6) / 1e6)));
      return out;
    });
    Future<JsonObject> minutes = db.read(client -> client.preparedQuery(SqlQueries.MEETING_MINUTES).execute(range)).map(rows -> {
      var r = rows.iterator().next();
      return new JsonObject().put("participantMinutes", Math.round(r.getDouble("participant_minutes") * 100) / 100d)
        .put("meetings", r.getLong("meetings"));
    });
    return Future.all(services, minutes).map(v -> {
      double total = services.result().stream().mapToDouble(s -> ((JsonObject) s).getDouble("estimatedCostUsd")).sum();
      return new JsonObject().put("tenant", tenant).put("from", from.toInstant().toString()).put("to", to.toInstant().toString())
        .put("meetings", minutes.result()).put("ai", services.result()).put("estimatedCostUsd", Math.round(total * 1e6) / 1e6);
    }).recover(PgErrors::translate);
  }
}
