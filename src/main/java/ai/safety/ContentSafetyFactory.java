package ai.safety;

import ai.ContentSafety;
import io.vertx.core.json.JsonObject;

/** The configured provider ({@code ai.safety.provider}): {@code builtin}, the default. */
public final class ContentSafetyFactory {

  private ContentSafetyFactory() {
  }

  public static ContentSafety create(JsonObject safety) {
    String provider = safety == null || safety.getString("provider") == null ? "builtin" : safety.getString("provider");
    if (!"builtin".equals(provider)) {
      throw new IllegalArgumentException("ai.safety.provider must be builtin (the Azure provider is not built yet), not '"
        + provider + "'");
    }
    return new BuiltInContentSafety();
  }
}
