package data;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded defaults: a PostgreSQL server in {@code <data>/pg} and a Redis server persisting
 * to {@code <data>/redis}, both on free loopback ports. Every method blocks (processes start and
 * stop): call them from a worker thread.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServices.class);

  private EmbeddedPostgres postgres;
  private RedisServer redis;
  private int redisPort;

  public String startPostgres(Path dataDir) throws IOException {
    Path pgDir = dataDir.resolve("pg");
    Files.createDirectories(pgDir);
    long started = System.nanoTime();
    postgres = EmbeddedPostgres.builder()
      .setDataDirectory(pgDir)
      .setCleanDataDirectory(false)
      .setPort(freePort())
      .setPGStartupWait(Duration.ofSeconds(30))
      .setServerConfig("max_connections", "200")
      .setServerConfig("listen_addresses", "127.0.0.1")
      .start();
    LOG.info("Embedded PostgreSQL ready on 127.0.0.1:{} (data {}) in {} ms", postgres.getPort(), pgDir,
      (System.nanoTime() - started) / 1_000_000);
    return "postgresql://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  public String startRedis(Path dataDir) throws IOException {
    Path redisDir = dataDir.resolve("redis");
    Files.createDirectories(redisDir);
    redisPort = freePort();
    redis = RedisServer.newRedisServer()
      .port(redisPort)
      .bind("127.0.0.1")
      .setting("dir " + redisDir.toAbsolutePath())
      .setting("appendonly yes")
      .setting("save 60 1")
      .setting("protected-mode yes")
      .build();
    redis.start();
    LOG.info("Embedded Redis ready on 127.0.0.1:{} (data {})", redisPort, redisDir);
    return "redis://127.0.0.1:" + redisPort;
  }

  @Override
  public void close() {
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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
