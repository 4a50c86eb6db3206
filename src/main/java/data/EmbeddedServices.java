package data;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded defaults: a PostgreSQL server in {@code <data>/pg} and a Redis server persisting
 * to {@code <data>/redis}, both on free loopback ports. Every method blocks (processes start and
 * stop): call them from a worker thread.
 *
 * <p><b>Durability.</b> PostgreSQL runs with {@code fsync}, {@code synchronous_commit} and
 * {@code full_page_writes} on (the embedding library turns them off by default), so a committed
 * row, and so an acknowledged chat message, survives the server being killed. {@code durable=false}
 * relaxes that for tests, and says so in the log.
 *
 * <p><b>Supervision.</b> {@link #supervise} starts one daemon thread that checks both processes
 * every {@code checkIntervalMs}; one that died (killed, crashed) is started again on the same port
 * and data, after a backoff that doubles from 500 ms to {@code maxBackoffMs} while restarts keep
 * failing. Each restart is logged and reported to the listener (the
 * {@code parley_dependency_restarts_total} metric). A stopped (SIGSTOP) process is alive and is left
 * alone: requests to it time out instead.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);
  private static final long FIRST_BACKOFF_MS = 500;

  private final boolean durable;
  private EmbeddedPostgres postgres;
  private Path pgDir;
  private int pgPort;
  private Path socketDir;
  private RedisServer redis;
  private Path redisDir;
  private int redisPort;
  private volatile Thread supervisor;
  private volatile boolean closing;

  /** Durable, as in production. */
  public EmbeddedServices() {
    this(true);
  }

  /** @param durable false only for tests: PostgreSQL without fsync and synchronous commit */
  public EmbeddedServices(boolean durable) {
    this.durable = durable;
  }

  public synchronized String startPostgres(Path dataDir) throws IOException {
    pgDir = dataDir.resolve("pg");
    Files.createDirectories(pgDir);
    pgPort = freePort();
    socketDir = socketDirFor(pgDir.toAbsolutePath(), pgPort);
    if (!durable) {
      LOG.warn("Embedded PostgreSQL runs WITHOUT fsync and synchronous commit (embedded.durable=false): "
        + "a crash can lose acknowledged writes; for tests only");
    }
    long started = System.nanoTime();
    postgres = launchPostgres();
    LOG.info("Embedded PostgreSQL ready on 127.0.0.1:{}{} (data {}, {}) in {} ms", pgPort,
      socketDir == null ? " (no Unix socket: its path would be too long or not listable)" : " and its Unix socket", pgDir,
      durable ? "fsync and synchronous commit on" : "not durable", (System.nanoTime() - started) / 1_000_000);
    return "postgresql://postgres:postgres@127.0.0.1:" + pgPort + "/postgres";
  }

  /**
   * The folder of the embedded PostgreSQL's Unix socket ({@code .s.PGSQL.<port>}, in its data
   * folder), or null when it has none: the socket's path would be longer than a socket address may
   * be (108 bytes with its end), or the folder's name could not be given to PostgreSQL as one item
   * of its list. Clients on a native transport connect there instead of to the loopback port: the
   * same protocol without TCP, connection tracking and the loopback device for each statement.
   */
  public synchronized Path postgresSocketDir() {
    return socketDir;
  }

  static Path socketDirFor(Path dir, int port) {
    String path = dir.toString();
    int socketPathBytes = (path + "/.s.PGSQL." + port).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    boolean listable = path.chars().noneMatch(c -> c == ',' || c == '"' || c == '\\' || Character.isWhitespace(c));
    return socketPathBytes <= 100 && listable ? dir : null;
  }

  private EmbeddedPostgres launchPostgres() throws IOException {
    String onOff = durable ? "on" : "off";
    return EmbeddedPostgres.builder()
      .setDataDirectory(pgDir)
      .setCleanDataDirectory(false)
      .setPort(pgPort)
      .setPGStartupWait(Duration.ofSeconds(30))
      .setServerConfig("max_connections", "200")
      .setServerConfig("listen_addresses", "127.0.0.1")
      // its Unix socket in the data folder ('' when the path cannot be one: TCP only)
      .setServerConfig("unix_socket_directories", socketDir == null ? "" : socketDir.toString())
      // after the library's -F (fsync off) on the command line: the later setting wins
      .setServerConfig("fsync", onOff)
      .setServerConfig("synchronous_commit", onOff)
      .setServerConfig("full_page_writes", onOff)
      .start();
  }

  public synchronized String startRedis(Path dataDir) throws IOException {
    redisDir = dataDir.resolve("redis");
    Files.createDirectories(redisDir);
    redisPort = freePort();
    redis = launchRedis();
    LOG.info("Embedded Redis ready on 127.0.0.1:{} (data {})", redisPort, redisDir);
    return "redis://127.0.0.1:" + redisPort;
  }

  private RedisServer launchRedis() throws IOException {
    RedisServer server = RedisServer.newRedisServer()
      .port(redisPort)
      .bind("127.0.0.1")
      .setting("dir " + redisDir.toAbsolutePath())
      .setting("appendonly yes")
      .setting("save 60 1")
      .setting("protected-mode yes")
      .setting("pidfile " + redisDir.resolve("redis.pid").toAbsolutePath())
      .build();
    server.start();
    return server;
  }

  /** The embedded PostgreSQL's postmaster, while it runs. */
  public Optional<ProcessHandle> postgresProcess() {
    return pgDir == null ? Optional.empty() : pidIn(pgDir.resolve("postmaster.pid"));
  }

  /** The embedded Redis server, while it runs. */
  public Optional<ProcessHandle> redisProcess() {
    return redisDir == null ? Optional.empty() : pidIn(redisDir.resolve("redis.pid"));
  }

  private static Optional<ProcessHandle> pidIn(Path pidFile) {
    try {
      String first = Files.readAllLines(pidFile).get(0).trim();
      return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts watching the servers started so far.
   *
   * @param restarted called (on the supervisor thread) with "db" or "redis" after each restart
   */
  public synchronized void supervise(long checkIntervalMs, long maxBackoffMs, Consumer<String> restarted) {
    if (supervisor != null) {
      return;
    }
    Watch db = postgres == null ? null : new Watch("db", "PostgreSQL", this::postgresProcess, this::restartPostgres);
    Watch cache = redis == null ? null : new Watch("redis", "Redis", this::redisProcess, this::restartRedis);
    Thread thread = new Thread(() -> {
      while (!closing) {
        try {
          Thread.sleep(checkIntervalMs);
          for (Watch watch : new Watch[]{db, cache}) {
            if (watch != null && !closing) {
              watch.check(maxBackoffMs, restarted);
            }
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LOG.warn("Supervising the embedded servers: {}", e.toString());
        }
      }
    }, "parley-embedded-supervisor");
    thread.setDaemon(true);
    supervisor = thread;
    // The JVM's shutdown stops child processes on its own (the Redis library's hook): not a death to repair.
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopSupervising, "parley-embedded-supervisor-stop"));
    thread.start();
  }

  /** No more restarts from now on (the server is shutting down). */
  public void stopSupervising() {
    closing = true;
    Thread watching = supervisor;
    if (watching != null) {
      watching.interrupt();
    }
  }

  /** One supervised process: its restarts back off while they keep failing. */
  private final class Watch {
    final String dependency;
    final String name;
    final java.util.function.Supplier<Optional<ProcessHandle>> process;
    final IoAction restart;
    long backoffMs = FIRST_BACKOFF_MS;
    long nextAttemptAt;
    long downSince;

    Watch(String dependency, String name, java.util.function.Supplier<Optional<ProcessHandle>> process, IoAction restart) {
      this.dependency = dependency;
      this.name = name;
      this.process = process;
      this.restart = restart;
    }

    void check(long maxBackoffMs, Consumer<String> restarted) {
      long now = System.currentTimeMillis();
      if (process.get().isPresent()) {
        if (downSince == 0) {
          backoffMs = FIRST_BACKOFF_MS;
        }
        return;
      }
      if (downSince == 0) {
        downSince = now;
        nextAttemptAt = now;
        LOG.warn("Embedded {} is not running (died or was killed): restarting it", name);
      }
      if (now < nextAttemptAt) {
        return;
      }
      try {
        synchronized (EmbeddedServices.this) {
          if (closing) {
            return;
          }
          restart.run();
        }
        LOG.info("Embedded {} restarted after {} ms down", name, System.currentTimeMillis() - downSince);
        downSince = 0;
        restarted.accept(dependency);
      } catch (IOException | RuntimeException e) {
        nextAttemptAt = now + backoffMs;
        LOG.warn("Embedded {} did not start again ({}); next attempt in {} ms", name, oneLine(e), backoffMs);
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void restartPostgres() throws IOException {
    EmbeddedPostgres dead = postgres;
    postgres = null;
    if (dead != null) {
      // releases the library's lock on the data folder; stopping the dead server fails quietly
      dead.close();
    }
    postgres = launchPostgres();
  }

  private void restartRedis() throws IOException {
    RedisServer dead = redis;
    redis = null;
    if (dead != null) {
      try {
        dead.stop();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Stopping the dead Redis: {}", e.toString());
      }
    }
    redis = launchRedis();
  }

  @Override
  public void close() {
    stopSupervising();
    synchronized (this) {
      if (redis != null) {
        try {
          redis.stop();
        } catch (IOException e) {
          LOG.warn("Embedded Redis did not stop cleanly: {}", e.getMessage());
        }
        redis = null;
      }
      if (postgres != null) {
        try {
          postgres.close();
        } catch (IOException e) {
          LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        postgres = null;
      }
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }

  static int freePort() throws IOException {
    return common.Ports.free();
  }
}
