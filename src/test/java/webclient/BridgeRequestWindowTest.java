package webclient;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.BrowserSpec;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client's bridge sends at most 16 requests awaiting replies at once (the server counts
 * pending replies against {@code bridge.maxHandlersPerSocket} with the registrations, and refused
 * the rest: six people meeting on a loaded 2-core machine lost ICE candidates and registrations to
 * "max_handlers_per_socket reached"). {@code e2e/bridge-window.mjs} drives the real
 * {@code bridge.js} under Node against a stand-in socket.
 */
@DisplayName("Web client bridge: at most 16 requests in flight, the rest in line; all answered; all rejected on a drop")
class BridgeRequestWindowTest {

  @Test
  @DisplayName("60 requests at once: each gets its own reply, never more than 16 outstanding; a drop rejects every one with 503")
  void requestsWaitInLine() throws Exception {
    BrowserSpec.requireNode("bridge-window");
    String output = BrowserSpec.run("bridge-window.mjs", List.of(), Map.of(), 60);
    assertTrue(output.contains("at most 16 outstanding"), output);
  }
}
