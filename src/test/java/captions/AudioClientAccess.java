package captions;

import support.Wer;
import verticles.Parley;

import java.util.concurrent.TimeUnit;

/** Lets tests outside this package speak into a meeting through /ws/audio. */
public final class AudioClientAccess {

  private AudioClientAccess() {
  }

  /** Streams a test WAV as {@code token}'s microphone and waits for the stream to end normally. */
  public static void speak(Parley server, String token, String meetingId, String wav) throws Exception {
    AudioClient mic = AudioClient.connect(server.vertx(), server.port(), token, meetingId, "en-US").await();
    mic.stream(server.vertx(), Wer.pcm(wav), 3200, 10, true).await();
    mic.closed.future().timeout(20, TimeUnit.SECONDS).await();
  }
}
