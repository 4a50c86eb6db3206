package verticles;

import data.BudgetRepository;
import data.ChatRepository;
import data.Db;
import data.MeetingRepository;
import data.PresenceStore;
import data.TenantRepository;
import handlers.AiBudget;
import handlers.Moderator;
import handlers.tenant.TenantConfig;
import handlers.tenant.TenantPolicies;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import security.DevTokenIssuer;
import security.TokenVerifier;
import telemetry.ParleyMetrics;

/**
 * What the bootstrap builds once and hands to every verticle through its constructor: pools,
 * clients, repositories, the identity verifier and the media plane. Verticles wire these to handlers.
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
  Moderator moderator,
  PrometheusMeterRegistry registry,
  ParleyMetrics metrics,
  OpenTelemetry openTelemetry,
  AiServices ai,
  TenantPolicies policies,
  Storage storage,
  BudgetRepository budgets,
  AiBudget budget,
  media.MediaPlane media) {
}
