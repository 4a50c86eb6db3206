package bench;

import data.EmbeddedServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Api;
import support.ChatLoad;
import support.TestInfra;
import support.TestServer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Chat at a steady rate (20 messages/s from one client, retried with the same clientId until
 * acknowledged, as a client does) against {@code java -jar target/parley.jar} processes while one
 * fault at a time is injected: Redis SIGSTOP for 10 s, Redis SIGKILL, PostgreSQL SIGKILL (the
 * embedded servers of a node on its defaults), the server's own SIGTERM and restart, and the kill
 * of one node of a two-node cluster. Per fault it prints sent, acknowledged, stored,
 * acknowledged-but-lost, duplicated, seconds unavailable (what the sender saw) and seconds to ready
 * (from the fault's end to {@code /health/ready} 200), and writes bench/results/faults.json.
 *
 * <p>Run: {@code bench/faults.sh}
 */
public final class FaultsBench {

  private static final long RATE_EVERY_MS = 50;
  private static final Path JAR = Path.of("target/parley.jar");

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Path work = Files.createTempDirectory("parley-faults-");
    Map<String, JsonObject> rows = new LinkedHashMap<>();
    List<Node> started = new ArrayList<>();
    EmbeddedServices shared = null;
    try {
      // One node on its embedded defaults (the operator's first experience).
      Node node = Node.start(work.resolve("single"), TestServer.freePort(), Map.of());
      started.add(node);
      Api api = new Api(vertx, node.port);
      String token = api.token("Ada", "faults");
      String meeting = api.createMeeting(token, "Faults");
      api.join(token, meeting);

      rows.put("redis SIGSTOP 10 s", run(vertx, api, token, meeting, List.of(node.port), () -> {
        long pid = pid(node.dataDir.resolve("redis/redis.pid"));
        signal("STOP", pid);
        Thread.sleep(10_000);
        signal("CONT", pid);
        return new Timing(System.nanoTime(), false);   // counted from its return
      }, node.port));
      rows.put("redis SIGKILL", run(vertx, api, token, meeting, List.of(node.port),
        kill(node.dataDir.resolve("redis/redis.pid")), node.port));
      rows.put("postgres SIGKILL", run(vertx, api, token, meeting, List.of(node.port),
        kill(node.dataDir.resolve("pg/postmaster.pid")), node.port));
      Node[] current = {node};
      rows.put("server SIGTERM and restart", run(vertx, api, token, meeting, List.of(node.port), () -> {
        long t0 = System.nanoTime();
        current[0].stopGracefully();
        System.out.printf("  (SIGTERM to exit: %.1f s)%n", (System.nanoTime() - t0) / 1e9);
        current[0] = Node.start(node.dataDir.getParent().resolve("single"), node.port, Map.of());
        started.add(current[0]);
        return new Timing(t0, false);   // counted from the SIGTERM: includes the new process's start
      }, node.port));
      api.close();

      // Two clustered nodes on one PostgreSQL and Redis (embedded, run here): one node is killed.
      shared = new EmbeddedServices();
      String dbUrl = shared.startPostgres(work.resolve("shared"));
      String redisUrl = shared.startRedis(work.resolve("shared"));
      int[] hz = {TestServer.freePort(), TestServer.freePort()};
      int[] http = {TestServer.freePort(), TestServer.freePort()};
      Node[] cluster = new Node[2];
      for (int i = 0; i < 2; i++) {
        cluster[i] = Node.start(work.resolve("node" + i), http[i], Map.of(
          "PARLEY_DB_URL", dbUrl, "PARLEY_REDIS_URL", redisUrl, "PARLEY_AUTH_MODE", "dev",
          "PARLEY_AUTH_DEV_KEY_FILE", work.resolve("cluster-key.pem").toString(),
          "PARLEY_CLUSTER_ENABLED", "true", "PARLEY_CLUSTER_HOST", "127.0.0.1", "PARLEY_CLUSTER_PORT", String.valueOf(hz[i]),
          "PARLEY_CLUSTER_MEMBERS", "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1]));
        started.add(cluster[i]);
      }
      Api capi = new Api(vertx, http[1]);
      String ctoken = capi.token("Ben", "faults");
      String cmeeting = capi.createMeeting(ctoken, "Cluster faults");
      capi.join(ctoken, cmeeting);
      rows.put("cluster node SIGKILL", run(vertx, capi, ctoken, cmeeting, List.of(http[0], http[1]), () -> {
        signal("KILL", cluster[0].process.pid());
        return new Timing(System.nanoTime(), false);   // the surviving node's readiness
      }, http[1]));
      capi.close();
    } finally {
      for (Node n : started) {
        n.kill();
      }
      if (shared != null) {
        shared.close();
      }
      vertx.close().await();
      TestInfra.deleteRecursively(work);
    }

    String load = loadAverage();
    System.out.println();
    System.out.printf("%-28s %6s %6s %6s %6s %6s %8s %8s%n", "fault", "sent", "acked", "stored", "lost", "dup", "unavail", "to-ready");
    rows.forEach((fault, r) -> System.out.printf("%-28s %6d %6d %6d %6d %6d %7.1fs %7.1fs%n", fault, r.getInteger("sent"),
      r.getInteger("acknowledged"), r.getInteger("stored"), r.getLong("acknowledgedButLost"), r.getLong("duplicated"),
      r.getDouble("unavailableSeconds"), r.getDouble("secondsToReady")));
    System.out.println("load average: " + load);
    JsonObject out = new JsonObject().put("rateMessagesPerSecond", 1000 / RATE_EVERY_MS).put("loadAverage", load)
      .put("faults", new JsonArray(rows.entrySet().stream().map(e -> e.getValue().copy().put("fault", e.getKey())).toList()));
    Files.createDirectories(Path.of("bench/results"));
    Files.writeString(Path.of("bench/results/faults.json"), out.encodePrettily());
    System.out.println("written to bench/results/faults.json");
  }

  /** What a fault reports: when "seconds to ready" starts counting, and whether readiness must be seen down first. */
  record Timing(long countFromNanos, boolean expectDown) {
  }

  /** Injects a fault; returns when its own part is over (a SIGSTOP lifted, a process killed, a node restarted). */
  interface Fault {
    Timing inject() throws Exception;
  }

  /** A crash: counted from the kill; the supervisor's detection and restart are part of it. */
  private static Fault kill(Path pidFile) {
    return () -> {
      long at = System.nanoTime();
      signal("KILL", pid(pidFile));
      return new Timing(at, true);
    };
  }

  /** 3 s of chat, the fault, chat until ready and 5 s more; the figures of that window. */
  private static JsonObject run(Vertx vertx, Api api, String token, String meeting, List<Integer> ports, Fault fault,
                                int readyPort) throws Exception {
    System.out.println("fault: " + ports + " ...");
    ChatLoad load = new ChatLoad(vertx, ports, token, meeting, RATE_EVERY_MS);
    load.start();
    Thread.sleep(3_000);
    Timing timing = fault.inject();
    Api ready = new Api(vertx, readyPort);
    double toReady = -1;
    boolean seenDown = !timing.expectDown();
    long seenDownBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        boolean up = ready.get("/health/ready", null).status() == 200;
        // right after a kill, readiness may not have noticed yet: wait (bounded) to see it down first
        seenDown |= !up || System.nanoTime() > seenDownBy;
        if (up && seenDown) {
          toReady = (System.nanoTime() - timing.countFromNanos()) / 1e9;
          break;
        }
      } catch (Exception e) {
        seenDown = true;
        // not listening yet (Vert.x rethrows the connect failure as it is)
      }
      Thread.sleep(100);
    }
    Thread.sleep(5_000);
    load.stop();
    JsonObject report = load.report(ChatLoad.history(ready, token, meeting)).put("secondsToReady", toReady);
    ready.close();
    System.out.println("  " + report.encode());
    return report;
  }

  /** A server process: {@code java -jar target/parley.jar} with its own data folder and port. */
  record Node(Process process, Path dataDir, int port) {

    static Node start(Path dataDir, int port, Map<String, String> env) throws Exception {
      Files.createDirectories(dataDir);
      ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
      pb.environment().putAll(Map.of("PARLEY_DATA_DIR", dataDir.toString(), "PARLEY_HTTP_PORT", String.valueOf(port),
        "PARLEY_HTTP_HOST", "127.0.0.1", "PARLEY_AI_TRANSLATION_PROVIDER", "none",
        "PARLEY_CHAT_RATE_PER_SECOND", "1000", "PARLEY_CHAT_BURST", "1000"));
      pb.environment().putAll(env);
      Process process = pb.start();
      Node node = new Node(process, dataDir, port);
      Vertx probe = Vertx.vertx();
      Api api = new Api(probe, port);
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && process.isAlive()) {
          try {
            if (api.get("/health/ready", null).status() == 200) {
              return node;
            }
          } catch (Exception e) {
            // not listening yet (Vert.x rethrows the connect failure as it is)
          }
          Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server on " + port + " did not become ready; see " + dataDir.resolve("server.log"));
      } finally {
        api.close();
        probe.close().await();
      }
    }

    void stopGracefully() throws Exception {
      signal("TERM", process.pid());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the server did not exit within 60 s of SIGTERM");
      }
    }

    void kill() throws InterruptedException {
      if (process.isAlive()) {
        signal("TERM", process.pid());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static long pid(Path pidFile) throws IOException {
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }

  private static void signal(String signal, long pid) throws InterruptedException {
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static {
    if (!new File(JAR.toString()).exists()) {
      throw new IllegalStateException("build the jar first: mvn -q package -DskipTests");
    }
  }
}
