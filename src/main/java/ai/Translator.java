package ai;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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

  /**
   * Every target reachable from {@code from}, each with its route (direct, or through a pivot
   * language), in the order of their codes. Fails with a 503 {@code ParleyException} when the
   * provider cannot say now.
   */
  Future<List<TranslationRoute>> routes(String from);

  /** Succeeds when the provider answers now (readiness). */
  Future<Void> health();

  void close();
}
