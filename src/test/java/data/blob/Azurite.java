package data.blob;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real Azurite blob service for tests and the bench, started on a free loopback port with
 * in-memory persistence. The binary is looked up in {@code -Dparley.azurite}, {@code $AZURITE_BLOB},
 * then as {@link NodeTool} says.
 */
public final class Azurite implements AutoCloseable {

  /** The emulator's well-known development account key (public, not a secret). */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static String unavailableReason;
  private static Path binary;

  private final Process process;
  private final int port;

  private Azurite(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The azurite-blob executable, or empty with {@link #unavailableReason()} set. */
  public static synchronized Optional<Path> binary() {
    if (binary != null) {
      return Optional.of(binary);
    }
    if (unavailableReason != null) {
      return Optional.empty();
    }
    Optional<Path> found = NodeTool.find("azurite-blob", "parley.azurite", "AZURITE_BLOB");
    if (found.isEmpty()) {
      unavailableReason = "Azurite is not installed: run `npm ci --prefix tools` (azurite 3.35.0 pinned by"
          + " tools/package-lock.json), or set AZURITE_BLOB to an azurite-blob executable";
      return Optional.empty();
    }
    binary = found.get();
    return found;
  }

  public static String unavailableReason() {
    return unavailableReason;
  }

  /** Starts Azurite on a free port and waits until it accepts connections. */
  public static Azurite start() throws IOException, InterruptedException {
    Path bin = binary().orElseThrow(() -> new IllegalStateException(unavailableReason));
    int port = NodeTool.freePort();
    Path log = NodeTool.logFile("azurite", "azurite-" + port + ".log");
    Process p = new ProcessBuilder(List.of(bin.toString(), "--inMemoryPersistence", "--blobHost", "127.0.0.1",
        "--blobPort", String.valueOf(port), "--skipApiVersionCheck", "--loose", "--silent",
        // no telemetry to the internet: here its DNS lookups fail, and they share Node's small
        // thread pool with Azurite's own file work
        "--disableTelemetry"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    NodeTool.awaitListening(p, port, log, "azurite-blob");
    return new Azurite(p, port);
  }

  public int port() {
    return port;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + ACCOUNT_KEY
        + ";BlobEndpoint=http://127.0.0.1:" + port + "/devstoreaccount1;";
  }

  @Override
  public void close() {
    NodeTool.stop(process);
  }
}
