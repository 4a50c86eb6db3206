package data.blob;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The storage emulators the tests and the bench start (Azurite, s3rver): npm packages pinned by
 * {@code tools/package-lock.json}. An executable is looked up in a system property, an environment
 * variable, {@code tools/node_modules/.bin}, then the PATH; when none is found and npm is there,
 * {@code npm ci --prefix tools} runs once (unless {@code PARLEY_AZURITE_INSTALL=false}).
 */
final class NodeTool {

  private static boolean installTried;

  private NodeTool() {
  }

  static synchronized Optional<Path> find(String bin, String property, String env) {
    Optional<Path> found = lookup(bin, property, env);
    if (found.isEmpty() && !installTried && !"false".equals(System.getenv("PARLEY_AZURITE_INSTALL"))
        && onPath("npm").isPresent() && Files.isRegularFile(Path.of("tools/package-lock.json"))) {
      installTried = true;
      try {
        Process install = new ProcessBuilder("npm", "ci", "--prefix", "tools", "--no-audit", "--no-fund",
            "--loglevel=error").redirectErrorStream(true).redirectOutput(logFile("tools", "npm-ci.log").toFile()).start();
        if (install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0) {
          found = lookup(bin, property, env);
        } else {
          install.destroyForcibly();
        }
      } catch (IOException | InterruptedException e) {
        // the caller reports the tool missing
      }
    }
    return found;
  }

  private static Optional<Path> lookup(String bin, String property, String env) {
    for (String candidate : new String[]{System.getProperty(property), System.getenv(env), "tools/node_modules/.bin/" + bin}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return Optional.of(Path.of(candidate).toAbsolutePath());
      }
    }
    return onPath(bin);
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

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits up to 30 s for {@code process} to accept connections on {@code port}; fails naming its log. */
  static void awaitListening(Process process, int port, Path log, String what) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(what + " exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    stop(process);
    throw new IOException(what + " did not listen on port " + port + " within 30 s");
  }

  static void stop(Process process) {
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

  static Path logFile(String folder, String name) throws IOException {
    Path dir = Path.of(System.getProperty("parley.buildDir", "target"), folder);
    Files.createDirectories(dir);
    return dir.resolve(name);
  }
}
