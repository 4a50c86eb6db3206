package ai;

import ai.safety.SafetyReport;
import io.vertx.core.Future;

/**
 * Content safety: finds personal data (PII) and toxic language in a piece of text.
 *
 * <p>One implementation per provider, built by {@code ai.safety.ContentSafetyFactory.create(vertx, config)}:
 * {@code builtin} (pure Java, runs in-process) and {@code azure} (Azure AI Content Safety for the
 * toxic categories, with the built-in PII and insult detectors alongside, since the service has neither).
 *
 * <p>What to do with a report is the tenant's {@link ai.safety.ModerationPolicy}, not the provider's.
 *
 * <p>Threading: {@link #analyze} never blocks the calling thread. The built-in provider does its
 * (CPU-light, linear-time) work synchronously on the caller's thread and returns a completed future;
 * the Azure provider completes on the event loop of the caller's context.
 */
public interface ContentSafety {

  /** {@code "builtin"} or {@code "azure"}; used as the {@code provider} label of AI metrics. */
  String provider();

  /**
   * Analyses one text. Offsets in the report are UTF-16 indices into {@code text}.
   *
   * @return the findings; a failed future carries a {@code common.ParleyException}: 503 when the
   *     provider is down, timed out or rate limited, 400 when it rejected the text
   */
  Future<SafetyReport> analyze(String text);

  /** Succeeds when the provider can answer now; used by {@code /health/ready}. */
  Future<Void> health();
}
