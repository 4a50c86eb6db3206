package media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Janus Gateway (Debian's {@code janus}) run by Parley as a child process: a configuration
 * generated under {@code <data>/janus/} at every start (new API secret, Admin API secret and
 * VideoRoom admin key each time), its API on 127.0.0.1 only, and supervised: when it exits
 * without being asked to, it is started again after a backoff (doubling from
 * {@code restartBackoffMs} to {@code restartMaxBackoffMs}; reset after a minute of running).
 * Stopped with the server. Its pid is in {@code <data>/janus/janus.pid} while it runs.
 */
public final class JanusProcess implements JanusServer {

  private static final Logger LOG = LoggerFactory.getLogger(JanusProcess.class);
  public static final String DEFAULT_COMMAND = "/usr/bin/janus";
  /** Where distributions put Janus's plugins and transports (Debian's multiarch folders first). */
  private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu/janus", "/usr/lib/aarch64-linux-gnu/janus",
    "/usr/lib/janus", "/usr/local/lib/janus", "/opt/janus/lib/janus");
  static final String HOST = "127.0.0.1";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The {@code media.janus} settings of a managed Janus. */
  public record Settings(String command, String libDir, int port, int adminPort, String rtpPortRange, String natMapping,
                         boolean keepPrivateHost, String stunServer, int stunPort, String turnServer, int turnPort,
                         String turnType, String turnUser, String turnPassword, String iceEnforceList,
                         String iceIgnoreList, int debugLevel, int sessionTimeoutSeconds, long restartBackoffMs,
                         long restartMaxBackoffMs, long startTimeoutMs) {

    String host() {
      return HOST;
    }
  }

  /** One run of the process and the secrets it was started with. */
  private record Run(Process process, JanusConfigFiles.Secrets secrets, long startedAtMs) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Path dir;
  private final Path libDir;
  private volatile Run run;
  private volatile boolean ready;
  private volatile boolean stopping;
  private volatile long backoffMs;
  private volatile int restarts;
  private volatile String lastProblem;
  private final Thread killOnExit = new Thread(this::killNow, "janus-kill-on-exit");

  private JanusProcess(Vertx vertx, Settings settings, Path dir, Path libDir) {
    this.vertx = vertx;
    this.settings = settings;
    this.dir = dir;
    this.libDir = libDir;
    this.backoffMs = settings.restartBackoffMs();
  }

  /** Why Janus cannot be managed here, or null when its binary, VideoRoom plugin and WebSocket transport are installed. */
  public static String missing(String command, String libDir) {
    String exe = command == null ? DEFAULT_COMMAND : command;
    if (!Files.isExecutable(Path.of(exe))) {
      return "Janus is not installed at " + exe + " (apt-get install janus)";
    }
    Path lib = findLibDir(libDir);
    if (lib == null) {
      return "Janus's VideoRoom plugin and WebSocket transport were not found (looked in "
        + (libDir == null ? String.join(", ", LIB_DIRS) : libDir) + ")";
    }
    return null;
  }

  private static Path findLibDir(String configured) {
    for (String candidate : configured == null ? LIB_DIRS : List.of(configured)) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p.resolve("plugins/libjanus_videoroom.so")) && Files.isRegularFile(p.resolve("transports/libjanus_websockets.so"))) {
        return p;
      }
    }
    return null;
  }

  /**
   * Starts Janus and completes once its API answers; then keeps it running until {@link #stop()}.
   * Fails (leaving nothing running) when it is not installed or does not answer within
   * {@code startTimeoutMs}.
   */
  public static Future<JanusProcess> start(Vertx vertx, Settings settings, Path dataDir) {
    String problem = missing(settings.command(), settings.libDir());
    if (problem != null) {
      return Future.failedFuture(new IllegalStateException(problem));
    }
    JanusProcess janus = new JanusProcess(vertx, settings, dataDir.resolve("janus"), findLibDir(settings.libDir()));
    Runtime.getRuntime().addShutdownHook(janus.killOnExit);
    return janus.launch().map(janus).recover(err -> {
      janus.stop();
      return Future.failedFuture(err);
    });
  }

  @Override
  public String id() {
    return "managed";
  }

  @Override
  public String url() {
    return "ws://" + HOST + ":" + settings.port();
  }

  @Override
  public String apiSecret() {
    Run current = run;
    return current == null ? null : current.secrets().apiSecret();
  }

  @Override
  public String adminKey() {
    Run current = run;
    return current == null ? null : current.secrets().adminKey();
  }

  /** The Admin API's secret of the current run (the Admin API is on only with {@code adminPort} > 0). */
  public String adminSecret() {
    Run current = run;
    return current == null ? null : current.secrets().adminSecret();
  }

  @Override
  public boolean available() {
    Run current = run;
    return ready && current != null && current.process().isAlive();
  }

  @Override
  public String problem() {
    return available() ? null : lastProblem == null ? "Janus is starting" : lastProblem;
  }

  /** The process id of the current run, or -1. */
  public long pid() {
    Run current = run;
    return current == null || !current.process().isAlive() ? -1 : current.process().pid();
  }

  /** How many times it was started again after exiting by itself. */
  public int restarts() {
    return restarts;
  }

  public Path folder() {
    return dir;
  }

  private Future<Void> launch() {
    return vertx.executeBlocking(() -> {
      String taken = portTaken(settings.port());
      if (taken != null) {
        // another Janus (a second node on this host) would answer the readiness check in its place
        throw new IllegalStateException("port " + settings.port() + " for Janus's API is in use (" + taken
          + "); give each managed Janus on this host its own media.janus.port (PARLEY_MEDIA_JANUS_PORT)");
      }
      JanusConfigFiles.Secrets secrets = new JanusConfigFiles.Secrets(secret(), secret(), secret());
      Path main = JanusConfigFiles.write(dir, settings, libDir, secrets);
      Path log = dir.resolve("janus.log");
      String exe = settings.command() == null ? DEFAULT_COMMAND : settings.command();
      Process p = new ProcessBuilder(List.of(exe, "-C", main.toString(), "-F", dir.toString(), "-o", "-N", "-L", log.toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).directory(new File(dir.toString()))
        .start();
      Files.writeString(dir.resolve("janus.pid"), p.pid() + "\n");
      Run started = new Run(p, secrets, System.currentTimeMillis());
      run = started;
      ready = false;
      p.onExit().thenAccept(exited -> vertx.runOnContext(v -> exited(started)));
      return started;
    }, false).compose(started -> awaitReady(started, System.currentTimeMillis() + settings.startTimeoutMs()))
      .onSuccess(v -> {
        ready = true;
        lastProblem = null;
        LOG.info("Janus running, API on {} (pid {}, RTP ports {}{})", url(), pid(), settings.rtpPortRange(),
          settings.adminPort() > 0 ? ", Admin API on 127.0.0.1:" + settings.adminPort() : "");
      });
  }

  /** Why {@code port} cannot be bound on this host (something listens there), or null when it is free. */
  static String portTaken(int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress("0.0.0.0", port));
      return null;
    } catch (java.io.IOException e) {
      return e.getMessage();
    }
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Polls the API (connect, {@code info} with the secret) until it answers or the deadline passes. */
  private Future<Void> awaitReady(Run started, long deadline) {
    if (!started.process().isAlive()) {
      return Future.failedFuture(new IllegalStateException("Janus exited at start with code " + started.process().exitValue()
        + " (see " + dir.resolve("janus.log") + ")"));
    }
    return JanusClient.connect(vertx, url(), started.secrets().apiSecret(), 1000)
      .compose(client -> client.info().eventually(client::close))
      .<Void>mapEmpty()
      .recover(err -> {
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture(new IllegalStateException("Janus did not answer on " + url() + " within "
            + settings.startTimeoutMs() + " ms: " + err.getMessage() + " (see " + dir.resolve("janus.log") + ")"));
        }
        return vertx.timer(100).compose(t -> awaitReady(started, deadline));
      });
  }

  /** The process exited: unless Parley stopped it, start it again after the backoff. */
  private void exited(Run gone) {
    if (stopping || run != gone) {
      return;
    }
    ready = false;
    int code = gone.process().exitValue();
    long ranMs = System.currentTimeMillis() - gone.startedAtMs();
    if (ranMs > 60_000) {
      backoffMs = settings.restartBackoffMs();
    }
    long delay = backoffMs;
    backoffMs = Math.min(settings.restartMaxBackoffMs(), Math.max(1, backoffMs) * 2);
    lastProblem = "Janus exited with code " + code + "; starting it again";
    LOG.warn("Janus exited with code {} after {} s; starting it again in {} ms", code, ranMs / 1000, delay);
    vertx.setTimer(Math.max(1, delay), t -> {
      if (stopping) {
        return;
      }
      restarts++;
      launch().onFailure(err -> {
        lastProblem = err.getMessage();
        LOG.warn("Janus did not start again: {}", err.getMessage());
        Run failed = run;
        if (failed != null && failed.process().isAlive()) {
          failed.process().destroyForcibly(); // its exit schedules the next attempt
        } else if (failed != null) {
          exited(failed);
        }
      });
    });
  }

  /** Stops Janus (and its supervision); waits up to 3 s before killing it. Blocking: not on an event loop. */
  public void stop() {
    stopping = true;
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it kills the process
    }
    Run current = run;
    if (current == null) {
      return;
    }
    current.process().destroy();
    try {
      if (!current.process().waitFor(3, TimeUnit.SECONDS)) {
        current.process().destroyForcibly();
      }
    } catch (InterruptedException e) {
      current.process().destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(dir.resolve("janus.pid"));
    } catch (IOException ignored) {
      // the folder is the server's own
    }
  }

  private void killNow() {
    Run current = run;
    if (current != null) {
      current.process().destroyForcibly();
    }
  }
}
