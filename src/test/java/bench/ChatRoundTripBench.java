package bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Chat round trip over the bridge: sender's chat.send -> stored in PostgreSQL -> published ->
 * received by another participant's socket. Messages go one at a time at a steady pace (not a
 * throughput test), so the figure is the latency a person sees. Writes bench/results/chat-rtt.json.
 *
 * <p>Run: {@code bench/chat-rtt.sh [messages]}
 */
public final class ChatRoundTripBench {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = Math.min(200, messages / 5);
    Parley server = TestServer.start(new JsonObject().put("chat", new JsonObject().put("ratePerSecond", 1_000_000).put("burst", 1_000_000)));
    Api api = new Api(server.vertx(), server.port());
    String tenant = TestServer.freshTenant("bench");
    String alice = api.token("Alice", tenant);
    String bob = api.token("Bob", tenant);
    String meeting = api.createMeeting(alice, "Bench");
    api.join(alice, meeting);
    api.join(bob, meeting);
    BridgeClient sender = BridgeClient.connect(server.vertx(), server.port(), alice).await();
    BridgeClient receiver = BridgeClient.connect(server.vertx(), server.port(), bob).await();
    ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
    Histogram delivered = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Histogram acked = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    CountDownLatch[] latch = new CountDownLatch[1];
    receiver.register("meeting." + meeting + ".chat", meeting, m -> {
      Long t0 = sentAt.remove(m.getString("text"));
      if (t0 != null) {
        if (!m.getString("text").startsWith("warm")) {
          delivered.recordValue(System.nanoTime() - t0);
        }
        latch[0].countDown();
      }
    }).await();
    for (int i = 0; i < warmup + messages; i++) {
      String text = (i < warmup ? "warm " : "msg ") + i;
      latch[0] = new CountDownLatch(1);
      long t0 = System.nanoTime();
      sentAt.put(text, t0);
      sender.request("chat.send", new JsonObject().put("meetingId", meeting).put("text", text).put("clientId", "c" + i)).await();
      if (i >= warmup) {
        acked.recordValue(System.nanoTime() - t0);
      }
      if (!latch[0].await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("message " + i + " was not delivered");
      }
    }
    JsonObject result = new JsonObject()
      .put("bench", "chat-round-trip")
      .put("messages", messages)
      .put("machine", Runtime.getRuntime().availableProcessors() + " cores")
      .put("deliveredMs", summary(delivered))
      .put("ackMs", summary(acked));
    System.out.println("chat round trip over the bridge, " + messages + " messages, one at a time");
    System.out.println("  send -> other participant receives: " + summary(delivered).encode());
    System.out.println("  send -> sender gets its reply:      " + summary(acked).encode());
    Path out = Path.of("bench/results/chat-rtt.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("written to " + out);
    sender.close().await();
    receiver.close().await();
    api.close();
    server.stop().await();
    System.exit(0);
  }

  private static JsonObject summary(Histogram h) {
    return new JsonObject()
      .put("p50", h.getValueAtPercentile(50) / 1e6)
      .put("p95", h.getValueAtPercentile(95) / 1e6)
      .put("p99", h.getValueAtPercentile(99) / 1e6)
      .put("max", h.getMaxValue() / 1e6);
  }
}
