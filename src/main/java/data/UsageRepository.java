package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
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

  /** {@code calls} free calls of one kind, {@code units} in all (see {@link #recordFree}). */
  public record FreeCalls(String tenant, UUID meetingId, String service, String provider, double units, String unit,
                          int calls) {
  }

  /** Free calls in one statement and one commit, a row for each entry (each counts its calls in the report). */
  public Future<Void> recordFree(List<FreeCalls> rows) {
    int n = rows.size();
    String[] tenants = new String[n];
    UUID[] meetings = new UUID[n];
    String[] services = new String[n];
    String[] providers = new String[n];
    Double[] units = new Double[n];
    String[] unitNames = new String[n];
    Integer[] calls = new Integer[n];
    for (int i = 0; i < n; i++) {
      FreeCalls r = rows.get(i);
      tenants[i] = r.tenant();
      meetings[i] = r.meetingId();
      services[i] = r.service();
      providers[i] = r.provider();
      units[i] = r.units();
      unitNames[i] = r.unit();
      calls[i] = r.calls();
    }
    return db.write().preparedQuery(SqlQueries.INSERT_FREE_USAGE)
      .execute(Tuple.from(new Object[]{tenants, meetings, services, providers, units, unitNames, calls}))
      .<Void>mapEmpty()
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
