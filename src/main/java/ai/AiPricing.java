package ai;

import io.vertx.core.json.JsonObject;

/**
 * Estimated cost of AI work from configurable unit prices ({@code ai.prices}), per provider:
 * speech in USD per audio hour, translation per million characters, safety per thousand checks,
 * recaps per million tokens (Azure OpenAI) or characters (the offline summarizer).
 * Local providers default to 0; the Azure defaults are list prices at the time of writing and are
 * meant to be overridden.
 */
public final class AiPricing {

  private final JsonObject prices;

  public AiPricing(JsonObject prices) {
    this.prices = prices == null ? new JsonObject() : prices;
  }

  /** USD for {@code units} of a service's unit ("seconds", "characters", "checks", "tokens") on a provider. */
  public double cost(String service, String provider, double units) {
    JsonObject byProvider = prices.getJsonObject(service, new JsonObject());
    Object price = byProvider.getValue(provider);
    double unitPrice = price instanceof Number n ? n.doubleValue() : 0d;
    return switch (service) {
      case "stt" -> units / 3600d * unitPrice;
      case "translation" -> units / 1_000_000d * unitPrice;
      case "safety" -> units / 1000d * unitPrice;
      case "summary" -> units / 1_000_000d * unitPrice;
      default -> 0d;
    };
  }
}
