package data.blob;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Azurite blob service for tests and the bench, started on a free loopback port with
 * in-memory persistence. The binary is looked up in {@code -Dparley.azurite}, {@code $AZURITE_BLOB},
 * {@code tools/node_modules/.bin} (the pinned install of {@code tools/package-lock.json}: {@code npm ci
 * --prefix tools}, which this runs once when npm is there and nothing was found, unless
 * {@code PARLEY_AZURITE_INSTALL=false}), then the PATH.
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
    Optional<Path> found = lookup();
    if (found.isEmpty() && !"false".equals(System.getenv("PARLEY_AZURITE_INSTALL")) && onPath("npm").isPresent()
        && Files.isRegularFile(Path.of("tools/package-lock.json"))) {
      try {
        Process install = new ProcessBuilder("npm", "ci", "--prefix", "tools", "--no-audit", "--no-fund",
            "--loglevel=error").redirectErrorStream(true)
            .redirectOutput(logFile("azurite-install.log").toFile()).start();
        if (install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0) {
          found = lookup();
        } else {
          install.destroyForcibly();
        }
      } catch (IOException | InterruptedException e) {
        // reported below
      }
    }
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

  private static Optional<Path> lookup() {
    for (String candidate : new String[]{System.getProperty("parley.azurite"), System.getenv("AZURITE_BLOB"),
        "tools/node_modules/.bin/azurite-blob"}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return Optional.of(Path.of(candidate).toAbsolutePath());
      }
    }
    return onPath("azurite-blob");
  }

  private static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts Azurite on a free port and waits until it accepts connections. */
  public static Azurite start() throws IOException, InterruptedException {
    Path bin = binary().orElseThrow(() -> new IllegalStateException(unavailableReason));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(List.of(bin.toString(), "--inMemoryPersistence", "--blobHost", "127.0.0.1",
        "--blobPort", String.valueOf(port), "--skipApiVersionCheck", "--loose", "--silent"))
        .redirectErrorStream(true)
        .redirectOutput(logFile("azurite-" + port + ".log").toFile())
        .start();
    Azurite azurite = new Azurite(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("azurite-blob exited with " + p.exitValue() + "; see " + logFile("azurite-" + port + ".log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return azurite;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    azurite.close();
    throw new IOException("azurite-blob did not listen on port " + port + " within 30 s");
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
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path logFile(String name) throws IOException {
    Path dir = Path.of(System.getProperty("parley.buildDir", "target"), "azurite");
    Files.createDirectories(dir);
    return dir.resolve(name);
  }
}
