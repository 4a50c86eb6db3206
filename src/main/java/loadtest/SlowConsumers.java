package loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow consumers in a busy meeting: {@code --readers} bridge sockets that read and {@code --slow}
 * sockets that register and then never read (paused, with a small receive buffer), all in one
 * meeting, while one reader sends {@code --rate} chat messages per second of {@code --chars}
 * characters (mostly ASCII, one accented letter in 50 for SockJS's escaping). Every
 * {@code --sample} seconds it records the server's heap after a full GC, its RSS, how many slow
 * sockets the server has closed and what the readers got: the curve shows whether a reader that
 * stops can grow the server's memory. SockJS's WebSocket transport, as browsers use.
 *
 * <p>{@code java -cp target/parley.jar loadtest.SlowConsumers --url http://127.0.0.1:8080 --server-pid <pid>}
 */
public final class SlowConsumers {

  private static final String DELIVERY = "{\\\"type\\\":\\\"rec\\\",\\\"address\\\":\\\"meeting.";

  record Settings(URI url, long serverPid, int slow, int readers, int rate, int chars, int seconds, int sample,
                  String out, String label) {
    static Settings parse(String[] args) {
      URI url = URI.create("http://127.0.0.1:8080");
      long pid = -1;
      int slow = 5, readers = 5, rate = 36, chars = 4000, seconds = 30, sample = 2;
      String out = "bench/results/slow-consumer.json", label = "";
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--url" -> url = URI.create(v);
          case "--server-pid" -> pid = Long.parseLong(v);
          case "--slow" -> slow = Integer.parseInt(v);
          case "--readers" -> readers = Math.max(1, Integer.parseInt(v));
          case "--rate" -> rate = Integer.parseInt(v);
          case "--chars" -> chars = Math.min(4000, Integer.parseInt(v));
          case "--seconds" -> seconds = Math.min(600, Integer.parseInt(v));
          case "--sample" -> sample = Math.max(1, Integer.parseInt(v));
          case "--out" -> out = v;
          case "--label" -> label = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Settings(url, pid, slow, readers, rate, chars, seconds, sample, out, label);
    }
  }

  /** One SockJS bridge socket: counts chat deliveries; a slow one stops reading once registered. */
  private static final class Socket {
    final boolean slow;
    WebSocket ws;
    final AtomicLong deliveries = new AtomicLong();
    final AtomicInteger counter = new AtomicInteger();
    volatile Short closeCode;
    volatile String closeReason;
    volatile boolean closed;
    final java.util.Map<String, Promise<Void>> replies = new java.util.concurrent.ConcurrentHashMap<>();

    Socket(boolean slow) {
      this.slow = slow;
    }

    void onText(String frame) {
      if (!frame.startsWith("a")) {
        return;
      }
      int at = 0;
      while ((at = frame.indexOf(DELIVERY, at)) >= 0) {
        deliveries.incrementAndGet();
        at += DELIVERY.length();
      }
      if (frame.contains("\\\"address\\\":\\\"r.")) {
        for (String message : new JsonArray(frame.substring(1)).stream().map(Object::toString).toList()) {
          JsonObject envelope = new JsonObject(message);
          Promise<Void> reply = replies.remove(envelope.getString("address", ""));
          if (reply != null) {
            if ("err".equals(envelope.getString("type"))) {
              reply.tryFail(envelope.getString("message", "refused"));
            } else {
              reply.tryComplete();
            }
          }
        }
      }
    }

    Future<Void> request(String address, JsonObject body) {
      String replyAddress = "r." + counter.incrementAndGet();
      Promise<Void> promise = Promise.promise();
      replies.put(replyAddress, promise);
      send(new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress));
      return promise.future();
    }

    void send(JsonObject frame) {
      ws.writeTextMessage(new JsonArray().add(frame.encode()).encode());
    }
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject report = run(vertx, s);
      System.out.print(summary(report));
      Path out = Path.of(s.out());
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, report.encodePrettily() + "\n");
      System.out.println("written to " + out);
    } finally {
      vertx.close().await();
    }
    System.exit(0);
  }

  static JsonObject run(Vertx vertx, Settings s) throws Exception {
    String host = s.url().getHost();
    int port = s.url().getPort();
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(host).setDefaultPort(port));
    String tenant = "slow-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    int users = s.readers() + s.slow();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      tokens.add(post(web, "/api/v1/auth/dev-token", null, new JsonObject().put("name", "user-" + i).put("tenant", tenant))
        .await().getString("token"));
    }
    String meeting = post(web, "/api/v1/meetings", tokens.get(0), new JsonObject().put("title", "Busy")).await().getString("id");
    for (String token : tokens) {
      post(web, "/api/v1/meetings/" + meeting + "/join", token, null).await();
    }
    WebSocketClient readersClient = vertx.createWebSocketClient();
    WebSocketClient slowClient = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(8192));
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      Socket socket = new Socket(i >= s.readers());
      connect(socket.slow ? slowClient : readersClient, host, port, tokens.get(i), meeting, socket).await();
      sockets.add(socket);
    }
    sockets.stream().filter(x -> x.slow).forEach(x -> x.ws.pause());

    StringBuilder text = new StringBuilder();
    while (text.length() < s.chars()) {
      text.append("the quick brown fox jumps over the lazy dog, café ");
    }
    String body = text.substring(0, s.chars());
    Socket sender = sockets.get(0);
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long periodMs = Math.max(1, 1000L / Math.max(1, s.rate()));
    int perTick = Math.max(1, (int) Math.round(s.rate() * periodMs / 1000.0));
    // every socket pings, as the web client does (every 10 s): the bridge's ping timeout is not what closes a slow one
    long pings = vertx.setPeriodic(10_000, id -> sockets.forEach(x -> x.send(new JsonObject().put("type", "ping"))));
    long timer = vertx.setPeriodic(periodMs, id -> {
      for (int k = 0; k < perTick; k++) {
        long n = sent.incrementAndGet();
        sender.request("chat.send", new JsonObject().put("meetingId", meeting).put("text", body).put("clientId", "s" + n))
          .onSuccess(v -> acked.incrementAndGet()).onFailure(e -> refused.incrementAndGet());
      }
    });

    JsonObject report = new JsonObject().put("tool", "loadtest.SlowConsumers").put("url", s.url().toString())
      .put("label", s.label()).put("startedAt", java.time.Instant.now().toString())
      .put("options", new JsonObject().put("slow", s.slow()).put("readers", s.readers()).put("rate", s.rate())
        .put("chars", s.chars()).put("seconds", s.seconds()).put("sample", s.sample()))
      .put("loadAverageAtStart", ServerProbe.loadAverage());
    JsonArray curve = new JsonArray();
    long t0 = System.nanoTime();
    long nextSample = 0;
    while (true) {
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      if (elapsedMs >= nextSample) {
        JsonObject point = new JsonObject().put("t", Math.round(elapsedMs / 100.0) / 10.0);
        if (s.serverPid() > 0) {
          JsonObject memory = ServerProbe.measure(s.serverPid());
          point.put("heapAfterGcBytes", memory.getLong("heapUsedAfterGcBytes")).put("rssBytes", memory.getLong("rssBytes"));
        }
        JsonObject gauges = serverGauges(web);
        point.put("sent", sent.get()).put("serverSockets", gauges.getValue("parley_bridge_sockets"))
          .put("slowClosed", gauges.getValue("parley_bridge_slow_sockets_total"))
          .put("readerDeliveries", sockets.stream().filter(x -> !x.slow).mapToLong(x -> x.deliveries.get()).sum());
        curve.add(point);
        nextSample += s.sample() * 1000L;
      }
      if (elapsedMs >= s.seconds() * 1000L) {
        break;
      }
      Thread.sleep(Math.min(200, Math.max(1, nextSample - elapsedMs)));
    }
    vertx.cancelTimer(timer);
    vertx.cancelTimer(pings);
    // Let the last sends be answered and delivered (bounded), then the slow ones read: do they find a close?
    long drainUntil = System.nanoTime() + 5_000_000_000L;
    while (acked.get() + refused.get() < sent.get() && System.nanoTime() < drainUntil) {
      Thread.sleep(50);
    }
    Thread.sleep(1000);
    long expected = acked.get() * s.readers();
    long readerDeliveries = sockets.stream().filter(x -> !x.slow).mapToLong(x -> x.deliveries.get()).sum();
    sockets.stream().filter(x -> x.slow).forEach(x -> x.ws.resume());
    long closeUntil = System.nanoTime() + 5_000_000_000L;
    while (sockets.stream().anyMatch(x -> x.slow && !x.closed) && System.nanoTime() < closeUntil) {
      Thread.sleep(50);
    }
    JsonArray slowSockets = new JsonArray();
    for (Socket x : sockets) {
      if (x.slow) {
        slowSockets.add(new JsonObject().put("closed", x.closed).put("closeCode", x.closeCode).put("closeReason", x.closeReason)
          .put("deliveries", x.deliveries.get()));
      }
    }
    long heapMax = curve.stream().map(o -> ((JsonObject) o).getLong("heapAfterGcBytes")).filter(java.util.Objects::nonNull)
      .mapToLong(Long::longValue).max().orElse(-1);
    JsonObject first = curve.getJsonObject(0);
    JsonObject last = curve.getJsonObject(curve.size() - 1);
    report.put("curve", curve).put("slowSockets", slowSockets)
      .put("totals", new JsonObject().put("sent", sent.get()).put("acked", acked.get()).put("refused", refused.get())
        .put("readerDeliveries", readerDeliveries).put("readerExpected", expected)
        .put("readerDeliveredRatio", expected == 0 ? 0 : Math.round(10000.0 * readerDeliveries / expected) / 10000.0)
        .put("heapAfterGcFirstBytes", first.getLong("heapAfterGcBytes")).put("heapAfterGcLastBytes", last.getLong("heapAfterGcBytes"))
        .put("heapAfterGcMaxBytes", heapMax))
      .put("loadAverageAtEnd", ServerProbe.loadAverage());
    sockets.forEach(x -> x.ws.close());
    web.close();
    return report;
  }

  private static Future<Void> connect(WebSocketClient client, String host, int port, String token, String meeting, Socket socket) {
    String session = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    Promise<Void> open = Promise.promise();
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port)
        .setURI("/eventbus/1/" + session + "/websocket?access_token=" + token))
      .compose(ws -> {
        socket.ws = ws;
        ws.textMessageHandler(frame -> {
          if (frame.equals("o")) {
            open.tryComplete();
          } else {
            socket.onText(frame);
          }
        });
        ws.closeHandler(v -> {
          socket.closeCode = ws.closeStatusCode();
          socket.closeReason = ws.closeReason();
          socket.closed = true;
        });
        return open.future();
      })
      .compose(v -> socket.request("presence.ping", new JsonObject().put("meetingId", meeting)))
      .compose(v -> {
        socket.send(new JsonObject().put("type", "register").put("address", "meeting." + meeting + ".chat"));
        return socket.request("presence.ping", new JsonObject().put("meetingId", meeting));
      });
  }

  /** The server's bridge gauges from {@code /metrics} (empty when it has no metrics or none of them). */
  private static JsonObject serverGauges(WebClient web) {
    JsonObject out = new JsonObject();
    try {
      String text = web.get("/metrics").send().await().bodyAsString();
      for (String line : text == null ? new String[0] : text.split("\n")) {
        for (String name : List.of("parley_bridge_sockets", "parley_bridge_slow_sockets_total")) {
          if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
            out.put(name, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
          }
        }
      }
    } catch (RuntimeException e) {
      // no metrics: the curve has memory only
    }
    return out;
  }

  private static Future<JsonObject> post(WebClient web, String path, String token, JsonObject body) {
    var request = web.post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(r -> r.statusCode() < 300 ? Future.succeededFuture(r.bodyAsJsonObject())
      : Future.failedFuture("POST " + path + " answered " + r.statusCode() + ": " + r.bodyAsString()));
  }

  static String summary(JsonObject report) {
    StringBuilder sb = new StringBuilder();
    JsonObject o = report.getJsonObject("options");
    sb.append(String.format("slow consumers %s: %d sockets that never read + %d readers in one meeting, %d msg/s of %d chars, %d s (load %s)%n",
      report.getString("label"), o.getInteger("slow"), o.getInteger("readers"), o.getInteger("rate"), o.getInteger("chars"),
      o.getInteger("seconds"), report.getString("loadAverageAtStart")));
    sb.append("      t   heap after GC         RSS  server sockets  closed as slow  reader deliveries\n");
    for (Object p : report.getJsonArray("curve")) {
      JsonObject point = (JsonObject) p;
      sb.append(String.format("  %5.1f s  %12s  %10s  %14s  %14s  %17d%n", point.getDouble("t"), mib(point.getLong("heapAfterGcBytes")),
        mib(point.getLong("rssBytes")), orDash(point.getValue("serverSockets")), orDash(point.getValue("slowClosed")),
        point.getLong("readerDeliveries")));
    }
    JsonObject t = report.getJsonObject("totals");
    sb.append(String.format("  sent %d, acked %d; readers got %.2f%% of theirs; heap after GC %s -> %s (max %s)%n",
      t.getLong("sent"), t.getLong("acked"), 100 * t.getDouble("readerDeliveredRatio"), mib(t.getLong("heapAfterGcFirstBytes")),
      mib(t.getLong("heapAfterGcLastBytes")), mib(t.getLong("heapAfterGcMaxBytes"))));
    for (Object x : report.getJsonArray("slowSockets")) {
      JsonObject slow = (JsonObject) x;
      sb.append(String.format("  slow socket: %s%s, got %d before%n", slow.getBoolean("closed") ? "closed" : "still open",
        slow.getValue("closeCode") == null ? "" : " (" + slow.getValue("closeCode") + " " + slow.getString("closeReason") + ")",
        slow.getLong("deliveries")));
    }
    return sb.toString();
  }

  private static String orDash(Object value) {
    return value == null ? "-" : value.toString();
  }

  private static String mib(Long bytes) {
    return bytes == null ? "?" : String.format("%.1f MiB", bytes / 1048576.0);
  }
}
