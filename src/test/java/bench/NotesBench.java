package bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared notes under load, on real PostgreSQL and Redis (embedded). The updates are real
 * Automerge changes, one per keystroke, made up front by the web client's vendored Automerge under
 * Node ({@code src/test/resources/notes/automerge-tool.mjs}): (1) one typist sends them back to back
 * (each when the previous reply came, as the page does) while 20 sockets watch: updates per second
 * checked by the server's Automerge, stored and delivered to all, and the round trip of each; (2)
 * the load of the whole document of that many updates ({@code GET .../notes/state}, rebuilt from
 * PostgreSQL) and the replay of every update by pages ({@code ?after=}). Writes bench/results/notes.json.
 *
 * <p>Run: {@code bench/notes.sh [keystrokes]}
 */
public final class NotesBench {

  /** For the failure report. */
  private static volatile Api lastApi;

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      System.out.println("FAILED: " + e);
      if (lastApi != null) {
        // a socket closed for not reading (1008 "too slow") is counted here
        lastApi.get("/metrics", null).body().lines().filter(l -> l.startsWith("parley_bridge_slow_sockets"))
          .forEach(l -> System.out.println("  " + l));
      }
      e.printStackTrace(System.out);
      System.exit(1); // the embedded servers' threads would keep the JVM up
    }
  }

  private static void run(String[] args) throws Exception {
    int keystrokes = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int watchers = 20;
    Parley server = TestServer.start(new JsonObject().put("collab", new JsonObject().put("notes", new JsonObject()
      .put("updatesPerSecond", 1_000_000).put("updateBurst", 1_000_000).put("maxTextLength", 10_000_000))));
    Api api = new Api(server.vertx(), server.port());
    lastApi = api;
    String tenant = TestServer.freshTenant("bench");
    String host = api.token("Host", tenant);
    String meeting = api.createMeeting(host, "Notes bench");
    api.join(host, meeting);
    String state = api.get("/api/v1/meetings/" + meeting + "/notes/state", host).json().getString("state");

    long m0 = System.nanoTime();
    List<String> updates = keystrokes(state, keystrokes);
    double makeSeconds = (System.nanoTime() - m0) / 1e9;
    System.out.printf("[notes-bench] %d changes made in %.1f s%n", updates.size(), makeSeconds);

    List<BridgeClient> sockets = new ArrayList<>();
    AtomicLong received = new AtomicLong();
    for (int i = 0; i < watchers; i++) {
      String token = i == 0 ? host : api.token("Watcher " + i, tenant);
      api.join(token, meeting);
      BridgeClient socket = BridgeClient.connect(server.vertx(), server.port(), token).await();
      socket.register("meeting." + meeting + ".notes", meeting, m -> received.incrementAndGet()).await();
      sockets.add(socket);
    }

    // (1) one typist, one update in flight at a time
    long[] rtt = new long[updates.size()];
    long t0 = System.nanoTime();
    Future<Void> chain = Future.succeededFuture();
    BridgeClient typist = sockets.get(0);
    for (int i = 0; i < updates.size(); i++) {
      int n = i;
      chain = chain.compose(v -> {
        long s = System.nanoTime();
        return typist.request("notes.update", new JsonObject().put("meetingId", meeting).put("clientId", "k" + n)
          .put("update", updates.get(n))).map(r -> {
            rtt[n] = System.nanoTime() - s;
            return null;
          });
      });
    }
    System.out.println("[notes-bench] every watcher registered; typing");
    try {
      chain.await();
    } catch (Exception e) { // a timeout is a checked TimeoutException
      throw new IllegalStateException("an update failed after " + Arrays.stream(rtt).filter(x -> x > 0).count() + " replies: " + e, e);
    }
    System.out.printf("[notes-bench] %d replies in %.1f s%n", updates.size(), (System.nanoTime() - t0) / 1e9);
    long expected = (long) updates.size() * watchers;
    long deadline = System.currentTimeMillis() + 60_000;
    while (received.get() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    long allNanos = System.nanoTime() - t0;
    if (received.get() < expected) {
      throw new IllegalStateException("only " + received.get() + " of " + expected + " deliveries arrived");
    }
    Arrays.sort(rtt);
    double perSecond = updates.size() / (allNanos / 1e9);

    // (2) the whole document, and the replay by pages
    long l0 = System.nanoTime();
    JsonObject loaded = api.get("/api/v1/meetings/" + meeting + "/notes/state", host).json();
    double loadMs = (System.nanoTime() - l0) / 1e6;
    if (loaded.getLong("seq") != updates.size() || loaded.getString("text").length() != updates.size()) {
      throw new IllegalStateException("the document holds " + loaded.getLong("seq") + " updates, " + loaded.getString("text").length() + " characters");
    }
    PagedReplay replay = PagedReplay.of(api, "/api/v1/meetings/" + meeting + "/notes", host, "updates");
    int replayed = replay.items();
    int pages = replay.pages();
    double replayMs = replay.millis();

    JsonObject result = new JsonObject()
      .put("bench", "notes")
      .put("machine", Runtime.getRuntime().availableProcessors() + " cores")
      .put("watchers", watchers).put("keystrokes", updates.size())
      .put("updatesPerSecondDeliveredToAll", Math.round(perSecond))
      .put("roundTripMsP50", rtt[rtt.length / 2] / 1e6).put("roundTripMsP99", rtt[(int) (rtt.length * 0.99)] / 1e6)
      .put("stateBytes", loaded.getString("state").length() * 3 / 4)
      .put("stateLoadMs", Math.round(loadMs))
      .put("replayUpdates", replayed).put("replayPages", pages).put("replayMs", Math.round(replayMs))
      .put("makeChangesSeconds", makeSeconds);
    System.out.println("shared notes, " + watchers + " watching sockets, one typist, one Automerge change per keystroke");
    System.out.println("  " + updates.size() + " updates checked, stored and delivered to all: " + Math.round(perSecond)
      + " updates/s; round trip p50 " + rtt[rtt.length / 2] / 1e6 + " ms, p99 " + rtt[(int) (rtt.length * 0.99)] / 1e6 + " ms");
    System.out.println("  the whole document (" + updates.size() + " updates, " + result.getLong("stateBytes") + " bytes saved) loaded in "
      + Math.round(loadMs) + " ms; replay of every update in " + pages + " pages: " + Math.round(replayMs) + " ms");
    Path out = Path.of("bench/results/notes.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("written to " + out);
    for (BridgeClient s : sockets) {
      s.close().await();
    }
    api.close();
    server.stop().await();
    System.exit(0);
  }

  /** {@code count} keystrokes typed one after the other from {@code state}, each as its own update. */
  private static List<String> keystrokes(String state, int count) throws Exception {
    JsonArray edits = new JsonArray();
    String line = "The quick brown fox jumps over the lazy dog. ";
    for (int i = 0; i < count; i++) {
      edits.add(new JsonObject().put("at", i).put("insert", String.valueOf(line.charAt(i % line.length()))));
    }
    JsonObject request = new JsonObject().put("vendor", Path.of("src/main/resources/webroot/js/vendor/automerge").toAbsolutePath().toString())
      .put("state", state).put("chain", true).put("edits", edits);
    Process p = new ProcessBuilder("node", "src/test/resources/notes/automerge-tool.mjs").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(request.encode().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("node failed: " + out);
    }
    List<String> changes = new ArrayList<>();
    new JsonObject(out).getJsonArray("changes").forEach(c -> changes.add((String) c));
    return changes;
  }
}
