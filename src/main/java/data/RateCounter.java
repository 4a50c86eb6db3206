package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.List;

/** Fixed-window counters in Redis, shared by every node: how often something happened in the current window. */
public final class RateCounter {

  private final Redis redis;

  public RateCounter(Redis redis) {
    this.redis = redis;
  }

  /** Counts one hit on {@code key} and returns the hits in its window, which starts with the first hit. */
  public Future<Long> hit(String key, long windowSeconds) {
    // SET NX starts a window (with its expiry) only when none is running; INCR keeps the expiry.
    return redis.batch(List.of(
        Request.cmd(Command.SET).arg(key).arg(0).arg("EX").arg(windowSeconds).arg("NX"),
        Request.cmd(Command.INCR).arg(key)))
      .map(responses -> responses.get(1).toLong())
      .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "rate limiter unavailable", err)));
  }
}
