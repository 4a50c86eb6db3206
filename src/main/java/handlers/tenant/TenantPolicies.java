package handlers.tenant;

import ai.safety.ModerationPolicy;
import data.TenantRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's effective configuration and moderation policy, cached for a few seconds so that
 * chat messages and captions do not each cost a database read. A changed policy applies within
 * {@code ttlMs}.
 */
public final class TenantPolicies {

  private record Cached(long until, JsonObject config, ModerationPolicy policy) {
  }

  private final TenantRepository tenants;
  private final TenantConfig tenantConfig;
  private final long ttlMs;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TenantPolicies(TenantRepository tenants, TenantConfig tenantConfig, long ttlMs) {
    this.tenants = tenants;
    this.tenantConfig = tenantConfig;
    this.ttlMs = ttlMs;
  }

  public Future<ModerationPolicy> policy(String tenant) {
    return cached(tenant).map(Cached::policy);
  }

  public Future<JsonObject> config(String tenant) {
    return cached(tenant).map(Cached::config);
  }

  private Future<Cached> cached(String tenant) {
    Cached c = cache.get(tenant);
    long now = System.currentTimeMillis();
    if (c != null && c.until() > now) {
      return Future.succeededFuture(c);
    }
    return tenants.config(tenant).map(stored -> {
      JsonObject effective = tenantConfig.effective(stored);
      Cached fresh = new Cached(now + ttlMs, effective, ModerationPolicy.parse(effective.getJsonObject("moderation", new JsonObject())));
      if (cache.size() > 10_000) {
        cache.clear();
      }
      cache.put(tenant, fresh);
      return fresh;
    });
  }
}
