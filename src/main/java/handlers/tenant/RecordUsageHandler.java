package handlers.tenant;

import ai.AiPricing;
import data.UsageRepository;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.util.UUID;

/**
 * {@code parley.ai.usage}: meters AI work per tenant and meeting, in PostgreSQL (for the usage
 * report) and in the {@code parley_ai_*} counters (for the dashboards), with its estimated cost.
 */
public final class RecordUsageHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(RecordUsageHandler.class);

  private final UsageRepository usage;
  private final ParleyMetrics metrics;
  private final AiPricing pricing;

  public RecordUsageHandler(UsageRepository usage, ParleyMetrics metrics, AiPricing pricing) {
    this.usage = usage;
    this.metrics = metrics;
    this.pricing = pricing;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    record(message.body());
  }

  public void record(JsonObject u) {
    String tenant = u.getString("tenant");
    String service = u.getString("service");
    String provider = u.getString("provider");
    double units = u.getDouble("units", 0d);
    double cost = pricing.cost(service, provider, units);
    switch (service) {
      case "stt" -> metrics.aiAudioSeconds(tenant, provider, units);
      case "translation" -> metrics.aiTranslatedCharacters(tenant, provider, (long) units);
      default -> { }
    }
    metrics.aiCost(tenant, service, cost);
    UUID meetingId = u.getString("meetingId") == null ? null : UUID.fromString(u.getString("meetingId"));
    usage.record(tenant, meetingId, service, provider, units, u.getString("unit"), cost)
      .onFailure(err -> LOG.warn("Could not store AI usage for tenant {}: {}", tenant, err.getMessage()));
  }
}
