package media;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two managed Janus on one host (two nodes of a cluster run side by side) cannot share the API
 * port: the second must say so, not crash-loop while the first one answers its readiness check.
 */
@DisplayName("A managed Janus whose API port is taken fails at once, naming the port and the setting")
class JanusPortTakenTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("janus-port");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("something listens on media.janus.port: the start fails with the port, the reason and PARLEY_MEDIA_JANUS_PORT")
  void portInUse() throws Exception {
    JanusProcess.Settings settings = JanusSupport.settings();
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress("0.0.0.0", settings.port()));
      Exception e = assertThrows(Exception.class, () -> JanusProcess.start(vertx, settings, JanusSupport.tempDir()).await());
      String message = e.getMessage();
      assertTrue(message.contains("port " + settings.port()) && message.contains("in use")
        && message.contains("PARLEY_MEDIA_JANUS_PORT"), message);
    }
    // free again: it starts
    JanusProcess janus = JanusProcess.start(vertx, settings, JanusSupport.tempDir()).await();
    try {
      assertTrue(janus.available(), janus.problem());
    } finally {
      janus.stop();
    }
  }
}
