package common;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Free ports for the embedded servers")
class PortsTest {

  @Test
  @DisplayName("A free port can be bound, and lies below the kernel's ephemeral range (no client's local port can take it)")
  void belowTheEphemeralRange() throws Exception {
    int start = Ports.ephemeralStart();
    for (int i = 0; i < 20; i++) {
      int port = Ports.free();
      if (start - 20_000 >= 1_000) {
        assertTrue(port >= 20_000 && port < start, port + " is not below " + start);
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertTrue(socket.isBound());
      }
    }
  }

  @Test
  @DisplayName("A port something listens on is not handed out")
  void busyPortsAreSkipped() throws Exception {
    try (ServerSocket busy = new ServerSocket(Ports.free(), 1, InetAddress.getLoopbackAddress())) {
      assertFalse(Ports.bindable(busy.getLocalPort()), "a listening port was taken for free");
      assertTrue(Ports.bindable(Ports.free()));
    }
  }
}
