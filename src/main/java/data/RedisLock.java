package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.Optional;
import java.util.UUID;

/**
 * A lock shared by all nodes: {@code SET key token NX PX ttl}. It expires by itself if its holder
 * dies; it is released only by its holder (compare and delete in one script), so a pass that
 * outlived its lock cannot release the next holder's.
 */
public final class RedisLock {

  private static final String RELEASE =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

  private final Redis redis;

  public RedisLock(Redis redis) {
    this.redis = redis;
  }

  /** The token of the acquired lock, or empty when another holder has it. */
  public Future<Optional<String>> acquire(String key, long ttlMs) {
    String token = UUID.randomUUID().toString();
    return redis.send(Request.cmd(Command.SET).arg(key).arg(token).arg("NX").arg("PX").arg(ttlMs))
      .map(res -> res != null && "OK".equals(res.toString()) ? Optional.of(token) : Optional.<String>empty())
      .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "redis unavailable", err)));
  }

  /** Releases the lock if this token still holds it. */
  public Future<Void> release(String key, String token) {
    return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key).arg(token)).mapEmpty();
  }

  /** Who holds the lock now, if anyone (for the admin's report). */
  public Future<Optional<String>> holder(String key) {
    return redis.send(Request.cmd(Command.GET).arg(key))
      .map(res -> res == null ? Optional.<String>empty() : Optional.of(res.toString()));
  }
}
