package ai;

import common.Languages;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this server can caption and translate into, asked of the speech recogniser (the languages
 * it hears) and the translator (its routes from each), and the one check every place that takes a
 * language makes: captions ({@code captions.language}), transcripts and tenant languages take a
 * language that is spoken here or that a spoken one translates into; chat translation takes a pair
 * with a route. A refusal is a 400 that lists what is supported.
 *
 * <p>Routes are cached for {@code cacheMs}. When the translator cannot answer, the last routes it
 * gave stand; when it has never answered (down since start), any language of the catalogue is
 * taken, so that a translator outage does not turn meetings' settings into errors (the captions
 * then go out untranslated, as they do for any translation failure).
 */
public final class SupportedLanguages {

  private record Cached(long until, List<TranslationRoute> routes) {
  }

  private final SpeechRecognizer stt;
  private final Translator translator;
  private final long cacheMs;
  private final Map<String, Cached> routes = new ConcurrentHashMap<>();

  public SupportedLanguages(SpeechRecognizer stt, Translator translator, long cacheMs) {
    this.stt = stt;
    this.translator = translator;
    this.cacheMs = cacheMs;
  }

  /** The languages speech is recognised in. */
  public Set<String> captionLanguages() {
    return new TreeSet<>(stt.languages());
  }

  /**
   * The routes from {@code from}: fresh or cached; the last known when the translator fails now;
   * null (in a succeeded future) when it has never answered for {@code from}.
   */
  public Future<List<TranslationRoute>> routes(String from) {
    Cached cached = routes.get(from);
    long now = System.currentTimeMillis();
    if (cached != null && cached.until() > now) {
      return Future.succeededFuture(cached.routes());
    }
    return translator.routes(from)
      .map(fresh -> {
        routes.put(from, new Cached(now + cacheMs, List.copyOf(fresh)));
        return List.copyOf(fresh);
      })
      .otherwise(err -> cached == null ? null : cached.routes())
      // plain values from here: a cached future would call back on the context that made it
      .transform(ar -> Future.succeededFuture(ar.result()));
  }

  /** Every language a caption may be shown in, by code: each caption language's route to it (none for a spoken one). */
  private Future<Map<String, List<TranslationRoute>>> captionTargets() {
    Set<String> spoken = captionLanguages();
    Map<String, List<TranslationRoute>> out = new TreeMap<>();
    spoken.forEach(s -> out.put(s, new java.util.ArrayList<>()));
    Future<Void> all = Future.succeededFuture();
    boolean[] unknown = {false};
    for (String from : spoken) {
      all = all.compose(v -> routes(from).map(list -> {
        if (list == null) {
          unknown[0] = true;
        } else {
          list.forEach(r -> out.computeIfAbsent(r.to(), t -> new java.util.ArrayList<>()).add(r));
        }
        return null;
      }));
    }
    return all.map(v -> unknown[0] ? null : out);
  }

  /**
   * A language for captions, transcripts or a tenant's list, normalised.
   *
   * @return a failed future with a 400 listing the supported languages when it is not one
   */
  public Future<String> requireCaptionLanguage(String raw) {
    String code;
    try {
      code = Languages.normalise(raw);
    } catch (ParleyException e) {
      return Future.failedFuture(e);
    }
    return captionTargets().compose(targets -> {
      Set<String> accepted = targets == null ? Languages.catalogue() : targets.keySet();
      if (accepted.contains(code)) {
        return Future.succeededFuture(code);
      }
      return Future.failedFuture(ParleyException.badRequest("language '" + raw + "' is not supported here; supported: "
        + String.join(", ", new TreeSet<>(accepted))));
    });
  }

  /** A translation from {@code from} to {@code to}: the same language, or a pair with a route. */
  public Future<Void> requireTranslation(String from, String to) {
    if (from.equals(to)) {
      return Future.succeededFuture();
    }
    return routes(from).compose(list -> {
      if (list == null && Languages.catalogue().contains(from) && Languages.catalogue().contains(to)) {
        return Future.succeededFuture();
      }
      List<String> targets = list == null ? List.of() : list.stream().map(TranslationRoute::to).toList();
      if (targets.contains(to)) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(ParleyException.badRequest("no translation from '" + from + "' to '" + to + "' here; "
        + (targets.isEmpty() ? "nothing is translated from '" + from + "'" : "from '" + from + "' into: " + String.join(", ", targets))));
    });
  }

  /** {@code GET /api/v1/languages}: each language a caption can be shown in, how it gets there, and by whom. */
  public Future<JsonObject> describe() {
    Set<String> spoken = captionLanguages();
    return captionTargets().map(targets -> {
      JsonArray languages = new JsonArray();
      Map<String, List<TranslationRoute>> shown = targets;
      if (shown == null) {
        shown = new LinkedHashMap<>();
        for (String s : spoken) {
          shown.put(s, List.of());
        }
      }
      shown.forEach((code, list) -> {
        JsonArray routesOut = new JsonArray();
        list.forEach(r -> routesOut.add(new JsonObject().put("from", r.from()).put("route", new JsonArray(r.path()))
          .put("provider", translator.provider())));
        languages.add(new JsonObject().put("code", code).put("name", Languages.name(code))
          .put("captions", spoken.contains(code)).put("translation", routesOut));
      });
      return new JsonObject()
        .put("captionProvider", stt.provider())
        .put("translationProvider", translator.provider())
        .put("translationAvailable", targets != null)
        .put("languages", languages);
    });
  }
}
