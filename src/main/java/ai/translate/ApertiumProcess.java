package ai.translate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Apertium APy (Debian {@code apertium-apy} with installed pairs) as a child process on
 * 127.0.0.1, when the configuration asks Parley to manage it; stopped with the server.
 */
public final class ApertiumProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ApertiumProcess.class);
  public static final String DEFAULT_COMMAND = "/usr/bin/apertium-apy";
  public static final String DEFAULT_MODES = "/usr/share/apertium/modes";

  private final Process process;
  /** Kills APy if the JVM exits without stopping it (a crash, or a start-up that failed half-way). */
  private final Thread killOnExit;

  private ApertiumProcess(Process process) {
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, "apertium-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  public static boolean isInstalled(String command) {
    return Files.isExecutable(Path.of(command == null ? DEFAULT_COMMAND : command)) && Files.isDirectory(Path.of(DEFAULT_MODES));
  }

  /** Starts APy and waits (up to 20 s) until {@code /listPairs} answers. */
  public static Future<ApertiumProcess> start(Vertx vertx, String command, String modesDir, int port) {
    String exe = command == null ? DEFAULT_COMMAND : command;
    String modes = modesDir == null ? DEFAULT_MODES : modesDir;
    return vertx.executeBlocking(() -> {
      if (!isInstalled(exe)) {
        throw new IllegalStateException("Apertium APy is not installed at " + exe + " (apt-get install apertium-apy apertium-eng-spa)");
      }
      Path log = Files.createTempFile("parley-apertium-", ".log");
      Process p = new ProcessBuilder(List.of(exe, "-p", String.valueOf(port), "-j", "1", modes))
        .redirectErrorStream(true).redirectOutput(log.toFile()).directory(new File(System.getProperty("java.io.tmpdir")))
        .start();
      return new ApertiumProcess(p);
    }, false).compose(apy -> apy.awaitReady(vertx, port, System.currentTimeMillis() + 20_000)
      .recover(err -> {
        apy.stop();
        return Future.failedFuture(new IllegalStateException("Apertium APy did not start on port " + port + ": " + err.getMessage()));
      })
      .map(v -> {
        LOG.info("Apertium APy running on 127.0.0.1:{} (pid {})", port, apy.process.pid());
        return apy;
      }));
  }

  private Future<Void> awaitReady(Vertx vertx, int port, long deadline) {
    WebClient probe = WebClient.create(vertx);
    return poll(vertx, probe, port, deadline).onComplete(ar -> probe.close());
  }

  private Future<Void> poll(Vertx vertx, WebClient probe, int port, long deadline) {
    if (!process.isAlive()) {
      return Future.failedFuture("the process exited with code " + process.exitValue());
    }
    return probe.get(port, "127.0.0.1", "/listPairs").timeout(1000).send()
      .<Void>compose(r -> r.statusCode() == 200 ? Future.succeededFuture() : Future.failedFuture("HTTP " + r.statusCode()))
      .recover(err -> {
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture("not answering after 20 s (" + err.getMessage() + ")");
        }
        return vertx.timer(200).compose(t -> poll(vertx, probe, port, deadline));
      });
  }

  public void stop() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it kills the process
    }
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
