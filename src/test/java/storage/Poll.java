package storage;

import java.util.function.BooleanSupplier;

/** Waits for something that happens asynchronously (an event-bus consumer's work), up to 15 s. */
final class Poll {

  private Poll() {
  }

  static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("timed out waiting until " + what);
  }
}
