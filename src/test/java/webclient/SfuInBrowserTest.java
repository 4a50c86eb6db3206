package webclient;

import io.vertx.core.json.JsonObject;
import media.JanusSupport;
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
 * Media through the SFU end to end: a real server managing a real Janus, and three Chromium
 * contexts (fake cameras and microphones) driven by {@code e2e/sfu.spec.mjs}: everyone sees
 * everyone (frames decoded) with at most two PeerConnections per page and at most three video
 * encodings sent, the active speaker, simulcast layers by tile size, a screen share seen and
 * stopped (from the page and as the browser's own stop does), a camera-off placeholder, a
 * leaver's tile removed, and Janus killed then restarted by the server with the pages recovering
 * by themselves. Screenshots go to {@code target/e2e-screenshots/sfu/}.
 */
@DisplayName("Three people through the SFU in Chromium: video, speaker, simulcast, screen share, leave, Janus restart")
class SfuInBrowserTest {

  static Parley server;
  static Path dataDir;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e-sfu");
    JanusSupport.assumeInstalled("e2e-sfu");
    JsonObject config = TestServer.config(new JsonObject().put("media", TestServer.janusMedia()));
    dataDir = Path.of(config.getJsonObject("data").getString("dir"));
    server = Parley.start(config).await();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // about 65 s on a quiet machine; much longer under a load of 30+
  @DisplayName("Ada, Ben and Cy meet through Janus; every step of e2e/sfu.spec.mjs passes")
  void threePeopleThroughTheSfu() throws Exception {
    Path screenshots = Path.of(System.getProperty("parley.buildDir", "target"), "e2e-screenshots", "sfu");
    BrowserSpec.run("sfu.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of(
      "CHROMIUM", chromium,
      "E2E_SCREENSHOTS", screenshots.toString(),
      "E2E_AUDIO", Path.of("src", "test", "resources", "audio", "fox.wav").toString(),
      "E2E_JANUS_PID_FILE", dataDir.resolve("janus").resolve("janus.pid").toString()), 300);
  }
}
