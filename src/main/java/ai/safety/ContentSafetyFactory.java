package ai.safety;

import ai.ContentSafety;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The configured provider ({@code ai.safety.provider}): {@code builtin} (the default) or
 * {@code azure} ({@code ai.safety.azure.endpoint}, {@code key}, {@code timeoutMs}).
 */
public final class ContentSafetyFactory {

  private ContentSafetyFactory() {
  }

  public static ContentSafety create(Vertx vertx, JsonObject safety) {
    String provider = safety == null || safety.getString("provider") == null ? "builtin" : safety.getString("provider");
    switch (provider) {
      case "builtin":
        return new BuiltInContentSafety();
      case "azure":
        JsonObject azure = safety.getJsonObject("azure", new JsonObject());
        for (String field : new String[]{"endpoint", "key"}) {
          if (azure.getString(field) == null || azure.getString(field).isBlank()) {
            throw new IllegalArgumentException("ai.safety.azure." + field + " is required for provider azure");
          }
        }
        return new AzureContentSafety(vertx, azure.getString("endpoint"), azure.getString("key"), azure.getLong("timeoutMs", 3000L));
      default:
        throw new IllegalArgumentException("ai.safety.provider must be builtin or azure, not '" + provider + "'");
    }
  }
}
