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
      : Future.succeededFuture(new UnavailableRecognizer(provider, err.getMessage())));
  }
}
