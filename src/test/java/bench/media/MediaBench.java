package bench.media;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.TestServer;
import verticles.Parley;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Media figures in Chromium through a real server (embedded PostgreSQL and Redis): join time (link
 * opened to every remote video playing) and upstream kbps per page for 2, 4 and 6 people on the
 * SFU (a managed Janus) and on the mesh, then the SFU's capacity: subscribers of one publisher
 * raised until packet loss passes 1 % or frames drop, with Janus's CPU per subscriber. The browser
 * side is {@code bench/media.mjs}. Writes {@code bench/results/media.json}.
 *
 * <p>Run: {@code bench/media.sh [people...]} (default 2 4 6); {@code MEDIA_BENCH_MAX_SUBSCRIBERS}
 * bounds the capacity run (default 12; 0 skips it).
 */
public final class MediaBench {

  public static void main(String[] args) {
    try {
      bench(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void bench(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(2, 4, 6);
    }
    int maxSubscribers = Integer.parseInt(System.getenv().getOrDefault("MEDIA_BENCH_MAX_SUBSCRIBERS", "12"));
    JsonObject result = new JsonObject().put("bench", "media").put("machine", Runtime.getRuntime().availableProcessors() + " cores")
      .put("loadBefore", loadAverage());
    for (String mode : List.of("sfu", "mesh")) {
      JsonObject config = TestServer.config(new JsonObject().put("media", "sfu".equals(mode) ? TestServer.janusMedia()
        : new JsonObject().put("sfu", "mesh").put("meshMax", 50)));
      Path dataDir = Path.of(config.getJsonObject("data").getString("dir"));
      Parley server = Parley.start(config).await();
      try {
        String base = "http://127.0.0.1:" + server.port();
        JsonArray joins = new JsonArray();
        for (int people : sizes) {
          JsonObject join;
          try {
            join = run("join", base, String.valueOf(people));
          } catch (IllegalStateException e) {
            // a size that does not come together is a figure too: recorded, and the next one runs
            join = new JsonObject().put("mode", mode).put("people", people).put("failed", e.getMessage()).put("load", loadAverage());
            System.out.println(mode + ", " + people + " people: FAILED (" + e.getMessage() + "); load " + join.getString("load"));
            joins.add(join);
            continue;
          }
          join.put("load", loadAverage());
          System.out.println(mode + ", " + people + " people: everyone plays everyone after " + join.getLong("joinMaxMs")
            + " ms (per page " + join.getJsonArray("joinMs") + "), PeerConnections " + join.getJsonArray("pcs")
            + ", upstream " + join.getLong("upKbpsMean") + " kbps per page; load " + join.getString("load"));
          joins.add(join);
        }
        result.put(mode, new JsonObject().put("join", joins));
        if ("sfu".equals(mode) && maxSubscribers > 0) {
          String pid = Files.readString(dataDir.resolve("janus").resolve("janus.pid")).trim();
          JsonObject capacity = run("capacity", base, pid, String.valueOf(maxSubscribers));
          System.out.println("sfu capacity: " + capacity.getString("verdict"));
          result.getJsonObject(mode).put("capacity", capacity);
        }
      } finally {
        server.stop().await();
      }
    }
    result.put("loadAfter", loadAverage());
    Path out = Path.of("bench/results/media.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("written to " + out);
  }

  /** Runs {@code node bench/media.mjs args...}, echoing its log, and returns its RESULT line. */
  private static JsonObject run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "bench/media.mjs"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    JsonObject result = null;
    String failure = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        System.out.println("  " + line);
        if (line.contains("FAILED: ")) {
          failure = line.substring(line.indexOf("FAILED: ") + "FAILED: ".length());
        }
        if (line.startsWith("RESULT ")) {
          result = new JsonObject(line.substring("RESULT ".length()));
        }
      }
    }
    if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0 || result == null) {
      throw new IllegalStateException("bench/media.mjs " + String.join(" ", args) + " failed" + (failure == null ? "" : ": " + failure));
    }
    return result;
  }

  private static String loadAverage() throws Exception {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
