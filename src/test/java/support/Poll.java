package support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, with a bound, for something that happens asynchronously (a consumer's work, a gauge refresh). */
public final class Poll {

  private static final Duration DEFAULT_BOUND = Duration.ofSeconds(15);

  private Poll() {
  }

  /** Returns once {@code condition} holds; fails after 15 s naming {@code what}. */
  public static void until(BooleanSupplier condition, String what) {
    until(DEFAULT_BOUND, condition, what);
  }

  /** Returns once {@code condition} holds; fails after {@code bound} naming {@code what}. */
  public static void until(Duration bound, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + bound.toNanos();
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
    throw new AssertionError("timed out after " + bound.toSeconds() + " s waiting until " + what);
  }
}
