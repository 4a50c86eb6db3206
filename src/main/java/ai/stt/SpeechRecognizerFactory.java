package ai.stt;

import ai.SpeechRecognizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The configured speech recogniser ({@code ai.stt.provider}): {@code vosk} (default, local) or
 * {@code azure} (Azure AI Speech: {@code ai.stt.azure.key} and {@code region} or {@code endpoint}). A
 * provider that cannot start gives a recogniser that says why, so the server still runs and
 * readiness reports speech-to-text as down.
 */
public final class SpeechRecognizerFactory {

  private SpeechRecognizerFactory() {
  }

  public static Future<SpeechRecognizer> create(Vertx vertx, JsonObject stt, Path dataDir) {
    String provider = stt.getString("provider") == null ? "vosk" : stt.getString("provider");
    Future<SpeechRecognizer> created = switch (provider) {
      case "vosk" -> VoskSpeechRecognizer.create(vertx, stt, dataDir);
      case "azure" -> Future.succeededFuture(new AzureSpeechRecognizer(stt));
      default -> Future.failedFuture(new IllegalArgumentException(
        "ai.stt.provider must be vosk or azure, not '" + provider + "'"));
    };
    return created.recover(err -> err instanceof IllegalArgumentException
      ? Future.failedFuture(err)
      : Future.succeededFuture(new UnavailableRecognizer(provider, err.getMessage(), languages(provider, stt))));
  }

  /**
   * The local engine for when a tenant's AI budget is spent: {@code configured} itself when it is
   * Vosk, else Vosk loaded beside it (from {@code ai.stt.vosk}); null when Vosk cannot load.
   */
  public static Future<SpeechRecognizer> local(Vertx vertx, JsonObject stt, Path dataDir, SpeechRecognizer configured) {
    if ("vosk".equals(configured.provider())) {
      return Future.succeededFuture(configured.isConfiguredProperly() ? configured : null);
    }
    return VoskSpeechRecognizer.create(vertx, stt, dataDir).otherwise(err -> {
      org.slf4j.LoggerFactory.getLogger(SpeechRecognizerFactory.class)
        .warn("No local speech engine for tenants whose AI budget is spent: {}", err.getMessage());
      return null;
    });
  }

  /** What the provider would have recognised: Vosk its model's language, Azure any in the catalogue. */
  private static java.util.Set<String> languages(String provider, JsonObject stt) {
    if ("azure".equals(provider)) {
      return common.Languages.catalogue();
    }
    String language = stt.getJsonObject("vosk", new JsonObject()).getString("language");
    return java.util.Set.of(language == null ? "en" : common.Languages.normalise(language));
  }
}
