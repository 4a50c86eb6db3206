package ai.translate;

import ai.Translator;
import common.ParleyException;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Translation switched off, or its provider could not start: captions go out untranslated. */
public final class NoTranslator implements Translator {

  private final String problem;

  public NoTranslator(String problem) {
    this.problem = problem;
  }

  @Override
  public String provider() {
    return "none";
  }

  @Override
  public Future<Map<String, String>> translate(String text, String from, Collection<String> targets) {
    return Future.succeededFuture(Map.of());
  }

  @Override
  public Future<Set<String>> supportedTargets(String from) {
    return Future.succeededFuture(Set.of());
  }

  @Override
  public Future<Void> health() {
    return problem == null ? Future.succeededFuture() : Future.failedFuture(ParleyException.unavailable(problem));
  }

  @Override
  public void close() {
  }
}
