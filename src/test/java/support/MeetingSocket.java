package support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One participant's bridge socket registered for some of a meeting's addresses ({@code events},
 * {@code chat}, {@code captions}, {@code signal}), recording what arrives on each: for tests of who
 * receives what, and of what a socket no longer receives.
 */
public final class MeetingSocket {

  public final BridgeClient bridge;
  public final String meetingId;
  public final String userId;
  private final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();

  private MeetingSocket(BridgeClient bridge, String meetingId, String userId) {
    this.bridge = bridge;
    this.meetingId = meetingId;
    this.userId = userId;
  }

  /** Connects with {@code token} (of {@code userId}, present in the meeting) and registers for {@code kinds}. */
  public static MeetingSocket open(Vertx vertx, int port, String token, String userId, String meetingId, String... kinds) {
    MeetingSocket socket = new MeetingSocket(BridgeClient.connect(vertx, port, token).await(), meetingId, userId);
    for (String kind : kinds) {
      socket.register(kind).await();
    }
    return socket;
  }

  /** The address of {@code kind} in this meeting, for this socket's user. */
  public String address(String kind) {
    String base = "meeting." + meetingId;
    return switch (kind) {
      case "events" -> base;
      case "signal", "lobby" -> base + "." + kind + "." + userId;
      default -> base + "." + kind;
    };
  }

  /** Registers for {@code kind}; what arrives is recorded under that kind. */
  public Future<Void> register(String kind) {
    List<JsonObject> list = on(kind);
    return bridge.register(address(kind), meetingId, list::add);
  }

  /** What arrived on {@code kind} so far. */
  public List<JsonObject> on(String kind) {
    return received.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>());
  }

  /** Every message received carrying {@code marker} anywhere in its JSON, on any address. */
  public List<JsonObject> carrying(String marker) {
    return received.values().stream().flatMap(List::stream).filter(m -> m.encode().contains(marker)).toList();
  }

  public void close() {
    bridge.close().otherwiseEmpty().await();
  }

  /**
   * Waits until no bridge socket of {@code userId} counts for the meeting in Redis any more. A
   * gateway that revokes a socket uncounts it after taking it out of the meeting, so once this
   * holds every gateway that held one of their sockets has processed the revocation, and anything
   * published later cannot reach them.
   */
  public static void awaitUncounted(Vertx vertx, String tenant, String meetingId, String userId) {
    Redis redis = Redis.createClient(vertx, TestInfra.redisUrl());
    try {
      String key = "parley:{" + tenant + ":" + meetingId + "}:sockets";
      Poll.until(Duration.ofSeconds(15), () -> {
        Response count = redis.send(Request.cmd(Command.HGET).arg(key).arg(userId)).await();
        return count == null || count.toLong() <= 0;
      }, "the bridge sockets of " + userId + " no longer count for meeting " + meetingId);
    } finally {
      redis.close();
    }
  }
}
