package verticles;

import common.Addresses;
import config.Section;
import data.RedisLock;
import handlers.storage.LifecyclePass;
import handlers.storage.RunLifecycleHandler;
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

  /** The {@code blobs.lifecycle} settings; an interval of 0 runs passes only when an administrator asks. */
  record Settings(long lockMs, int batchSize, long intervalMinutes, long initialDelaySeconds) {

    static Settings parse(JsonObject config) {
      Section lifecycle = Section.of(config, "blobs.lifecycle");
      return new Settings(lifecycle.longValue("lockSeconds", 1, 86_400) * 1000, lifecycle.integer("batchSize", 1, 100_000),
        lifecycle.longValue("intervalMinutes", 0, 525_600), lifecycle.longValue("initialDelaySeconds", 0, 86_400));
    }
  }

  private final Services services;
  private long timer = -1;

  public LifecycleVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    LifecyclePass pass = new LifecyclePass(services.storage().objects(), services.storage().store(), services.policies(),
      new RedisLock(services.redis()), settings.lockMs(), settings.batchSize());
    if (settings.intervalMinutes() > 0) {
      timer = vertx.setPeriodic(Math.max(1, settings.initialDelaySeconds()) * 1000, settings.intervalMinutes() * 60_000,
        id -> pass.run("timer", null)
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
