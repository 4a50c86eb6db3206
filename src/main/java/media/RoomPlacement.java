package media;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which Janus holds a meeting's room, and which Parley media instance drives it, shared by every
 * node in Redis so that a cluster sends each meeting to one Janus:
 * <ul>
 *   <li>{@code parley:{tenant:meeting}:media}: hash {@code server, room, secret, owner, at} (the room's
 *   secret stays in Redis and the owner's memory: it never reaches a client); it expires a day
 *   after its last write;</li>
 *   <li>{@code parley:media:load:<server>}: hash, media instance -> {@code connections|epoch ms}, each
 *   instance's count of publishers and subscribers it has on that server, refreshed every few
 *   seconds; entries older than {@link #STALE_MS} are ignored and removed.</li>
 * </ul>
 * Claims are compare-and-set (one Lua script), so two nodes opening the same meeting at once agree
 * on one room.
 */
public final class RoomPlacement {

  public static final long STALE_MS = 20_000;
  private static final long KEY_TTL_SECONDS = 86_400;

  /** Sets the placement if it is absent ({@code ARGV[1]} empty) or still owned by {@code ARGV[1]}. */
  private static final String CLAIM = """
    local owner = redis.call('hget', KEYS[1], 'owner')
    if (ARGV[1] == '' and not owner) or (owner and owner == ARGV[1]) then
      redis.call('del', KEYS[1])
      redis.call('hset', KEYS[1], 'server', ARGV[2], 'room', ARGV[3], 'secret', ARGV[4], 'owner', ARGV[5], 'at', ARGV[6])
      redis.call('expire', KEYS[1], ARGV[7])
      return 1
    end
    return 0
    """;
  /** Deletes the placement if it still names this owner and room. */
  private static final String RELEASE = """
    if redis.call('hget', KEYS[1], 'owner') == ARGV[1] and redis.call('hget', KEYS[1], 'room') == ARGV[2] then
      return redis.call('del', KEYS[1])
    end
    return 0
    """;

  /** A meeting's room: on {@code server}, driven by the media instance at event-bus address {@code owner}. */
  public record Placement(String server, long room, String secret, String owner, long atMs) {
  }

  private final Redis redis;

  public RoomPlacement(Redis redis) {
    this.redis = redis;
  }

  static String key(String tenant, UUID meeting) {
    return "parley:{" + tenant + ":" + meeting + "}:media";
  }

  static String loadKey(String server) {
    return "parley:media:load:" + server;
  }

  public Future<Optional<Placement>> get(String tenant, UUID meeting) {
    return redis.send(Request.cmd(Command.HGETALL).arg(key(tenant, meeting))).map(r -> {
      if (r == null || r.size() == 0 || r.get("owner") == null) {
        return Optional.empty();
      }
      return Optional.of(new Placement(r.get("server").toString(), Long.parseLong(r.get("room").toString()),
        r.get("secret").toString(), r.get("owner").toString(), Long.parseLong(r.get("at").toString())));
    });
  }

  /**
   * Records {@code placement} if the meeting has none ({@code expectedOwner} null) or its owner is
   * still {@code expectedOwner} (a takeover). Completes with whether it was recorded.
   */
  public Future<Boolean> claim(String tenant, UUID meeting, Placement placement, String expectedOwner) {
    return redis.send(Request.cmd(Command.EVAL).arg(CLAIM).arg(1).arg(key(tenant, meeting))
        .arg(expectedOwner == null ? "" : expectedOwner).arg(placement.server()).arg(placement.room())
        .arg(placement.secret()).arg(placement.owner()).arg(placement.atMs()).arg(KEY_TTL_SECONDS))
      .map(r -> r != null && r.toLong() == 1);
  }

  /** Forgets the placement if {@code owner} still holds it with {@code room}. */
  public Future<Void> release(String tenant, UUID meeting, String owner, long room) {
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key(tenant, meeting)).arg(owner).arg(room)).mapEmpty();
  }

  /** Refreshes the placement's expiry (while the room is in use). */
  public Future<Void> touch(String tenant, UUID meeting) {
    return redis.send(Request.cmd(Command.EXPIRE).arg(key(tenant, meeting)).arg(KEY_TTL_SECONDS)).mapEmpty();
  }

  /** Reports how many connections {@code instance} holds on {@code server} now. */
  public Future<Void> reportLoad(String server, String instance, long connections) {
    return redis.send(Request.cmd(Command.HSET).arg(loadKey(server)).arg(instance)
        .arg(connections + "|" + System.currentTimeMillis()))
      .compose(r -> redis.send(Request.cmd(Command.EXPIRE).arg(loadKey(server)).arg(STALE_MS / 1000 * 3)))
      .mapEmpty();
  }

  /** Connections per server, summed over the instances that reported within {@link #STALE_MS}. */
  public Future<Map<String, Long>> loads(List<String> servers) {
    List<Future<Response>> reads = new ArrayList<>();
    for (String server : servers) {
      reads.add(redis.send(Request.cmd(Command.HGETALL).arg(loadKey(server))));
    }
    return Future.all(reads).map(all -> {
      Map<String, Long> loads = new HashMap<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < servers.size(); i++) {
        Response r = all.resultAt(i);
        long sum = 0;
        List<String> stale = new ArrayList<>();
        if (r != null) {
          for (String instance : r.getKeys()) {
            String[] parts = r.get(instance).toString().split("\\|");
            if (parts.length == 2 && now - Long.parseLong(parts[1]) <= STALE_MS) {
              sum += Long.parseLong(parts[0]);
            } else {
              stale.add(instance);
            }
          }
        }
        if (!stale.isEmpty()) {
          Request del = Request.cmd(Command.HDEL).arg(loadKey(servers.get(i)));
          stale.forEach(del::arg);
          redis.send(del);
        }
        loads.put(servers.get(i), sum);
      }
      return loads;
    });
  }

  /** The least-loaded of {@code candidates} (ties go to the first listed). */
  public Future<String> leastLoaded(List<String> candidates) {
    if (candidates.size() == 1) {
      return Future.succeededFuture(candidates.get(0));
    }
    return loads(candidates).map(loads -> candidates.stream()
      .min(Comparator.comparingLong(s -> loads.getOrDefault(s, 0L))).orElseThrow());
  }
}
