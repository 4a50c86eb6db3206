package ai;

import ai.safety.SafetyReport;
import io.vertx.core.Future;

/**
 * Content safety: finds personal data (PII) and toxic language in a text. What to do about the
 * findings is the tenant's {@link ai.safety.ModerationPolicy}, not the provider's.
 */
public interface ContentSafety {

  /** "builtin" or "azure", for metrics and usage. */
  String provider();

  Future<SafetyReport> analyze(String text);

  /** Succeeds when the provider can answer now (readiness). */
  Future<Void> health();
}
