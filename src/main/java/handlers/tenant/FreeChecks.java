package handlers.tenant;

import data.UsageRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Free safety checks, metered in batches: the built-in detector checks every chat message, and one
 * {@code ai_usage} row (one commit) per message was PostgreSQL's second statement per message,
 * beside the message itself. Checks of one tenant, meeting, provider and unit that come within
 * {@code batchMs} of the first are written as one row that counts them all ({@code calls}), in one
 * statement with the batch's other rows. Calls with a cost are not batched: they hold the budget
 * ({@link RecordUsageHandler}).
 *
 * <p>A batch that cannot be written is kept and tried again with the next one; {@link #flush} writes
 * what is pending at once (the verticle's stop). What a crash loses is at most {@code batchMs} of
 * free checks' counts, nothing that costs money. Confined to its verticle's event loop.
 */
final class FreeChecks {

  private static final Logger LOG = LoggerFactory.getLogger(FreeChecks.class);
  /** Pending rows held while PostgreSQL refuses them; beyond this, the oldest counts are dropped (and logged). */
  static final int MAX_PENDING_ROWS = 10_000;

  private record Key(String tenant, UUID meetingId, String service, String provider, String unit) {
  }

  private static final class Sum {
    double units;
    int calls;
  }

  private final Vertx vertx;
  private final UsageRepository usage;
  private final long batchMs;
  private Map<Key, Sum> pending = new LinkedHashMap<>();
  private long timer = -1;
  private Future<Void> writing = Future.succeededFuture();

  FreeChecks(Vertx vertx, UsageRepository usage, long batchMs) {
    this.vertx = vertx;
    this.usage = usage;
    this.batchMs = batchMs;
  }

  /** {@code calls} checks, {@code units} in all (a sender that gathered them first, see {@link handlers.AiUsage}). */
  void add(String tenant, UUID meetingId, String service, String provider, double units, String unit, int calls) {
    add(new Key(tenant, meetingId, service, provider, unit), units, calls);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (timer < 0) {
      timer = vertx.setTimer(batchMs, id -> {
        timer = -1;
        flush();
      });
    }
  }

  private void add(Key key, double units, int calls) {
    if (pending.size() >= MAX_PENDING_ROWS && !pending.containsKey(key)) {
      Key oldest = pending.keySet().iterator().next();
      LOG.warn("Dropping the usage count of {} free {} checks for tenant {}: {} rows are waiting for the database",
        pending.remove(oldest).calls, oldest.service(), oldest.tenant(), MAX_PENDING_ROWS);
    }
    Sum sum = pending.computeIfAbsent(key, k -> new Sum());
    sum.units += units;
    sum.calls += calls;
  }

  /** Writes what is pending now, after the write under way if any; completes when it is stored (or kept for the next try). */
  Future<Void> flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    writing = writing.eventually(this::writePending);
    return writing;
  }

  private Future<Void> writePending() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<Key, Sum> batch = pending;
    pending = new LinkedHashMap<>();
    List<UsageRepository.FreeCalls> rows = new ArrayList<>(batch.size());
    batch.forEach((k, s) -> rows.add(new UsageRepository.FreeCalls(k.tenant(), k.meetingId(), k.service(), k.provider(),
      s.units, k.unit(), s.calls)));
    return usage.recordFree(rows).recover(err -> {
      int calls = rows.stream().mapToInt(UsageRepository.FreeCalls::calls).sum();
      LOG.warn("Could not store the usage of {} free checks ({} rows); trying again with the next batch: {}", calls, rows.size(),
        err.getMessage());
      batch.forEach((k, s) -> add(k, s.units, s.calls));
      scheduleFlush();
      return Future.succeededFuture();
    });
  }
}
