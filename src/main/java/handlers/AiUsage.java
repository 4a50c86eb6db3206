package handlers;

import ai.AiPricing;
import common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reports AI work to the meter ({@code parley.ai.usage}): one call wherever a provider is used, so
 * that the usage report, the cost counters and the budget all see the same units.
 *
 * <p>With a batch time, free safety checks (every chat message's, at no price in {@code ai.prices})
 * are summed here and sent as one message per tenant, meeting and provider every {@code batchMs}
 * ({@code calls} counts them), not one event-bus message per chat message. Checks with a price are
 * sent at once: they hold the budget. {@link #flush} sends what is gathered (a stopping server).
 * Safe to call from any event loop.
 */
public final class AiUsage {

  private record Key(String tenant, UUID meetingId, String service, String provider, String unit) {
  }

  private static final class Sum {
    double units;
    int calls;
  }

  private final EventBus eventBus;
  private final Vertx vertx;
  private final AiPricing pricing;
  private final long batchMs;
  private final ConcurrentHashMap<Key, Sum> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Every call sent at once. */
  public AiUsage(EventBus eventBus) {
    this.eventBus = eventBus;
    this.vertx = null;
    this.pricing = null;
    this.batchMs = 0;
  }

  /** Free safety checks gathered for {@code batchMs} (0: every call sent at once). */
  public AiUsage(Vertx vertx, AiPricing pricing, long batchMs) {
    this.eventBus = vertx.eventBus();
    this.vertx = vertx;
    this.pricing = pricing;
    this.batchMs = batchMs;
  }

  /**
   * @param meetingId null for work not tied to a meeting (a chat message's safety check)
   * @param unit      what {@code units} counts: {@code seconds} of audio, {@code characters}, {@code checks}
   */
  public void record(String tenant, UUID meetingId, String service, String provider, double units, String unit) {
    if (batchMs > 0 && "safety".equals(service) && pricing.cost(service, provider, units) <= 0) {
      pending.compute(new Key(tenant, meetingId, service, provider, unit), (k, sum) -> {
        Sum s = sum == null ? new Sum() : sum;
        s.units += units;
        s.calls++;
        return s;
      });
      if (scheduled.compareAndSet(false, true)) {
        vertx.setTimer(batchMs, id -> flush());
      }
      return;
    }
    send(tenant, meetingId, service, provider, units, unit, 1);
  }

  /** Sends the free checks gathered so far, one message per kind. */
  public void flush() {
    scheduled.set(false);
    for (Key key : pending.keySet()) {
      Sum sum = pending.remove(key);
      if (sum != null) {
        send(key.tenant(), key.meetingId(), key.service(), key.provider(), sum.units, key.unit(), sum.calls);
      }
    }
  }

  private void send(String tenant, UUID meetingId, String service, String provider, double units, String unit, int calls) {
    JsonObject usage = new JsonObject().put("tenant", tenant).put("service", service).put("provider", provider)
      .put("units", units).put("unit", unit);
    if (calls != 1) {
      usage.put("calls", calls);
    }
    if (meetingId != null) {
      usage.put("meetingId", meetingId.toString());
    }
    eventBus.send(Addresses.AI_USAGE, usage);
  }
}
