package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Live meeting state in Redis: who is present (heartbeats with a TTL), raised hands, and the
 * meeting's status and participant count. Keys carry the tenant and use one hash tag per meeting
 * (<code>parley:{tenant:meeting}:...</code>) so that a Redis Cluster keeps a meeting's keys in one
 * slot and batched commands stay valid.
 *
 * <ul>
 *   <li>{@code :presence} sorted set, member = user id, score = last heartbeat (epoch ms)</li>
 *   <li>{@code :names} hash, user id -> display name</li>
 *   <li>{@code :hands} set of user ids with a raised hand</li>
 *   <li>{@code :handsAt} hash, user id -> when the hand went up (epoch ms), for the order of hands</li>
 *   <li>{@code :media} hash, user id -> microphone and camera on or off ({@code a1v0})</li>
 *   <li>{@code :status} hash: status, participants (count present in the database), hostId</li>
 * </ul>
 * All keys expire a day after the last write, so abandoned meetings leave nothing behind.
 */
public final class PresenceStore {

  private static final long KEY_TTL_SECONDS = 86_400;

  private final Redis redis;
  private final long ttlMillis;

  public PresenceStore(Redis redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlMillis = ttlSeconds * 1000;
  }

  /** A key of the meeting's live state: {@code parley:{tenant:meeting}:suffix}. */
  public static String key(String tenant, UUID meeting, String suffix) {
    return "parley:{" + tenant + ":" + meeting + "}:" + suffix;
  }

  /** Records a heartbeat; returns true when the user was not present before (a fresh arrival). */
  public Future<Boolean> touch(String tenant, UUID meeting, String userId, String name) {
    String presence = key(tenant, meeting, "presence");
    String names = key(tenant, meeting, "names");
    long now = System.currentTimeMillis();
    return batch(List.of(
        Request.cmd(Command.ZSCORE).arg(presence).arg(userId),
        Request.cmd(Command.ZADD).arg(presence).arg(now).arg(userId),
        Request.cmd(Command.HSET).arg(names).arg(userId).arg(name),
        Request.cmd(Command.EXPIRE).arg(presence).arg(KEY_TTL_SECONDS),
        Request.cmd(Command.EXPIRE).arg(names).arg(KEY_TTL_SECONDS)))
      .map(responses -> {
        Response previous = responses.get(0);
        return previous == null || (long) Double.parseDouble(previous.toString()) < now - ttlMillis;
      });
  }

  /** The epoch millisecond of the user's last heartbeat, or 0 when absent. */
  public Future<Long> lastSeen(String tenant, UUID meeting, String userId) {
    return send(Request.cmd(Command.ZSCORE).arg(key(tenant, meeting, "presence")).arg(userId))
      .map(r -> r == null ? 0L : (long) Double.parseDouble(r.toString()));
  }

  public Future<Void> remove(String tenant, UUID meeting, String userId) {
    return batch(List.of(
        Request.cmd(Command.ZREM).arg(key(tenant, meeting, "presence")).arg(userId),
        Request.cmd(Command.SREM).arg(key(tenant, meeting, "hands")).arg(userId),
        Request.cmd(Command.HDEL).arg(key(tenant, meeting, "handsAt")).arg(userId),
        Request.cmd(Command.HDEL).arg(key(tenant, meeting, "media")).arg(userId)))
      .mapEmpty();
  }

  /**
   * Who is present now: heartbeats younger than the TTL, with names, raised hands (and since when:
   * {@code handRaisedAt}) and, once they said, whether their microphone and camera are on.
   */
  public Future<JsonArray> present(String tenant, UUID meeting) {
    String presence = key(tenant, meeting, "presence");
    long cutoff = System.currentTimeMillis() - ttlMillis;
    return batch(List.of(
        Request.cmd(Command.ZREMRANGEBYSCORE).arg(presence).arg("-inf").arg("(" + cutoff),
        Request.cmd(Command.ZRANGE).arg(presence).arg(0).arg(-1).arg("WITHSCORES"),
        Request.cmd(Command.HGETALL).arg(key(tenant, meeting, "names")),
        Request.cmd(Command.SMEMBERS).arg(key(tenant, meeting, "hands")),
        Request.cmd(Command.HGETALL).arg(key(tenant, meeting, "handsAt")),
        Request.cmd(Command.HGETALL).arg(key(tenant, meeting, "media"))))
      .map(responses -> {
        Response members = responses.get(1);
        Response names = responses.get(2);
        Response hands = responses.get(3);
        Response handsAt = responses.get(4);
        Response media = responses.get(5);
        List<String> raised = new ArrayList<>();
        if (hands != null) {
          hands.forEach(h -> raised.add(h.toString()));
        }
        JsonArray out = new JsonArray();
        if (members != null) {
          for (Scored entry : scored(members)) {
            String userId = entry.member();
            long seen = (long) entry.score();
            Response name = names == null ? null : names.get(userId);
            JsonObject person = new JsonObject()
              .put("userId", userId)
              .put("name", name == null ? userId : name.toString())
              .put("lastSeen", java.time.Instant.ofEpochMilli(seen).toString())
              .put("handRaised", raised.contains(userId));
            Response at = handsAt == null ? null : handsAt.get(userId);
            if (raised.contains(userId) && at != null) {
              person.put("handRaisedAt", java.time.Instant.ofEpochMilli(Long.parseLong(at.toString())).toString());
            }
            Response state = media == null ? null : media.get(userId);
            if (state != null && state.toString().matches("a[01]v[01]")) {
              person.put("audio", state.toString().charAt(1) == '1').put("video", state.toString().charAt(3) == '1');
            }
            out.add(person);
          }
        }
        return out;
      });
  }

  /** Raises or lowers a hand; a hand raised again keeps its first time (its place in the order). */
  public Future<Void> setHand(String tenant, UUID meeting, String userId, boolean raised) {
    String hands = key(tenant, meeting, "hands");
    String handsAt = key(tenant, meeting, "handsAt");
    return batch(List.of(
        Request.cmd(raised ? Command.SADD : Command.SREM).arg(hands).arg(userId),
        raised ? Request.cmd(Command.HSETNX).arg(handsAt).arg(userId).arg(System.currentTimeMillis())
          : Request.cmd(Command.HDEL).arg(handsAt).arg(userId),
        Request.cmd(Command.EXPIRE).arg(hands).arg(KEY_TTL_SECONDS),
        Request.cmd(Command.EXPIRE).arg(handsAt).arg(KEY_TTL_SECONDS)))
      .mapEmpty();
  }

  /** Whether the user's microphone and camera are on, as their page says. */
  public Future<Void> setMedia(String tenant, UUID meeting, String userId, boolean audio, boolean video) {
    String media = key(tenant, meeting, "media");
    return batch(List.of(
        Request.cmd(Command.HSET).arg(media).arg(userId).arg("a" + (audio ? 1 : 0) + "v" + (video ? 1 : 0)),
        Request.cmd(Command.EXPIRE).arg(media).arg(KEY_TTL_SECONDS)))
      .mapEmpty();
  }

  public Future<Void> setStatus(String tenant, UUID meeting, String status, long participants, String hostId) {
    String key = key(tenant, meeting, "status");
    return batch(List.of(
        Request.cmd(Command.HSET).arg(key).arg("status").arg(status).arg("participants").arg(participants)
          .arg("hostId").arg(hostId),
        Request.cmd(Command.EXPIRE).arg(key).arg(KEY_TTL_SECONDS)))
      .mapEmpty();
  }

  public Future<JsonObject> status(String tenant, UUID meeting) {
    return send(Request.cmd(Command.HGETALL).arg(key(tenant, meeting, "status")))
      .map(r -> {
        JsonObject out = new JsonObject();
        if (r != null) {
          for (String field : r.getKeys()) {
            out.put(field, r.get(field).toString());
          }
        }
        return out;
      });
  }

  /** Clears a meeting's live state when it ends. */
  public Future<Void> clear(String tenant, UUID meeting) {
    return batch(List.of(
        Request.cmd(Command.DEL).arg(key(tenant, meeting, "presence")).arg(key(tenant, meeting, "names"))
          .arg(key(tenant, meeting, "hands")).arg(key(tenant, meeting, "sockets")).arg(key(tenant, meeting, "captionLangs"))
          .arg(key(tenant, meeting, "handsAt")).arg(key(tenant, meeting, "media"))))
      .mapEmpty();
  }

  /** Counts a bridge socket of the user registered for this meeting (across nodes). */
  public Future<Long> socketOpened(String tenant, UUID meeting, String userId) {
    return sockets(tenant, meeting, userId, 1);
  }

  /** Uncounts a closed bridge socket; returns how many of the user's sockets remain. */
  public Future<Long> socketClosed(String tenant, UUID meeting, String userId) {
    return sockets(tenant, meeting, userId, -1);
  }

  /** How many bridge sockets of the user are registered for this meeting now. */
  public Future<Long> openSockets(String tenant, UUID meeting, String userId) {
    return send(Request.cmd(Command.HGET).arg(key(tenant, meeting, "sockets")).arg(userId))
      .map(r -> r == null ? 0L : Math.max(0, r.toLong()));
  }

  private Future<Long> sockets(String tenant, UUID meeting, String userId, int delta) {
    String key = key(tenant, meeting, "sockets");
    return batch(List.of(
        Request.cmd(Command.HINCRBY).arg(key).arg(userId).arg(delta),
        Request.cmd(Command.EXPIRE).arg(key).arg(KEY_TTL_SECONDS)))
      .map(responses -> Math.max(0, responses.get(0).toLong()));
  }

  /** Adds a caption translation target chosen by a participant; returns the meeting's targets. */
  public Future<List<String>> addCaptionLanguage(String tenant, UUID meeting, String lang) {
    String key = key(tenant, meeting, "captionLangs");
    return batch(List.of(
        Request.cmd(Command.SADD).arg(key).arg(lang),
        Request.cmd(Command.EXPIRE).arg(key).arg(KEY_TTL_SECONDS),
        Request.cmd(Command.SMEMBERS).arg(key)))
      .map(responses -> members(responses.get(2)));
  }

  /** The caption translation targets participants of this meeting chose. */
  public Future<List<String>> captionLanguages(String tenant, UUID meeting) {
    return send(Request.cmd(Command.SMEMBERS).arg(key(tenant, meeting, "captionLangs"))).map(PresenceStore::members);
  }

  private static List<String> members(Response set) {
    List<String> out = new ArrayList<>();
    if (set != null) {
      set.forEach(m -> out.add(m.toString()));
    }
    out.sort(null);
    return out;
  }

  /** PING, for readiness. */
  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private record Scored(String member, double score) {
  }

  private static List<Scored> scored(Response members) {
    // RESP3 answers [[member, score], ...]; RESP2 answers [member, score, member, score, ...].
    List<Scored> out = new ArrayList<>();
    if (members.size() > 0 && members.get(0).type() == ResponseType.MULTI) {
      members.forEach(pair -> out.add(new Scored(pair.get(0).toString(), Double.parseDouble(pair.get(1).toString()))));
      return out;
    }
    for (int i = 0; i + 1 < members.size(); i += 2) {
      out.add(new Scored(members.get(i).toString(), Double.parseDouble(members.get(i + 1).toString())));
    }
    return out;
  }

  private Future<Response> send(Request request) {
    return redis.send(request).recover(PresenceStore::unavailable);
  }

  private Future<List<Response>> batch(List<Request> requests) {
    return redis.batch(requests).recover(PresenceStore::unavailable);
  }

  /** A clear 503: which dependency, and whether it refused or did not answer in time. */
  private static <T> Future<T> unavailable(Throwable err) {
    String why = err instanceof java.util.concurrent.TimeoutException || err instanceof io.vertx.core.impl.NoStackTraceTimeoutException
      ? "no answer in time" : err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return Future.failedFuture(new ParleyException(503, "unavailable", "presence store (Redis) unavailable: " + why, err));
  }
}
