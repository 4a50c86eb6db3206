package ai.stt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of named platform threads for native recognisers. Each stream is pinned to one
 * thread for its whole life (its chunks stay in order, the native recogniser is never shared
 * between threads), choosing the thread with the fewest streams. Not virtual threads: JNA calls
 * would pin their carrier.
 */
final class PinnedWorkers {

  private final List<ExecutorService> threads = new ArrayList<>();
  private final List<AtomicInteger> load = new ArrayList<>();

  PinnedWorkers(String prefix, int count) {
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      threads.add(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }));
      load.add(new AtomicInteger());
    }
  }

  /** A worker for a new stream; call {@link #release(int)} with its index when the stream ends. */
  synchronized int acquire() {
    int best = 0;
    for (int i = 1; i < load.size(); i++) {
      if (load.get(i).get() < load.get(best).get()) {
        best = i;
      }
    }
    load.get(best).incrementAndGet();
    return best;
  }

  ExecutorService thread(int index) {
    return threads.get(index);
  }

  /** Streams pinned to all workers now (for tests and diagnostics). */
  int totalLoad() {
    return load.stream().mapToInt(AtomicInteger::get).sum();
  }

  void release(int index) {
    load.get(index).decrementAndGet();
  }

  /**
   * Lets each worker finish what it runs now (its queued tasks run too: they must check for closing
   * themselves), waiting up to 5 s, then interrupts what is left and waits 5 s more.
   *
   * @return whether every worker has stopped (only then may what they use be freed)
   */
  boolean shutdown() {
    threads.forEach(ExecutorService::shutdown);
    boolean all = true;
    for (ExecutorService t : threads) {
      try {
        if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
          t.shutdownNow();
          all &= t.awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return all;
  }
}
