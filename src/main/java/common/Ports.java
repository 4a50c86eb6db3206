package common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers that are told their port before they bind it (the embedded
 * PostgreSQL and Redis, which also come back on the same port after a crash).
 *
 * <p>A port from {@code new ServerSocket(0)} is free only until the probe closes, and it comes
 * from the kernel's ephemeral range, the same range every outgoing connection's local port is
 * drawn from: any client connecting anywhere in between can take it, and the server's bind then
 * fails with "Address already in use". Ports are therefore drawn below that range, where the
 * kernel never hands out a local port on its own.
 */
public final class Ports {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 20_000;

  private Ports() {
  }

  /** A port nothing listens on now, outside the ephemeral range when there is room below it. */
  public static int free() throws IOException {
    int below = ephemeralStart();
    if (below - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < 100; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
        if (bindable(port)) {
          return port;
        }
      }
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux; 32768, its default, elsewhere). */
  static int ephemeralStart() {
    try {
      List<String> lines = Files.readAllLines(EPHEMERAL_RANGE);
      return Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
