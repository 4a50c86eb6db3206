package verticles;

import common.Addresses;
import data.RedisLock;
import handlers.LifecyclePass;
import handlers.RunLifecycleHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves stored objects from hot to cool to archive and deletes them after the retention period
 * ({@link LifecyclePass}), every {@code blobs.lifecycle.intervalMinutes}, and when an administrator
 * asks. Every node runs the timer; the Redis lock lets one pass run at a time across the cluster.
 */
public final class LifecycleVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleVerticle.class);

  private final Services services;
  private long timer = -1;

  public LifecycleVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    JsonObject cfg = services.config().getJsonObject("blobs").getJsonObject("lifecycle", new JsonObject());
    LifecyclePass pass = new LifecyclePass(services.storage().objects(), services.storage().store(), services.policies(),
      new RedisLock(services.redis()), cfg.getLong("lockSeconds", 900L) * 1000, cfg.getInteger("batchSize", 1000));
    long interval = cfg.getLong("intervalMinutes", 60L);
    if (interval > 0) {
      long first = cfg.getLong("initialDelaySeconds", 60L);
      timer = vertx.setPeriodic(Math.max(1, first) * 1000, interval * 60_000, id -> pass.run("timer", null)
        .onFailure(err -> LOG.debug("Lifecycle pass skipped: {}", err.getMessage())));
    }
    return vertx.eventBus().consumer(Addresses.LIFECYCLE_RUN, new RunLifecycleHandler(pass)).completion();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
