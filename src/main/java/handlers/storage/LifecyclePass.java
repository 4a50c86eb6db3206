package handlers.storage;

import common.ParleyException;
import data.RedisLock;
import data.StoredObjectRepository.StoredObject;
import data.StoredObjectRepository;
import data.blob.BlobKey;
import data.blob.BlobStore;
import handlers.tenant.TenantPolicies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One pass of the storage lifecycle, for every tenant with stored objects, by the tenant's
 * {@code retention} settings (ages counted from when the object was stored):
 * <ol>
 *   <li>older than {@code retentionDays}: the blob is deleted, then its row;</li>
 *   <li>older than {@code coolDays} and not archived: moved to the archive tier (an object that was
 *       brought back from the archive stays out for {@code coolDays - hotDays} days first);</li>
 *   <li>hot and older than {@code hotDays}: moved to the cool tier;</li>
 *   <li>archived objects whose rehydration was asked for: their tier is read back from the store.</li>
 * </ol>
 * Each step handles at most {@code batchSize} objects per tenant and pass (the report says when
 * more remain). Only one node runs a pass at a time: a Redis lock with an expiry, so a node that
 * dies mid-pass does not block the others for longer than the lock's lifetime. The store is
 * changed before the database, so a failure part-way leaves a row that the next pass retries,
 * never a row pointing at nothing.
 */
public final class LifecyclePass {

  private static final Logger LOG = LoggerFactory.getLogger(LifecyclePass.class);
  public static final String LOCK_KEY = "parley:lifecycle:lock";
  private static final int MAX_REPORTED_ERRORS = 50;

  private final StoredObjectRepository objects;
  private final BlobStore store;
  private final TenantPolicies policies;
  private final RedisLock lock;
  private final long lockTtlMs;
  private final int batchSize;
  private volatile JsonObject lastReport;

  public LifecyclePass(StoredObjectRepository objects, BlobStore store, TenantPolicies policies, RedisLock lock,
                       long lockTtlMs, int batchSize) {
    this.objects = objects;
    this.store = store;
    this.policies = policies;
    this.lock = lock;
    this.lockTtlMs = lockTtlMs;
    this.batchSize = batchSize;
  }

  /** The report of this node's last pass, or null. */
  public JsonObject lastReport() {
    return lastReport;
  }

  /**
   * Runs a pass unless another node is running one (then 409). {@code trigger}: {@code timer} or
   * {@code admin}; {@code onlyTenant}: one tenant's objects (an administrator's pass), or null for all.
   */
  public Future<JsonObject> run(String trigger, String onlyTenant) {
    return lock.acquire(LOCK_KEY, lockTtlMs).compose(token -> {
      if (token.isEmpty()) {
        return Future.failedFuture(ParleyException.conflict("a lifecycle pass is already running; try again when it has finished"));
      }
      Report report = new Report(trigger, onlyTenant);
      Future<List<String>> which = onlyTenant != null ? Future.succeededFuture(List.of(onlyTenant)) : objects.tenants();
      return which
        .compose(tenants -> sequentially(tenants, tenant -> tenant(tenant, report)))
        .transform(ar -> lock.release(LOCK_KEY, token.get()).otherwiseEmpty().transform(v -> {
          if (ar.failed()) {
            report.error(null, "pass", ar.cause());
          }
          JsonObject json = report.toJson();
          lastReport = json;
          LOG.info("Lifecycle pass ({}): {} to cool, {} to archive, {} deleted, {} restored, {} errors in {} ms", trigger,
            report.cooled, report.archived, report.deleted, report.restored, report.errors, json.getLong("durationMs"));
          return Future.succeededFuture(json);
        }));
    });
  }

  private Future<Void> tenant(String tenant, Report report) {
    report.tenants++;
    return policies.config(tenant).compose(config -> {
      JsonObject retention = config.getJsonObject("retention");
      long hot = retention.getLong("hotDays");
      long cool = retention.getLong("coolDays");
      long keep = retention.getLong("retentionDays");
      return objects.dueForDeletion(tenant, keep, batchSize)
        .compose(list -> report.more(list).each(list, o -> delete(o, report)))
        .compose(v -> objects.dueForArchive(tenant, cool, Math.max(1, cool - hot), batchSize))
        .compose(list -> report.more(list).each(list, o -> tier(o, BlobStore.Tier.ARCHIVE, report)))
        .compose(v -> objects.dueForCool(tenant, hot, batchSize))
        .compose(list -> report.more(list).each(list, o -> tier(o, BlobStore.Tier.COOL, report)))
        .compose(v -> objects.rehydrating(tenant, batchSize))
        .compose(list -> report.each(list, o -> restored(o, report)));
    }).recover(err -> {
      report.error(null, "tenant " + tenant, err);
      return Future.succeededFuture();
    });
  }

  private Future<Void> delete(StoredObject o, Report report) {
    return store.delete(BlobKey.parse(o.blobKey()))
      .compose(v -> objects.delete(o.tenant(), o.id()))
      .onSuccess(v -> {
        report.deleted++;
        report.bytesDeleted += o.size();
      })
      .recover(err -> report.error(o, "delete", err));
  }

  private Future<Void> tier(StoredObject o, BlobStore.Tier tier, Report report) {
    return store.setTier(BlobKey.parse(o.blobKey()), tier)
      .compose(v -> objects.setTier(o.tenant(), o.id(), tier.name().toLowerCase(Locale.ROOT)))
      .onSuccess(v -> {
        if (tier == BlobStore.Tier.ARCHIVE) {
          report.archived++;
        } else {
          report.cooled++;
        }
      })
      .recover(err -> report.error(o, "move to " + tier.name().toLowerCase(Locale.ROOT), err));
  }

  private Future<Void> restored(StoredObject o, Report report) {
    BlobKey key = BlobKey.parse(o.blobKey());
    return store.stat(key).compose(info -> {
      if (info.tier() != BlobStore.Tier.ARCHIVE) {
        report.restored++;
        return objects.setTier(o.tenant(), o.id(), info.tier().name().toLowerCase(Locale.ROOT));
      }
      return info.rehydrating() ? Future.<Void>succeededFuture() : store.rehydrate(key);
    }).recover(err -> report.error(o, "follow rehydration", err));
  }

  private static <T> Future<Void> sequentially(List<T> items, Function<T, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> action.apply(item));
    }
    return chain;
  }

  private final class Report {
    final String trigger;
    final String tenant;
    final Instant started = Instant.now();
    final long startedNanos = System.nanoTime();
    int tenants;
    long cooled;
    long archived;
    long deleted;
    long bytesDeleted;
    long restored;
    long errors;
    boolean more;
    final JsonArray errorList = new JsonArray();

    Report(String trigger, String tenant) {
      this.trigger = trigger;
      this.tenant = tenant;
    }

    Report more(List<StoredObject> batch) {
      if (batch.size() >= batchSize) {
        more = true;
      }
      return this;
    }

    Future<Void> each(List<StoredObject> list, Function<StoredObject, Future<Void>> action) {
      return sequentially(list, action);
    }

    Future<Void> error(StoredObject o, String action, Throwable err) {
      errors++;
      if (errorList.size() < MAX_REPORTED_ERRORS) {
        errorList.add(new JsonObject().put("objectId", o == null ? null : o.id().toString()).put("action", action)
          .put("message", err.getMessage()));
      }
      LOG.warn("Lifecycle: {} {} failed: {}", action, o == null ? "" : o.id(), err.getMessage());
      return Future.succeededFuture();
    }

    JsonObject toJson() {
      return new JsonObject()
        .put("trigger", trigger)
        .put("tenant", tenant)
        .put("startedAt", started.toString())
        .put("durationMs", Duration.ofNanos(System.nanoTime() - startedNanos).toMillis())
        .put("tenants", tenants)
        .put("movedToCool", cooled)
        .put("movedToArchive", archived)
        .put("deleted", deleted)
        .put("bytesDeleted", bytesDeleted)
        .put("restored", restored)
        .put("errors", errors)
        .put("errorDetails", errorList)
        .put("moreRemain", more);
    }
  }
}
