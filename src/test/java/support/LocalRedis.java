package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} (and {@code redis-sentinel}) as a child process on a port of its
 * own, for tests that restart, kill or fail over an external Redis. {@link #available} says
 * whether the binaries are installed.
 */
public final class LocalRedis {

  private static final Path SERVER = Path.of("/usr/bin/redis-server");
  private static final Path SENTINEL = Path.of("/usr/bin/redis-sentinel");

  private final List<String> command;
  private final int port;
  private final Path dir;
  private Process process;

  private LocalRedis(List<String> command, int port, Path dir) {
    this.command = command;
    this.port = port;
    this.dir = dir;
  }

  /** Null when the servers can be run here, else why not. */
  public static String unavailableReason(boolean sentinelToo) {
    if (!Files.isExecutable(SERVER)) {
      return "Debian's redis-server is not installed (apt-get install redis-server)";
    }
    if (sentinelToo && !Files.isExecutable(SENTINEL)) {
      return "Debian's redis-sentinel is not installed (apt-get install redis-sentinel)";
    }
    return null;
  }

  /** A server on {@code port} with its data (AOF) in {@code dir}; {@code replicaOf} another port, or 0. */
  public static LocalRedis server(Path dir, int port, int replicaOf) throws IOException {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
      "--dir", dir.toString(), "--appendonly", "yes", "--save", "", "--daemonize", "no", "--protected-mode", "no"));
    if (replicaOf != 0) {
      command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
    }
    LocalRedis redis = new LocalRedis(command, port, dir);
    redis.start();
    return redis;
  }

  /** A sentinel on {@code port} watching master {@code name} at {@code masterPort}, quorum 1, down after 1 s. */
  public static LocalRedis sentinel(Path dir, int port, String name, int masterPort) throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
      "port " + port, "bind 127.0.0.1", "protected-mode no", "dir " + dir, "daemonize no",
      "sentinel monitor " + name + " 127.0.0.1 " + masterPort + " 1",
      "sentinel down-after-milliseconds " + name + " 1000",
      "sentinel failover-timeout " + name + " 10000",
      "sentinel parallel-syncs " + name + " 1", ""));
    LocalRedis sentinel = new LocalRedis(List.of(SENTINEL.toString(), conf.toString()), port, dir);
    sentinel.start();
    return sentinel;
  }

  public void start() throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    Poll.until(java.time.Duration.ofSeconds(20), () -> "PONG".equals(cli("PING")), "redis on " + port + " answers");
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** {@code redis-cli -p port args...}, its output trimmed ("" when it fails). */
  public String cli(String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-cli", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  public void stopQuietly() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
