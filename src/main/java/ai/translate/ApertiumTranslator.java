package ai.translate;

import ai.TranslationRoute;
import ai.Translator;
import common.Languages;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apertium APy over HTTP with the non-blocking WebClient: {@code /listPairs} (cached, refreshed on
 * failure) and {@code /translate?langpair=eng|spa&markUnknown=no&q=...}. Apertium speaks its own
 * codes ({@link Languages#toApertium}). A target with no pair of its own is reached through the
 * pivot language (Spanish by default: English to Spanish, then Spanish to French), and the pivot
 * text is made once for every such target of a call.
 *
 * <p>{@code markUnknown=no} only removes APy's {@code *} marks; Apertium also marks words it could
 * not transfer ({@code @}) or generate ({@code #}). None of those marks may reach a caption, chat
 * message or transcript: {@link #withoutMarks} takes them out of every hop's output.
 */
public final class ApertiumTranslator implements Translator {

  private static final String MARKS = "*@#";

  private final WebClient client;
  private final URI base;
  private final long timeoutMs;
  private final String pivot;
  private final ApertiumProcess process;
  private Future<Set<String>> pairs;

  /** @param pivot the language used between two that have no pair of their own, or null for none */
  public ApertiumTranslator(Vertx vertx, String url, long timeoutMs, String pivot, ApertiumProcess process) {
    this.base = URI.create(url);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
      .setDefaultPort(base.getPort() > 0 ? base.getPort() : 80).setKeepAlive(true));
    this.timeoutMs = timeoutMs;
    this.pivot = pivot;
    this.process = process;
  }

  @Override
  public String provider() {
    return "apertium";
  }

  @Override
  public Future<Map<String, String>> translate(String text, String from, Collection<String> targets) {
    Future<Set<String>> pairs = pairs();
    // When the pair list is cached, translate in the caller's context (and trace), not the one the
    // cached future completed on.
    return pairs.succeeded() ? translate(text, from, targets, pairs.result()) : pairs.compose(known -> translate(text, from, targets, known));
  }

  private Future<Map<String, String>> translate(String text, String from, Collection<String> targets, Set<String> known) {
    Map<String, TranslationRoute> routes = new HashMap<>();
    routes(from, known).forEach(r -> routes.put(r.to(), r));
    Map<String, Future<String>> calls = new HashMap<>();
    for (String target : new HashSet<>(targets)) {
      if (target.equals(from)) {
        calls.put(target, Future.succeededFuture(text));
      }
    }
    for (String target : new HashSet<>(targets)) {
      TranslationRoute route = routes.get(target);
      if (route != null && route.pivots().isEmpty()) {
        calls.put(target, translateOne(text, from, target));
      }
    }
    for (String target : new HashSet<>(targets)) {
      TranslationRoute route = routes.get(target);
      if (route != null && !route.pivots().isEmpty()) {
        String via = route.pivots().get(0);
        // one pivot text for every target reached through it (and for the pivot itself, if asked)
        Future<String> pivotText = calls.computeIfAbsent(via, v -> translateOne(text, from, v));
        calls.put(target, pivotText.compose(t -> translateOne(t, via, target)));
      }
    }
    calls.keySet().retainAll(new HashSet<>(targets));
    return Future.all(List.copyOf(calls.values())).map(v -> {
      Map<String, String> out = new HashMap<>();
      calls.forEach((target, f) -> out.put(target, f.result()));
      return out;
    });
  }

  private Future<String> translateOne(String text, String from, String to) {
    return client.get(path("/translate"))
      .addQueryParam("langpair", sourceCode(from) + "|" + Languages.toApertium(to))
      .addQueryParam("markUnknown", "no")
      .addQueryParam("q", text)
      .timeout(timeoutMs)
      .send()
      .recover(err -> Future.failedFuture(down(err.getMessage())))
      .map(response -> {
        JsonObject body = json(response);
        if (response.statusCode() != 200 || body.getInteger("responseStatus", 200) != 200) {
          throw down("HTTP " + response.statusCode() + " " + body.getString("responseDetails", ""));
        }
        String translated = withoutMarks(text, body.getJsonObject("responseData").getString("translatedText"));
        // a dropped pronoun ("I have" -> " Tengo") leaves a space the source did not have
        return translated != null && text.equals(text.strip()) ? translated.strip() : translated;
      });
  }

  /**
   * Apertium's marks taken out of a translation: {@code *} (unknown word), {@code @} (no transfer),
   * {@code #} (could not be generated), at the start or end of a word. A mark character that the
   * source itself has before that word ({@code #general} in a chat message) stays.
   */
  static String withoutMarks(String source, String translated) {
    if (translated == null) {
      return null;
    }
    String out = translated;
    for (char mark : MARKS.toCharArray()) {
      if (out.indexOf(mark) < 0) {
        continue;
      }
      String m = Pattern.quote(String.valueOf(mark));
      if (source.indexOf(mark) < 0) {
        out = out.replaceAll("(?<=^|[^\\p{L}\\p{N}])" + m + "+(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])" + m + "+(?=$|[^\\p{L}\\p{N}])", "");
        continue;
      }
      Matcher words = Pattern.compile("(?<=^|[^\\p{L}\\p{N}])" + m + "([\\p{L}\\p{N}][\\p{L}\\p{N}'-]*)").matcher(out);
      StringBuilder kept = new StringBuilder();
      while (words.find()) {
        String word = words.group(1);
        words.appendReplacement(kept, Matcher.quoteReplacement(source.contains(mark + word) ? mark + word : word));
      }
      words.appendTail(kept);
      out = kept.toString();
    }
    return out;
  }

  @Override
  public Future<List<TranslationRoute>> routes(String from) {
    return pairs().map(known -> routes(from, known));
  }

  /** Direct pairs first; then, for targets without one, the pivot's pairs. */
  private List<TranslationRoute> routes(String from, Set<String> known) {
    Map<String, TranslationRoute> out = new TreeMap<>();
    String source = sourceCode(from) + "|";
    for (String pair : known) {
      String target = pair.startsWith(source) ? Languages.fromApertium(pair.substring(source.length())) : null;
      if (target != null && !target.equals(from)) {
        out.put(target, TranslationRoute.direct(from, target));
      }
    }
    if (pivot != null && !pivot.equals(from) && out.containsKey(pivot)) {
      String viaPivot = sourceCode(pivot) + "|";
      for (String pair : known) {
        String target = pair.startsWith(viaPivot) ? Languages.fromApertium(pair.substring(viaPivot.length())) : null;
        if (target != null && !target.equals(from) && !out.containsKey(target)) {
          out.put(target, TranslationRoute.via(from, pivot, target));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /** A variant is a target only: Serbian, Croatian and Bosnian are all translated from {@code hbs}. */
  private static String sourceCode(String code) {
    String apertium = Languages.toApertium(code);
    int variant = apertium.indexOf('_');
    return variant < 0 ? apertium : apertium.substring(0, variant);
  }

  private synchronized Future<Set<String>> pairs() {
    if (pairs == null || pairs.failed()) {
      pairs = client.get(path("/listPairs")).timeout(timeoutMs).send()
        .recover(err -> Future.failedFuture(down(err.getMessage())))
        .map(response -> {
          if (response.statusCode() != 200) {
            throw down("HTTP " + response.statusCode() + " from /listPairs");
          }
          JsonArray data = json(response).getJsonArray("responseData", new JsonArray());
          Set<String> out = new HashSet<>();
          data.forEach(p -> {
            JsonObject pair = (JsonObject) p;
            out.add(pair.getString("sourceLanguage") + "|" + pair.getString("targetLanguage"));
          });
          return out;
        });
    }
    return pairs;
  }

  @Override
  public Future<Void> health() {
    return client.get(path("/listPairs")).timeout(timeoutMs).send()
      .recover(err -> Future.failedFuture(down(err.getMessage())))
      .compose(r -> r.statusCode() == 200 ? Future.succeededFuture() : Future.failedFuture(down("HTTP " + r.statusCode())));
  }

  @Override
  public void close() {
    client.close();
    if (process != null) {
      process.stop();
    }
  }

  private String path(String p) {
    String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/$", "");
    return prefix + p;
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      return response.bodyAsJsonObject() == null ? new JsonObject() : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static ParleyException down(String detail) {
    return new ParleyException(503, "unavailable", "apertium: " + detail);
  }
}
