package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/** Tenant configuration as stored; defaults and validation live in {@code handlers.tenant.TenantConfig}. */
public final class TenantRepository {

  private final Db db;

  public TenantRepository(Db db) {
    this.db = db;
  }

  /** The stored config object, empty when the tenant has none yet. */
  public Future<JsonObject> config(String tenant) {
    return db.write().preparedQuery(SqlQueries.SELECT_TENANT_CONFIG).execute(Tuple.of(tenant))
      .map(rows -> {
        if (rows.size() == 0) {
          return new JsonObject();
        }
        Object config = rows.iterator().next().getValue("config");
        return config instanceof JsonObject json ? json : new JsonObject();
      })
      .recover(PgErrors::translate);
  }

  public Future<Void> saveConfig(String tenant, JsonObject config) {
    return db.write().preparedQuery(SqlQueries.UPDATE_TENANT_CONFIG).execute(Tuple.of(tenant, config))
      .<Void>mapEmpty()
      .recover(PgErrors::translate);
  }

  /** Each tenant's stored AI budget in USD, or null where it has none stored. */
  public Future<java.util.Map<String, Double>> budgets() {
    return db.read(client -> client.query(SqlQueries.TENANT_BUDGETS).execute()).map(rows -> {
      java.util.Map<String, Double> out = new java.util.HashMap<>();
      rows.forEach(r -> {
        Object budget = r.getValue("budget");
        out.put(r.getString("id"), budget instanceof Number n ? n.doubleValue() : null);
      });
      return out;
    });
  }
}
