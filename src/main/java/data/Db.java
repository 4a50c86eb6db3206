package data;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The database pools: {@code write} on the primary, and an optional pool on the read replicas named
 * by {@code db.readUrls}. Only list and dashboard views read through {@link #read}; anything that
 * must see its own writes (chat replay, membership, a meeting's page) uses {@code write}.
 *
 * <p>When a replica cannot be reached (connection refused or closed, the server shutting down or
 * still starting, a query cancelled by a recovery conflict), the read is run again on the primary
 * and reads keep going to the primary for {@code retryReplicaMs} before the replicas are tried
 * again. The outage is logged once when it starts and once when it ends.
 */
public final class Db {

  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  private final Pool write;
  private final Pool replicas;
  private final long retryReplicaNanos;
  /** System.nanoTime() until which reads skip the replicas; 0 when they are believed up. */
  private final AtomicLong replicasDownUntil = new AtomicLong();

  /** Reads and writes on the one pool. */
  public Db(Pool write) {
    this(write, null, 0);
  }

  /** @param replicas the read-replica pool, or null to read from the primary */
  public Db(Pool write, Pool replicas, long retryReplicaMs) {
    this.write = write;
    this.replicas = replicas;
    this.retryReplicaNanos = retryReplicaMs * 1_000_000;
  }

  public Pool write() {
    return write;
  }

  /** The replica pool, or null when reads go to the primary. */
  public Pool replicas() {
    return replicas;
  }

  /**
   * Runs a read on a replica, or on the primary when there is none or it is unreachable.
   * {@code query} may run twice (replica, then primary): it must only read.
   */
  public <T> Future<T> read(Function<SqlClient, Future<T>> query) {
    if (replicas == null) {
      return query.apply(write);
    }
    long downUntil = replicasDownUntil.get();
    if (downUntil != 0 && System.nanoTime() - downUntil < 0) {
      return query.apply(write);
    }
    return query.apply(replicas)
      .onSuccess(v -> {
        if (downUntil != 0 && replicasDownUntil.compareAndSet(downUntil, 0)) {
          LOG.info("Read replica reachable again: reads go to the replicas");
        }
      })
      .recover(err -> {
        if (!replicaUnavailable(err)) {
          return Future.failedFuture(err);
        }
        long next = System.nanoTime() + retryReplicaNanos;
        if (replicasDownUntil.getAndSet(next == 0 ? 1 : next) == 0) {
          LOG.warn("Read replica unavailable ({}): reads fall back to the primary, replica retried every {} ms",
            describe(err), retryReplicaNanos / 1_000_000);
        }
        return query.apply(write);
      });
  }

  /** True for failures that say the replica cannot serve now, not that the query is wrong. */
  static boolean replicaUnavailable(Throwable err) {
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      return state != null && (state.startsWith("08")   // connection exception
        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") // shutting down, starting up
        || state.equals("40001"));                       // cancelled by a conflict with recovery
    }
    // Anything else from the pool is transport: refused, reset, closed, or no connection in time.
    return true;
  }

  private static String describe(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
  }
}
