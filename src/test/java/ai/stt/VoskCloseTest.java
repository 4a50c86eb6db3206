package ai.stt;

import ai.SpeechRecognizer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.TestInfra;
import support.Wer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing the recogniser while audio is still queued (a server stopping in the middle of a meeting):
 * before the fix, the model was freed after a 5 s wait while the worker went on with the queue, and
 * the next stream's {@code vosk_recognizer_new} on the freed model killed the JVM (SIGSEGV, seen in CI
 * under load). Here one worker holds five minutes of one speaker's audio and a second speaker's first
 * chunk behind it when the recogniser closes.
 */
@DisplayName("Vosk closed with five minutes of audio queued: the queue is dropped, the model freed after the workers stop, the process survives")
class VoskCloseTest {

  @Test
  @DisplayName("close() returns, the queued streams end in an error instead of reaching the freed model, and a write after it is refused")
  void closeWithAudioQueued() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      SpeechRecognizer vosk = VoskSpeechRecognizer.create(vertx, new JsonObject().put("workers", 1)
        .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel())), Path.of("target")).await();
      byte[] pcm = Wer.pcm("fox.wav");
      Promise<String> first = Promise.promise();
      Promise<String> second = Promise.promise();
      RecognitionStream[] streams = new RecognitionStream[2];
      Promise<Void> queued = Promise.promise();
      vertx.runOnContext(v -> {
        streams[0] = vosk.open(new RecognitionRequest("a", "en", 16_000), listener(first));
        for (int repeat = 0; repeat < 300 * 32_000 / pcm.length; repeat++) { // five minutes of speech
          for (int offset = 0; offset < pcm.length; offset += 3_200) {
            streams[0].write(Buffer.buffer().appendBytes(pcm, offset, Math.min(3_200, pcm.length - offset)));
          }
        }
        streams[1] = vosk.open(new RecognitionRequest("b", "en", 16_000), listener(second));
        streams[1].write(Buffer.buffer().appendBytes(pcm, 0, 3_200));
        queued.complete();
      });
      queued.future().await(10, TimeUnit.SECONDS);
      vosk.close(); // would free the model under the worker before the fix

      String b = second.future().await(20, TimeUnit.SECONDS);
      assertTrue(b.startsWith("error"), "the stream queued behind the closing is told, not recognised on a freed model: " + b);
      Promise<Void> refused = Promise.promise();
      vertx.runOnContext(v -> streams[0].write(Buffer.buffer(new byte[3_200])).onComplete(r -> {
        if (r.failed()) {
          refused.complete();
        } else {
          refused.fail("a write after close was accepted");
        }
      }));
      refused.future().await(10, TimeUnit.SECONDS);
      String a = first.future().await(20, TimeUnit.SECONDS);
      assertTrue(a.startsWith("error") || a.equals("end"), "the first stream ended one way or the other: " + a);
    } finally {
      vertx.close().await();
    }
  }

  private static CaptionListener listener(Promise<String> outcome) {
    return new CaptionListener() {
      public void onPartial(Segment segment) { }
      public void onFinal(Segment segment) { }
      public void onError(Throwable error) { outcome.tryComplete("error: " + error.getMessage()); }
      public void onEnd() { outcome.tryComplete("end"); }
    };
  }
}
