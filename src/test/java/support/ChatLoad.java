package support;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat participant that behaves like the web client through faults: it sends {@code chat.send}
 * at a steady rate over the bridge's raw WebSocket, one message at a time; a message that fails
 * (an error frame, no reply in time, the socket gone) is sent again with the same {@code clientId}
 * until it is acknowledged, as a client retrying would; a closed socket is reopened with backoff
 * (at once after 1001 "going away"), trying the given ports in turn. Everything it does runs on
 * one Vert.x context. {@link #report} compares what was acknowledged with what is stored.
 */
public final class ChatLoad {

  private final Vertx vertx;
  private final List<Integer> ports;
  private final String token;
  private final String meetingId;
  private final long everyMs;
  private final String prefix = "load-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private final WebSocketClient client;
  private WebSocket socket;
  private int portIndex;
  private int attempt;
  private long timer;
  private boolean running;
  private boolean connecting;

  private int created;
  /** The message in flight (clientId), or null. */
  private String pending;
  private String pendingReply;
  private long pendingSentAt;
  private final Map<String, Long> acked = new LinkedHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final Map<Integer, Integer> failureCodes = new HashMap<>();
  /** When the current outage started (a send failed or the socket is gone), or 0. */
  private long outageSince;
  private long unavailableMs;
  private long longestOutageMs;
  private final AtomicInteger goingAway = new AtomicInteger();
  private final List<Long> reconnectMs = new ArrayList<>();
  private long disconnectedAt;

  public ChatLoad(Vertx vertx, List<Integer> ports, String token, String meetingId, long everyMs) {
    this.vertx = vertx;
    this.ports = List.copyOf(ports);
    this.token = token;
    this.meetingId = meetingId;
    this.everyMs = everyMs;
    this.client = vertx.createWebSocketClient();
  }

  public synchronized void start() {
    running = true;
    vertx.runOnContext(v -> {
      connect();
      timer = vertx.setPeriodic(everyMs, id -> tick());
    });
  }

  /** Stops sending new messages; waits (bounded) for the one in flight. */
  public void stop() {
    synchronized (this) {
      running = false;
    }
    Poll.until(java.time.Duration.ofSeconds(30), () -> {
      synchronized (this) {
        return pending == null;
      }
    }, "the last chat message is acknowledged");
    vertx.cancelTimer(timer);
    WebSocket ws = socket;
    if (ws != null) {
      ws.close();
    }
    client.close();
  }

  /** The port of the node the socket is open to now, or -1. */
  public synchronized int connectedPort() {
    return socket == null ? -1 : ports.get(portIndex);
  }

  public synchronized int acknowledged() {
    return acked.size();
  }

  private void connect() {
    if (connecting || socket != null) {
      return;
    }
    connecting = true;
    int port = ports.get(portIndex);
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket?access_token=" + token))
      .onComplete(ar -> {
        synchronized (this) {
          connecting = false;
          if (ar.failed()) {
            disconnected(false);
            return;
          }
          WebSocket ws = ar.result();
          socket = ws;
          attempt = 0;
          if (disconnectedAt != 0) {
            reconnectMs.add(System.currentTimeMillis() - disconnectedAt);
            disconnectedAt = 0;
          }
          ws.handler(buffer -> frame(new JsonObject(buffer.toString())));
          ws.closeHandler(v -> {
            synchronized (this) {
              if (socket == ws) {
                socket = null;
                Short code = ws.closeStatusCode();
                if (code != null && code == 1001) {
                  goingAway.incrementAndGet();
                }
                disconnected(code != null && code == 1001);
              }
            }
          });
          if (pending != null) {
            send();
          }
        }
      });
  }

  private void disconnected(boolean now) {
    if (disconnectedAt == 0) {
      disconnectedAt = System.currentTimeMillis();
    }
    failedNow(-1);
    pendingReply = null;
    if (!running && pending == null) {
      return;
    }
    // Another node may take us: try the next port; a node that went away is tried last.
    portIndex = (portIndex + 1) % ports.size();
    long delay = now ? 1 : Math.min(2000, 100L << Math.min(attempt++, 4));
    vertx.setTimer(delay, id -> connect());
  }

  private synchronized void tick() {
    if (pending != null) {
      if (pendingReply != null && System.currentTimeMillis() - pendingSentAt > 5_000) {
        failedNow(408);   // no reply in time: send it again
        pendingReply = null;
      }
      if (pendingReply == null && socket != null) {
        send();
      }
      return;
    }
    if (!running) {
      return;
    }
    pending = prefix + (++created);
    if (socket != null) {
      send();
    }
  }

  private void send() {
    pendingReply = UUID.randomUUID().toString();
    pendingSentAt = System.currentTimeMillis();
    socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "chat.send").put("replyAddress", pendingReply)
      .put("body", new JsonObject().put("meetingId", meetingId).put("clientId", pending).put("text", "message " + pending))
      .encode());
  }

  private synchronized void frame(JsonObject frame) {
    String address = frame.getString("address");
    if (address == null || !address.equals(pendingReply)) {
      return;
    }
    pendingReply = null;
    if ("err".equals(frame.getString("type"))) {
      failedNow(frame.getInteger("failureCode", -1));
      return;
    }
    JsonObject body = frame.getJsonObject("body");
    acked.put(pending, body.getLong("seq"));
    pending = null;
    if (outageSince != 0) {
      long outage = System.currentTimeMillis() - outageSince;
      unavailableMs += outage;
      longestOutageMs = Math.max(longestOutageMs, outage);
      outageSince = 0;
    }
  }

  private void failedNow(int code) {
    if (pending == null && code != -1) {
      return;
    }
    if (code != -1 || pending != null) {
      failures.incrementAndGet();
      failureCodes.merge(code, 1, Integer::sum);
    }
    if (outageSince == 0) {
      outageSince = System.currentTimeMillis();
    }
  }

  /** The meeting's whole chat history, every page. */
  public static JsonArray history(Api api, String token, String meetingId) {
    JsonArray all = new JsonArray();
    long after = 0;
    while (true) {
      Api.Response r = api.get("/api/v1/meetings/" + meetingId + "/chat?after=" + after + "&limit=500", token);
      if (r.status() != 200) {
        throw new AssertionError("chat history: " + r.status() + " " + r.body());
      }
      JsonArray page = r.array("messages");
      all.addAll(page);
      if (!r.json().getBoolean("more", false) || page.isEmpty()) {
        return all;
      }
      after = page.getJsonObject(page.size() - 1).getLong("seq");
    }
  }

  /**
   * What happened, against what is stored: {@code sent} (messages created), {@code acknowledged},
   * {@code stored} (of this load's clientIds), {@code acknowledgedButLost}, {@code duplicated}
   * (clientIds stored more than once), {@code unavailableSeconds} (sum of the outages a sender saw),
   * {@code longestOutageSeconds}, {@code failures} by code, {@code goingAway} (1001 closes) and the
   * reconnect times.
   */
  public synchronized JsonObject report(JsonArray history) {
    Map<String, Integer> storedCount = new HashMap<>();
    Map<String, Long> storedSeq = new HashMap<>();
    for (Object o : history) {
      JsonObject m = (JsonObject) o;
      String clientId = m.getString("clientId");
      if (clientId != null && clientId.startsWith(prefix)) {
        storedCount.merge(clientId, 1, Integer::sum);
        storedSeq.put(clientId, m.getLong("seq"));
      }
    }
    long lost = acked.entrySet().stream().filter(e -> !e.getValue().equals(storedSeq.get(e.getKey()))).count();
    long duplicated = storedCount.values().stream().filter(n -> n > 1).count();
    JsonObject codes = new JsonObject();
    failureCodes.forEach((k, v) -> codes.put(String.valueOf(k), v));
    return new JsonObject()
      .put("sent", created)
      .put("acknowledged", acked.size())
      .put("stored", storedCount.size())
      .put("acknowledgedButLost", lost)
      .put("duplicated", duplicated)
      .put("unavailableSeconds", (unavailableMs + (outageSince == 0 ? 0 : System.currentTimeMillis() - outageSince)) / 1000.0)
      .put("longestOutageSeconds", longestOutageMs / 1000.0)
      .put("failures", codes)
      .put("goingAway", goingAway.get())
      .put("reconnectMs", new JsonArray(new ArrayList<>(reconnectMs)));
  }
}
