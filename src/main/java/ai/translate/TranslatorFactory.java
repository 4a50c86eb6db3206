package ai.translate;

import ai.Translator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured translator ({@code ai.translation.provider}): {@code apertium} (default; with
 * {@code manage: true} Parley starts APy itself when it is installed), {@code azure} (Translator v3)
 * or {@code none}. When
 * Apertium cannot be reached the server still starts: captions go out untranslated and readiness
 * reports translation as down.
 */
public final class TranslatorFactory {

  private static final Logger LOG = LoggerFactory.getLogger(TranslatorFactory.class);

  private TranslatorFactory() {
  }

  public static Future<Translator> create(Vertx vertx, JsonObject config) {
    String provider = config.getString("provider") == null ? "apertium" : config.getString("provider");
    long timeoutMs = config.getLong("timeoutMs", 2000L);
    switch (provider) {
      case "none":
        return Future.succeededFuture(new NoTranslator(null));
      case "apertium":
        JsonObject apertium = config.getJsonObject("apertium", new JsonObject());
        if (!Boolean.TRUE.equals(apertium.getBoolean("manage"))) {
          String url = apertium.getString("url") == null ? "http://127.0.0.1:2737" : apertium.getString("url");
          return Future.succeededFuture(new ApertiumTranslator(vertx, url, timeoutMs, pivot(apertium), null));
        }
        int port = apertium.getInteger("port", 2737);
        return ApertiumProcess.start(vertx, apertium.getString("command"), apertium.getString("modesDir"), port)
          .<Translator>map(process -> new ApertiumTranslator(vertx, "http://127.0.0.1:" + port, timeoutMs, pivot(apertium), process))
          .recover(err -> {
            LOG.warn("Live translation is off: {}", err.getMessage());
            return Future.succeededFuture(new NoTranslator(err.getMessage()));
          });
      case "azure":
        JsonObject azure = config.getJsonObject("azure", new JsonObject());
        if (azure.getString("key") == null || azure.getString("key").isBlank()) {
          return Future.failedFuture(new IllegalArgumentException(
            "ai.translation.azure.key (PARLEY_AI_TRANSLATION_AZURE_KEY) is required for provider azure"));
        }
        String endpoint = azure.getString("endpoint") == null ? "https://api.cognitive.microsofttranslator.com" : azure.getString("endpoint");
        return Future.succeededFuture(new AzureTranslator(vertx, endpoint, azure.getString("key"), azure.getString("region"), timeoutMs));
      default:
        return Future.failedFuture(new IllegalArgumentException(
          "ai.translation.provider must be apertium, azure or none, not '" + provider + "'"));
    }
  }

  /** {@code ai.translation.apertium.pivot}: the language between two without a pair of their own; null for none. */
  private static String pivot(JsonObject apertium) {
    String pivot = apertium.getString("pivot");
    return pivot == null || pivot.isBlank() ? null : common.Languages.normalise(pivot);
  }
}
