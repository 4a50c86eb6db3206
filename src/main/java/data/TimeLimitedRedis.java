package data;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis client with a bound on every command: a server that is stopped or partitioned (TCP
 * open, nothing answering) fails requests after {@code redis.commandTimeoutMs} instead of holding
 * them until it wakes up, so callers answer 503 at once. A late reply is still read and dropped by
 * the client. Connections are the pool's: one that closes (the server restarted, a Sentinel
 * failover) is replaced by the next command.
 */
public final class TimeLimitedRedis implements Redis {

  private final Redis redis;
  private final long timeoutMs;

  public TimeLimitedRedis(Redis redis, long timeoutMs) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<RedisConnection> connect() {
    return redis.connect().timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return redis.send(command).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return redis.batch(commands).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
