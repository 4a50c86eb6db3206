package loadtest;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency recorders shared by every client event loop. Writers never block each
 * other (LongAdder, HdrHistogram's Recorder); the orchestrating thread reads interval snapshots.
 */
final class Metrics {

  final LongAdder sent = new LongAdder();
  final LongAdder acked = new LongAdder();
  final LongAdder delivered = new LongAdder();
  /** Deliveries the sends should produce: each send counts the sockets then registered in its meeting. */
  final LongAdder expected = new LongAdder();
  /** Turns a socket skipped because it already had the maximum of unanswered sends. */
  final LongAdder skipped = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final LongAdder reconnects = new LongAdder();
  /** Sockets whose handshake answer agreed to permessage-deflate (only with --deflate). */
  final LongAdder deflated = new LongAdder();
  final LongAdder audioChunks = new LongAdder();
  final LongAdder audioSkipped = new LongAdder();
  final AtomicInteger held = new AtomicInteger();
  final AtomicInteger maxHeld = new AtomicInteger();
  final AtomicIntegerArray heldPerMeeting;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Recorder fanOut = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
  private final Recorder ack = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);

  Metrics(int meetings) {
    heldPerMeeting = new AtomicIntegerArray(meetings);
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  long errorTotal() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  void registered(int meeting) {
    heldPerMeeting.incrementAndGet(meeting);
    int now = held.incrementAndGet();
    maxHeld.accumulateAndGet(now, Math::max);
  }

  void unregistered(int meeting) {
    heldPerMeeting.decrementAndGet(meeting);
    held.decrementAndGet();
  }

  void delivery(long sentAtNanos) {
    delivered.increment();
    long latency = Stamp.now() - sentAtNanos;
    if (latency >= 0) {
      fanOut.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
    }
  }

  void acked(long sentAtNanos) {
    acked.increment();
    ack.recordValue(Math.min(Math.max(0, Stamp.now() - sentAtNanos), TimeUnit.SECONDS.toNanos(60)));
  }

  /** Latencies recorded since the previous call (and resets). */
  Histogram takeFanOut() {
    return fanOut.getIntervalHistogram();
  }

  Histogram takeAck() {
    return ack.getIntervalHistogram();
  }

  static JsonObject millis(Histogram h) {
    return new JsonObject()
      .put("count", h.getTotalCount())
      .put("p50", ms(h.getValueAtPercentile(50)))
      .put("p95", ms(h.getValueAtPercentile(95)))
      .put("p99", ms(h.getValueAtPercentile(99)))
      .put("p999", ms(h.getValueAtPercentile(99.9)))
      .put("max", ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
