package webclient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import support.BrowserSpec;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Breakout rooms in the real page: three Chromium contexts driven by {@code e2e/breakouts.spec.mjs}.
 * The host opens two rooms and sends one person to each; their pages move there and show the room
 * and its timer; the host visits a room (still host), broadcasts, closes all, and after the
 * countdown (3 s on this server) everyone is back in the main room. Screenshots go to
 * {@code target/e2e-screenshots/}.
 */
@DisplayName("Breakout rooms in the browser: moved, visited, broadcast to, closed, back in the main room")
class BreakoutsInBrowserTest {

  static Parley server;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e-breakouts");
    server = TestServer.start(new JsonObject().put("breakouts", new JsonObject().put("countdownSeconds", 3).put("sweepMs", 250)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @Timeout(value = 330, unit = TimeUnit.SECONDS)
  @DisplayName("every step of e2e/breakouts.spec.mjs passes")
  void breakoutsInThreeBrowsers() throws Exception {
    String output = BrowserSpec.run("breakouts.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of("CHROMIUM", chromium), 300);
    assertTrue(output.contains("ALL STEPS PASSED"), "every step reported");
  }
}
