package ai;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Machine translation. Language codes are two-letter ({@link common.Languages#normalise}).
 */
public interface Translator {

  /** "apertium", "azure" or "none", for metrics and usage. */
  String provider();

  /**
   * Translates {@code text} from {@code from} into each of {@code targets}; the result is keyed by
   * target. A pair the provider does not support is absent from the map (not a failure); a provider
   * that is down fails the future with a 503 {@code ParleyException}.
   */
  Future<Map<String, String>> translate(String text, String from, Collection<String> targets);

  /** The targets reachable from {@code from}. */
  Future<Set<String>> supportedTargets(String from);

  /** Succeeds when the provider answers now (readiness). */
  Future<Void> health();

  void close();
}
