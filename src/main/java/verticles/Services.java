package verticles;

import data.ChatRepository;
import io.opentelemetry.api.OpenTelemetry;
import data.Db;
import data.MeetingRepository;
import data.PresenceStore;
import data.TenantRepository;
import handlers.ChatModerator;
import handlers.TenantConfig;
import handlers.TenantPolicies;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import security.DevTokenIssuer;
import security.TokenVerifier;
import telemetry.ParleyMetrics;

/**
 * What the bootstrap builds once and hands to every verticle through its constructor: pools,
 * clients, repositories and the identity verifier. Verticles wire these to handlers.
 */
public record Services(
  JsonObject config,
  Db db,
  Redis redis,
  PresenceStore presence,
  MeetingRepository meetings,
  ChatRepository chat,
  TenantRepository tenants,
  TenantConfig tenantConfig,
  TokenVerifier tokens,
  DevTokenIssuer devIssuer,
  ChatModerator chatModerator,
  PrometheusMeterRegistry registry,
  ParleyMetrics metrics,
  OpenTelemetry openTelemetry,
  AiServices ai,
  TenantPolicies policies,
  Storage storage) {
}
