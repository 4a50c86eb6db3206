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
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Azure AI Translator, REST v3: {@code POST {endpoint}/translate?api-version=3.0&from=en&to=es&to=fr}
 * with {@code [{"Text": ...}]}, answered by {@code [{"translations":[{"text":..., "to":"es"}]}]}.
 * A 429 or 503 is retried once after {@code Retry-After} (capped at 2 s); errors carry the
 * service's {@code {"error":{"code","message"}}} message.
 */
public final class AzureTranslator implements Translator {

  static final int MAX_CHARS = 50_000;
  private static final long MAX_RETRY_WAIT_MS = 2_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String endpoint;
  private final String key;
  private final String region;
  private final long timeoutMs;
  private Future<Set<String>> languages;

  public AzureTranslator(Vertx vertx, String endpoint, String key, String region, long timeoutMs) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.endpoint = endpoint.replaceAll("/$", "");
    this.key = key;
    this.region = region;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public Future<Map<String, String>> translate(String text, String from, Collection<String> targets) {
    Set<String> to = new TreeSet<>(targets);
    to.remove(from);
    Map<String, String> out = new HashMap<>();
    if (targets.contains(from)) {
      out.put(from, text);
    }
    if (to.isEmpty()) {
      return Future.succeededFuture(out);
    }
    List<String> pieces = split(text);
    Future<Map<String, StringBuilder>> joined = Future.succeededFuture(new HashMap<>());
    for (String piece : pieces) {
      joined = joined.compose(acc -> call(piece, from, to, true).map(parts -> {
        parts.forEach((lang, t) -> acc.computeIfAbsent(lang, l -> new StringBuilder()).append(t));
        return acc;
      }));
    }
    return joined.map(acc -> {
      acc.forEach((lang, sb) -> out.put(lang, sb.toString()));
      return out;
    });
  }

  private Future<Map<String, String>> call(String text, String from, Set<String> to, boolean mayRetry) {
    HttpRequest<Buffer> request = client.postAbs(endpoint + "/translate")
      .addQueryParam("api-version", "3.0").addQueryParam("from", from)
      .putHeader("Ocp-Apim-Subscription-Key", key)
      .putHeader("Content-Type", "application/json")
      .timeout(timeoutMs);
    to.forEach(t -> request.addQueryParam("to", t));
    if (region != null) {
      request.putHeader("Ocp-Apim-Subscription-Region", region);
    }
    return request.sendBuffer(new JsonArray().add(new JsonObject().put("Text", text)).toBuffer())
      .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "azure translator: " + err.getMessage())))
      .compose(response -> {
        int status = response.statusCode();
        if (status == 200) {
          Map<String, String> out = new HashMap<>();
          response.bodyAsJsonArray().getJsonObject(0).getJsonArray("translations")
            .forEach(t -> out.put(((JsonObject) t).getString("to"), ((JsonObject) t).getString("text")));
          return Future.succeededFuture(out);
        }
        if ((status == 429 || status == 503) && mayRetry) {
          return vertx.timer(retryAfterMs(response)).compose(v -> call(text, from, to, false));
        }
        return Future.failedFuture(failure(response));
      });
  }

  static long retryAfterMs(HttpResponse<Buffer> response) {
    String header = response.getHeader("Retry-After");
    try {
      return header == null ? 500 : Math.min(MAX_RETRY_WAIT_MS, Math.max(1, (long) (Double.parseDouble(header) * 1000)));
    } catch (NumberFormatException e) {
      return 500;
    }
  }

  static ParleyException failure(HttpResponse<Buffer> response) {
    String message = "HTTP " + response.statusCode();
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      message = error.getValue("code") + " " + error.getString("message");
    } catch (RuntimeException ignored) {
      // not the documented error body; the status says enough
    }
    int status = response.statusCode() == 429 ? 429 : response.statusCode() >= 500 || response.statusCode() == 401
      || response.statusCode() == 403 ? 503 : 400;
    return new ParleyException(status, ParleyException.codeFor(status), "azure translator: " + message);
  }

  /** Splits on sentence ends (or hard) so that every piece is within the service's limit. */
  static List<String> split(String text) {
    if (text.length() <= MAX_CHARS) {
      return List.of(text);
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + MAX_CHARS);
      if (end < text.length()) {
        int cut = Math.max(text.lastIndexOf(". ", end), text.lastIndexOf('\n', end));
        if (cut > start) {
          end = cut + 1;
        }
      }
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }

  /** Azure translates between any two of its languages directly. */
  @Override
  public Future<List<TranslationRoute>> routes(String from) {
    return languages().map(codes -> {
      Set<String> targets = new TreeSet<>();
      for (String code : codes) {
        try {
          targets.add(Languages.normalise(code));
        } catch (ParleyException notOneOfOurs) {
          // a code outside ISO 639-1/2 (Azure lists a few, such as "yue"): not offered here
        }
      }
      targets.remove(from);
      return targets.stream().map(t -> TranslationRoute.direct(from, t)).toList();
    });
  }

  private synchronized Future<Set<String>> languages() {
    if (languages == null || languages.failed()) {
      languages = client.getAbs(endpoint + "/languages").addQueryParam("api-version", "3.0")
        .addQueryParam("scope", "translation").timeout(timeoutMs).send()
        .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "azure translator: " + err.getMessage())))
        .compose(r -> r.statusCode() != 200 ? Future.failedFuture(failure(r)) : Future.succeededFuture(
          new HashSet<>(r.bodyAsJsonObject().getJsonObject("translation", new JsonObject()).fieldNames())));
    }
    return languages;
  }

  @Override
  public Future<Void> health() {
    return languages().mapEmpty();
  }

  @Override
  public void close() {
    client.close();
  }
}
