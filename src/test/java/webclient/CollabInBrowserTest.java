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
 * The whiteboard and polls in the real page: three Chromium contexts driven by
 * {@code e2e/collab.spec.mjs} (playwright-core from the committed lock, the machine's Chromium).
 * Two draw at once and a third who joins late sees the same board, pixel for pixel; a poll with
 * three voters, a changed vote, and its close. Screenshots go to {@code target/e2e-screenshots/}.
 */
@DisplayName("Collaboration in the browser: two draw and a late joiner sees the same board; a poll with three voters")
class CollabInBrowserTest {

  static Parley server;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e-collab");
    server = TestServer.start(new JsonObject());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @Timeout(value = 330, unit = TimeUnit.SECONDS)
  @DisplayName("every step of e2e/collab.spec.mjs passes")
  void collaborationInThreeBrowsers() throws Exception {
    String output = BrowserSpec.run("collab.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of("CHROMIUM", chromium), 300);
    assertTrue(output.contains("ALL STEPS PASSED"), "every step reported");
  }
}
