package handlers;

import common.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Reports AI work to the meter ({@code parley.ai.usage}): one call wherever a provider is used, so
 * that the usage report, the cost counters and the budget all see the same units.
 */
public final class AiUsage {

  private final EventBus eventBus;

  public AiUsage(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /**
   * @param meetingId null for work not tied to a meeting (a chat message's safety check)
   * @param unit      what {@code units} counts: {@code seconds} of audio, {@code characters}, {@code checks}
   */
  public void record(String tenant, UUID meetingId, String service, String provider, double units, String unit) {
    JsonObject usage = new JsonObject().put("tenant", tenant).put("service", service).put("provider", provider)
      .put("units", units).put("unit", unit);
    if (meetingId != null) {
      usage.put("meetingId", meetingId.toString());
    }
    eventBus.send(Addresses.AI_USAGE, usage);
  }
}
