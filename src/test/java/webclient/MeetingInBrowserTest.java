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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web client end to end: a real server (real Vosk, and Apertium when installed), the real
 * page served from the web root, and two Chromium contexts holding a meeting, driven by
 * {@code e2e/meeting.spec.mjs} (playwright-core from the committed lock, the machine's Chromium).
 * Screenshots of every step go to {@code target/e2e-screenshots/}.
 */
@DisplayName("A meeting in the browser: video both ways, chat, captions in English then Spanish, recording, reconnect")
class MeetingInBrowserTest {

  private static final long TIMEOUT_SECONDS = 300;

  static Parley server;
  static boolean translation;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e");
    JsonObject translationConfig = TestServer.apertiumIfInstalled();
    translation = !"none".equals(translationConfig.getString("provider"));
    if (!translation) {
      System.out.println("[e2e] Apertium APy is not installed (apt-get install apertium-apy apertium-eng-spa): "
        + "the Spanish captions step is skipped");
    }
    // translated characters are priced so that the budget step crosses a small budget with real usage
    server = TestServer.start(new JsonObject().put("ai", new JsonObject().put("translation", translationConfig)
      .put("prices", new JsonObject().put("translation", new JsonObject().put("apertium", 2000.0)))));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  @DisplayName("Ada and Ben meet in two Chromium contexts; every step of e2e/meeting.spec.mjs passes")
  void meetingInTwoBrowsers() throws Exception {
    BrowserSpec.run("meeting.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of("CHROMIUM", chromium,
      "E2E_AUDIO", Path.of("src", "test", "resources", "audio", "fox.wav").toString(),
      "E2E_TRANSLATION", translation ? "apertium" : "none"), TIMEOUT_SECONDS);
  }
}
