package ai.translate;

import ai.TranslationRoute;
import ai.Translator;
import common.ParleyException;
import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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
  public Future<List<TranslationRoute>> routes(String from) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<Void> health() {
    return problem == null ? Future.succeededFuture() : Future.failedFuture(ParleyException.unavailable(problem));
  }

  @Override
  public void close() {
  }
}
