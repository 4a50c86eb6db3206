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
 * The shared notes in the real page (the vendored Automerge's wasm under the page's CSP): three
 * Chromium contexts driven by {@code e2e/notes.spec.mjs}. Two type in the notes at the same time and
 * both texts survive, on both pages and on the server; a third who joins late sees the same text.
 */
@DisplayName("Shared notes in the browser: two type at once and both texts survive; a late joiner sees the same text")
class NotesInBrowserTest {

  static Parley server;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e-notes");
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
  @DisplayName("every step of e2e/notes.spec.mjs passes")
  void notesInThreeBrowsers() throws Exception {
    String output = BrowserSpec.run("notes.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of("CHROMIUM", chromium), 300);
    assertTrue(output.contains("ALL STEPS PASSED"), "every step reported");
  }
}
