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

/**
 * The host's controls in the web client, end to end in four Chromium contexts driven by
 * {@code e2e/room.spec.mjs}: the lobby (knock, admit, deny), mute and mute-all obeyed by the page,
 * a co-host who admits, raised hands in order, a reaction, the lock and removing someone; the
 * development tokens last 30 s here, so the pages must renew them while it goes on.
 */
@DisplayName("The host's controls in the browser: lobby, admit, deny, mute, co-host, hands, reactions, lock, remove")
class RoomControlsInBrowserTest {

  private static final int DEV_TOKEN_SECONDS = 30;

  static Parley server;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = BrowserSpec.requireBrowser("e2e-room");
    // short-lived development tokens (and little leeway): the pages must renew them as the meeting goes on
    server = TestServer.start(new JsonObject().put("auth", new JsonObject()
      .put("devTokenTtlSeconds", DEV_TOKEN_SECONDS).put("leewaySeconds", 2)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES) // four browsers on a shared machine
  @DisplayName("Ada hosts, Ben and Cleo come through the lobby, Dan finds it locked: every step of e2e/room.spec.mjs passes")
  void hostControlsTheRoom() throws Exception {
    BrowserSpec.run("room.spec.mjs", List.of("http://127.0.0.1:" + server.port()), Map.of("CHROMIUM", chromium,
      "E2E_DEV_TTL", String.valueOf(DEV_TOKEN_SECONDS)), 420);
  }
}
