package ai.translate;

import ai.Translator;
import common.Languages;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Apertium APy over HTTP with the non-blocking WebClient: {@code /listPairs} (cached, refreshed on
 * failure) and {@code /translate?langpair=eng|spa&q=...}. Apertium speaks three-letter codes.
 */
public final class ApertiumTranslator implements Translator {

  private final WebClient client;
  private final URI base;
  private final long timeoutMs;
  private final ApertiumProcess process;
  private Future<Set<String>> pairs;

  public ApertiumTranslator(Vertx vertx, String url, long timeoutMs, ApertiumProcess process) {
    this.base = URI.create(url);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
      .setDefaultPort(base.getPort() > 0 ? base.getPort() : 80).setKeepAlive(true));
    this.timeoutMs = timeoutMs;
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
      Map<String, Future<String>> calls = new HashMap<>();
      for (String target : new HashSet<>(targets)) {
        if (target.equals(from)) {
          calls.put(target, Future.succeededFuture(text));
        } else if (known.contains(Languages.toThreeLetter(from) + "|" + Languages.toThreeLetter(target))) {
          calls.put(target, translateOne(text, from, target));
        }
      }
      return Future.all(List.copyOf(calls.values())).map(v -> {
        Map<String, String> out = new HashMap<>();
        calls.forEach((target, f) -> out.put(target, f.result()));
        return out;
      });
  }

  private Future<String> translateOne(String text, String from, String to) {
    return client.get(path("/translate"))
      .addQueryParam("langpair", Languages.toThreeLetter(from) + "|" + Languages.toThreeLetter(to))
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
        return body.getJsonObject("responseData").getString("translatedText");
      });
  }

  @Override
  public Future<Set<String>> supportedTargets(String from) {
    String source = Languages.toThreeLetter(from) + "|";
    return pairs().map(known -> {
      Set<String> out = new HashSet<>();
      known.stream().filter(p -> p.startsWith(source))
        .forEach(p -> out.add(Languages.normalise(p.substring(source.length()).split("_")[0])));
      return out;
    });
  }

  private synchronized Future<Set<String>> pairs() {
    if (pairs == null || pairs.failed()) {
      pairs = client.get(path("/listPairs")).timeout(timeoutMs).send()
        .recover(err -> Future.failedFuture(down(err.getMessage())))
        .map(response -> {
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
