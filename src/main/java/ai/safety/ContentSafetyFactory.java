package ai.safety;

import ai.ContentSafety;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the configured {@link ContentSafety} provider from the {@code ai.safety} config section:
 *
 * <pre>{@code
 * {"provider": "builtin"}                          // the default, also for a missing section
 * {"provider": "azure",
 *  "azure": {"endpoint": "https://<name>.cognitiveservices.azure.com",
 *            "key": "...",
 *            "apiVersion": "2024-09-01",          // optional, this default
 *            "timeoutMs": 3000}}                   // optional, this default
 * }</pre>
 */
public final class ContentSafetyFactory {

  public static final String DEFAULT_API_VERSION = "2024-09-01";
  public static final long DEFAULT_TIMEOUT_MS = 3000;

  private ContentSafetyFactory() {}

  /**
   * @param safetyConfig the {@code ai.safety} section; null or empty gives the built-in provider
   * @throws IllegalArgumentException with one line naming the config key that is missing or wrong,
   *     e.g. {@code ai.safety.azure.key is required for provider azure}
   */
  public static ContentSafety create(Vertx vertx, JsonObject safetyConfig) {
    JsonObject config = safetyConfig == null ? new JsonObject() : safetyConfig;
    String provider = config.getValue("provider") == null ? "builtin" : String.valueOf(config.getValue("provider"));
    return switch (provider) {
      case "builtin" -> new BuiltInContentSafety();
      case "azure" -> new AzureContentSafety(vertx, azureSettings(config));
      default -> throw new IllegalArgumentException("ai.safety.provider must be \"builtin\" or \"azure\", not \"" + provider + "\"");
    };
  }

  static AzureContentSafety.Settings azureSettings(JsonObject config) {
    Object section = config.getValue("azure");
    if (section != null && !(section instanceof JsonObject)) {
      throw new IllegalArgumentException("ai.safety.azure must be an object with endpoint and key");
    }
    JsonObject azure = section == null ? new JsonObject() : (JsonObject) section;
    String endpoint = text(azure, "endpoint");
    String key = text(azure, "key");
    List<String> missing = new ArrayList<>();
    if (endpoint == null) {
      missing.add("ai.safety.azure.endpoint");
    }
    if (key == null) {
      missing.add("ai.safety.azure.key");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is")
        + " required for provider azure");
    }
    if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
      throw new IllegalArgumentException("ai.safety.azure.endpoint must be an https:// URL, not \"" + endpoint + "\"");
    }
    String apiVersion = text(azure, "apiVersion");
    Object timeout = azure.getValue("timeoutMs", config.getValue("timeoutMs"));
    long timeoutMs = DEFAULT_TIMEOUT_MS;
    if (timeout != null) {
      if (!(timeout instanceof Integer || timeout instanceof Long) || ((Number) timeout).longValue() <= 0) {
        throw new IllegalArgumentException("ai.safety.azure.timeoutMs must be a positive whole number of milliseconds");
      }
      timeoutMs = ((Number) timeout).longValue();
    }
    return new AzureContentSafety.Settings(endpoint, key, apiVersion == null ? DEFAULT_API_VERSION : apiVersion, timeoutMs);
  }

  private static String text(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    String s = String.valueOf(value).strip();
    return s.isEmpty() ? null : s;
  }
}
