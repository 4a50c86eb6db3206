package ai.stt;

import ai.SpeechRecognizer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.TestInfra;
import support.Wer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Vosk streams give their worker slot back exactly once, however they stop")
class VoskStreamSlotsTest {

  static Vertx vertx;
  static VoskSpeechRecognizer vosk;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    SpeechRecognizer r = VoskSpeechRecognizer.create(vertx, new JsonObject().put("workers", 2)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel())), Path.of("target")).await();
    vosk = (VoskSpeechRecognizer) r;
  }

  @AfterAll
  static void stop() {
    vosk.close();
    vertx.close().await();
  }

  /** Opens a stream on an event loop, feeds it a second of speech, then runs {@code then} there. */
  static Promise<Void> run(java.util.function.BiConsumer<RecognitionStream, Promise<Void>> then) throws Exception {
    Promise<Void> done = Promise.promise();
    byte[] pcm = Wer.pcm("fox.wav");
    vertx.runOnContext(v -> {
      RecognitionStream[] s = new RecognitionStream[1];
      s[0] = vosk.open(new RecognitionRequest("t", "en", 16_000), new CaptionListener() {
        public void onPartial(Segment segment) { }
        public void onFinal(Segment segment) { }
        public void onError(Throwable error) { done.tryFail(error); }
        public void onEnd() { done.tryComplete(); }
      });
      s[0].write(Buffer.buffer().appendBytes(pcm, 0, 32_000));
      then.accept(s[0], done);
    });
    return done;
  }

  static void settle() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline && vosk.activeStreams() != 0) {
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("ended, then aborted at different moments of the end: the slot comes back once (the count is neither held nor negative)")
  void endThenAbort() throws Exception {
    // The abort lands at different moments of the end: before it is processed, while the final
    // result is computed, and between the slot's release and the end's delivery.
    for (int i = 0; i < 30; i++) {
      int delayMs = 1 + i % 15;
      run((s, done) -> {
        s.end();
        vertx.setTimer(delayMs, t -> {
          s.abort();
          vertx.setTimer(50, u -> done.tryComplete());
        });
      }).future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    settle();
    assertEquals(0, vosk.activeStreams(), "no slot is held, and none was given back twice (it would be negative)");
  }

  @Test
  @DisplayName("ended and delivered, then aborted, or aborted at once: every slot comes back")
  void endedOrAborted() throws Exception {
    run((s, done) -> s.end()).future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    run((s, done) -> {
      s.abort();
      done.tryComplete();
    }).future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    settle();
    assertEquals(0, vosk.activeStreams());
  }
}
