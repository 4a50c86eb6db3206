package media;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Assumptions;
import support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Managed Janus processes for tests: skipped with a printed line when Janus is not installed. */
public final class JanusSupport {

  private JanusSupport() {
  }

  /** Skips the calling test (with a line saying why) unless Debian's janus is installed. */
  public static void assumeInstalled(String who) {
    String missing = JanusProcess.missing(null, null);
    if (missing != null) {
      System.out.println("[" + who + "] SKIPPED: " + missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
  }

  /** Settings for a managed Janus on free ports, loopback media (nat_1_1_mapping 127.0.0.1), quick restarts. */
  public static JanusProcess.Settings settings() {
    return new JanusProcess.Settings(null, null, TestServer.freePort(), 0, "40000-60000", "127.0.0.1", false,
      null, 3478, null, 3478, "udp", null, null, null, "vmnet", 3, 60, 200, 2000, 15_000);
  }

  /** Starts a managed Janus in a fresh folder (blocking: call from the test thread). */
  public static JanusProcess start(Vertx vertx) {
    return JanusProcess.start(vertx, settings(), tempDir()).await();
  }

  public static Path tempDir() {
    try {
      return Files.createTempDirectory("parley-janus-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a Janus conversation on {@code ctx} (a client is confined to its context) and waits for it, from the test thread. */
  public static <T> T on(io.vertx.core.Context ctx, java.util.function.Supplier<io.vertx.core.Future<T>> op) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> {
      try {
        op.get().onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future().await();
  }

  /** A Chromium SDP offer publishing audio and simulcast video (three rids). */
  public static String publisherOffer() {
    try (var in = JanusSupport.class.getResourceAsStream("/media/publisher-offer.sdp")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
