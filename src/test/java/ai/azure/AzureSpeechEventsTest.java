package ai.azure;

import ai.stt.AzureSpeechEvents;
import ai.stt.AzureSpeechEvents.Kind;
import ai.stt.SpeechRecognizerFactory;
import ai.SpeechRecognizer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Azure Speech provider without the cloud: its event mapping and its configuration checks. */
@DisplayName("Azure Speech: SDK events map to partial/final/error/end; missing settings are named")
class AzureSpeechEventsTest {

  @Test
  @DisplayName("recognizing is a partial, recognized a final with times from 100-ns ticks, NoMatch nothing")
  void mapping() {
    AzureSpeechEvents.Mapped partial = AzureSpeechEvents.recognizing("hello every", 5_000_000L, 12_000_000L, 42);
    assertEquals(Kind.PARTIAL, partial.kind());
    assertEquals(500, partial.segment().startMs());
    assertEquals(1700, partial.segment().endMs());
    assertEquals(42, partial.segment().audioReceivedAtNanos());
    AzureSpeechEvents.Mapped fin = AzureSpeechEvents.recognized("RecognizedSpeech", " Hello everyone. ", 5_000_000L, 20_000_000L, 1);
    assertEquals(Kind.FINAL, fin.kind());
    assertEquals("Hello everyone.", fin.segment().text());
    assertEquals(2500, fin.segment().endMs());
    assertEquals(Kind.NOTHING, AzureSpeechEvents.recognized("NoMatch", "", 0, 0, 0).kind());
    assertEquals(Kind.NOTHING, AzureSpeechEvents.recognizing("", 0, 0, 0).kind());
  }

  @Test
  @DisplayName("a cancellation with an error becomes an error with the SDK's details; end of stream ends")
  void cancellation() {
    AzureSpeechEvents.Mapped error = AzureSpeechEvents.canceled("Error", "AuthenticationFailure", "invalid subscription key");
    assertEquals(Kind.ERROR, error.kind());
    assertTrue(error.error().contains("AuthenticationFailure") && error.error().contains("invalid subscription key"));
    assertEquals(Kind.END, AzureSpeechEvents.canceled("EndOfStream", null, null).kind());
    assertEquals(Kind.END, AzureSpeechEvents.sessionStopped().kind());
  }

  @Test
  @DisplayName("without a key or a region the provider says so and the server reports speech-to-text down")
  void configuration() {
    assertEquals("ai.stt.azure.key is not set", AzureSpeechEvents.configurationProblem(null, "westeurope", null));
    assertTrue(AzureSpeechEvents.configurationProblem("k", null, null).contains("ai.stt.azure.region"));
    assertNull(AzureSpeechEvents.configurationProblem("k", "westeurope", null));
    assertNull(AzureSpeechEvents.configurationProblem("k", null, "wss://example.invalid/stt"));
    Vertx vertx = Vertx.vertx();
    try {
      SpeechRecognizer r = SpeechRecognizerFactory.create(vertx, new JsonObject().put("provider", "azure")
        .put("azure", new JsonObject().put("region", "westeurope")), Path.of("target")).await();
      assertFalse(r.isConfiguredProperly());
      assertEquals("azure", r.provider());
      assertTrue(r.configurationProblem().contains("ai.stt.azure.key"));
      r.close();
    } finally {
      vertx.close().await();
    }
  }
}
