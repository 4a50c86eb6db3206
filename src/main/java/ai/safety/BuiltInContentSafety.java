package ai.safety;

import ai.ContentSafety;
import io.vertx.core.Future;

import java.util.List;

/**
 * The in-process provider: {@link PiiDetector} and {@link ToxicityDetector}, no network.
 *
 * <p>{@link #analyze} runs synchronously on the caller's thread (an event loop is fine: the
 * detectors are linear-time and take well under a millisecond for a chat message) and returns an
 * already-completed future.
 */
public final class BuiltInContentSafety implements ContentSafety {

  private final PiiDetector pii;
  private final ToxicityDetector toxicity;

  public BuiltInContentSafety() {
    this(new PiiDetector(), new ToxicityDetector());
  }

  BuiltInContentSafety(PiiDetector pii, ToxicityDetector toxicity) {
    this.pii = pii;
    this.toxicity = toxicity;
  }

  @Override
  public String provider() {
    return "builtin";
  }

  @Override
  public Future<SafetyReport> analyze(String text) {
    try {
      return Future.succeededFuture(analyzeNow(text));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The same analysis, synchronously. */
  public SafetyReport analyzeNow(String text) {
    if (text == null || text.isEmpty()) {
      return SafetyReport.EMPTY;
    }
    List<PiiFinding> foundPii = pii.detect(text);
    List<ToxicFinding> foundToxic = toxicity.detect(text);
    return new SafetyReport(foundPii, foundToxic);
  }

  @Override
  public Future<Void> health() {
    return Future.succeededFuture();
  }
}
