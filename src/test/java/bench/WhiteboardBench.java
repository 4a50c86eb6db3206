package bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whiteboard under load, on real PostgreSQL and Redis (embedded): (1) events per second with
 * 50 people watching: 5 of them draw strokes of 50 points as fast as their replies come back
 * (each a stored, seq-numbered op), and every op must reach all 50 sockets; (2) replay time for a
 * board of 10,000 strokes: paging {@code GET .../whiteboard?after=} from 0 to the end.
 * Writes bench/results/whiteboard.json.
 *
 * <p>Run: {@code bench/whiteboard.sh [ops] [strokes]}
 */
public final class WhiteboardBench {

  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int strokes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int watchers = 50;
    int drawers = 5;
    Parley server = TestServer.start(new JsonObject().put("collab", new JsonObject().put("whiteboard", new JsonObject()
      .put("opsPerSecond", 1_000_000).put("opBurst", 1_000_000))).put("bridge", new JsonObject().put("maxHandlersPerSocket", 64)));
    Api api = new Api(server.vertx(), server.port());
    String tenant = TestServer.freshTenant("bench");
    String host = api.token("Host", tenant);
    String meeting = api.createMeeting(host, "Board bench");
    api.join(host, meeting);
    List<BridgeClient> sockets = new ArrayList<>();
    AtomicLong received = new AtomicLong();
    for (int i = 0; i < watchers; i++) {
      String token = i == 0 ? host : api.token("Watcher " + i, tenant);
      api.join(token, meeting);
      BridgeClient socket = BridgeClient.connect(server.vertx(), server.port(), token).await();
      socket.register("meeting." + meeting + ".whiteboard", meeting, m -> received.incrementAndGet()).await();
      sockets.add(socket);
    }
    JsonArray points = new JsonArray();
    for (int p = 0; p < 50; p++) {
      points.add(100 + p * 10).add(200 + (p % 7) * 15);
    }
    JsonObject stroke = new JsonObject().put("type", "stroke").put("points", points).put("color", "#1f77b4").put("width", 4);

    // (1) live fan-out: drawers send ops back to back; time until every watcher has every op
    long t0 = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (int d = 0; d < drawers; d++) {
      BridgeClient drawer = sockets.get(d);
      int from = d * (ops / drawers);
      loops.add(sendSequentially(drawer, meeting, stroke, "live-" + d + "-", from, ops / drawers));
    }
    Future.all(loops).await();
    long sentNanos = System.nanoTime() - t0;
    long expected = (long) (ops / drawers) * drawers * watchers;
    long deadline = System.currentTimeMillis() + 60_000;
    while (received.get() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    long allNanos = System.nanoTime() - t0;
    if (received.get() < expected) {
      throw new IllegalStateException("only " + received.get() + " of " + expected + " deliveries arrived");
    }
    int sent = (ops / drawers) * drawers;
    double opsPerSecond = sent / (allNanos / 1e9);

    // (2) a board of `strokes` strokes (the ops above count), then a full replay by pages
    int more = Math.max(0, strokes - sent);
    List<Future<Void>> fill = new ArrayList<>();
    for (int d = 0; d < drawers; d++) {
      fill.add(sendSequentially(sockets.get(d), meeting, stroke, "fill-" + d + "-", 0, more / drawers + (d < more % drawers ? 1 : 0)));
    }
    Future.all(fill).await();
    PagedReplay replay = PagedReplay.of(api, "/api/v1/meetings/" + meeting + "/whiteboard", host, "ops");
    int replayed = replay.items();
    int pages = replay.pages();
    double replayMs = replay.millis();

    JsonObject result = new JsonObject()
      .put("bench", "whiteboard")
      .put("machine", Runtime.getRuntime().availableProcessors() + " cores")
      .put("watchers", watchers).put("drawers", drawers).put("pointsPerStroke", 50)
      .put("liveOps", sent).put("deliveries", expected)
      .put("opsPerSecondDeliveredToAll", Math.round(opsPerSecond))
      .put("deliveriesPerSecond", Math.round(expected / (allNanos / 1e9)))
      .put("sendSeconds", sentNanos / 1e9)
      .put("replayStrokes", replayed).put("replayPages", pages).put("replayMs", Math.round(replayMs));
    System.out.println("whiteboard, " + watchers + " watchers, " + drawers + " drawers, strokes of 50 points");
    System.out.println("  " + sent + " ops stored and delivered to all " + watchers + " sockets: " + Math.round(opsPerSecond)
      + " ops/s (" + Math.round(expected / (allNanos / 1e9)) + " socket deliveries/s)");
    System.out.println("  replay of a board of " + replayed + " strokes in " + pages + " pages: " + Math.round(replayMs) + " ms");
    Path out = Path.of("bench/results/whiteboard.json");
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

  /** {@code count} ops from one socket, each sent when the previous one's reply came. */
  private static Future<Void> sendSequentially(BridgeClient socket, String meeting, JsonObject stroke, String prefix, int from, int count) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      String clientId = prefix + (from + i);
      chain = chain.compose(v -> socket.request("whiteboard.draw", new JsonObject().put("meetingId", meeting)
        .put("clientId", clientId).put("op", stroke)).mapEmpty());
    }
    return chain;
  }
}
