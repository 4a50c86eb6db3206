package ai.safety;

import ai.ContentSafety;
import ai.safety.SafetyReport.ToxicCategory;
import ai.safety.SafetyReport.ToxicFinding;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Azure AI Content Safety, {@code POST {endpoint}/contentsafety/text:analyze?api-version=2024-09-01}
 * with {@code {"text", "categories":["Hate","SelfHarm","Sexual","Violence"], "outputType":"FourSeverityLevels"}},
 * answered by {@code {"categoriesAnalysis":[{"category":"Hate","severity":2}...]}}. The service
 * finds no personal data and has no insult category, so the built-in detectors supply those; its
 * findings cover the whole text (it reports no spans). Texts over 10,000 characters are sent in parts.
 */
public final class AzureContentSafety implements ContentSafety {

  static final int MAX_CHARS = 10_000;

  private final WebClient client;
  private final String endpoint;
  private final String key;
  private final long timeoutMs;
  private final BuiltInContentSafety local = new BuiltInContentSafety();
  /** The last failure of a real call and when, for readiness without paying for probe calls. */
  private volatile String lastFailure;
  private volatile long lastFailureAt;

  public AzureContentSafety(Vertx vertx, String endpoint, String key, long timeoutMs) {
    this.client = WebClient.create(vertx);
    this.endpoint = endpoint.replaceAll("/$", "");
    this.key = key;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public Future<SafetyReport> analyze(String text) {
    SafetyReport builtIn = local.analyzeNow(text);
    List<Future<List<ToxicFinding>>> parts = new ArrayList<>();
    for (int start = 0; start < Math.max(1, text.length()); start += MAX_CHARS) {
      int end = Math.min(text.length(), start + MAX_CHARS);
      parts.add(analyzePart(text.substring(start, end), start));
    }
    return Future.all(parts).map(v -> {
      List<ToxicFinding> toxic = new ArrayList<>();
      parts.forEach(p -> toxic.addAll(p.result()));
      builtIn.toxic().stream().filter(t -> t.category() == ToxicCategory.INSULT).forEach(toxic::add);
      return new SafetyReport(builtIn.pii(), toxic);
    });
  }

  private Future<List<ToxicFinding>> analyzePart(String part, int offset) {
    JsonObject body = new JsonObject().put("text", part)
      .put("categories", new JsonArray().add("Hate").add("SelfHarm").add("Sexual").add("Violence"))
      .put("outputType", "FourSeverityLevels");
    return client.postAbs(endpoint + "/contentsafety/text:analyze").addQueryParam("api-version", "2024-09-01")
      .putHeader("Ocp-Apim-Subscription-Key", key).putHeader("Content-Type", "application/json")
      .timeout(timeoutMs).sendBuffer(body.toBuffer())
      .recover(err -> Future.failedFuture(new ParleyException(503, "unavailable", "azure content safety: " + err.getMessage())))
      .compose(response -> response.statusCode() == 200
        ? Future.succeededFuture(findings(response.bodyAsJsonObject(), offset, part.length()))
        : Future.failedFuture(failure(response)))
      .onComplete(ar -> {
        if (ar.failed() && ar.cause() instanceof ParleyException pe && pe.status() >= 500) {
          lastFailure = pe.getMessage();
          lastFailureAt = System.currentTimeMillis();
        } else if (ar.succeeded()) {
          lastFailure = null;
        }
      });
  }

  static List<ToxicFinding> findings(JsonObject body, int offset, int length) {
    List<ToxicFinding> out = new ArrayList<>();
    for (Object o : body.getJsonArray("categoriesAnalysis", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      int severity = c.getInteger("severity", 0);
      ToxicCategory category = switch (c.getString("category", "")) {
        case "Hate" -> ToxicCategory.HATE;
        case "SelfHarm" -> ToxicCategory.SELF_HARM;
        case "Sexual" -> ToxicCategory.SEXUAL;
        case "Violence" -> ToxicCategory.VIOLENCE;
        default -> null;
      };
      if (category != null && severity > 0) {
        out.add(new ToxicFinding(category, severity, offset, offset + length));
      }
    }
    return out;
  }

  static ParleyException failure(HttpResponse<Buffer> response) {
    String message = "HTTP " + response.statusCode();
    try {
      JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
      message = error.getString("code") + ": " + error.getString("message");
    } catch (RuntimeException ignored) {
      // not the documented error body
    }
    int status = response.statusCode() == 400 ? 400 : 503;
    return new ParleyException(status, ParleyException.codeFor(status), "azure content safety: " + message);
  }

  /** Down while the most recent call, within the last minute, failed; no billable probe is sent. */
  @Override
  public Future<Void> health() {
    String failure = lastFailure;
    return failure != null && System.currentTimeMillis() - lastFailureAt < 60_000
      ? Future.failedFuture(failure) : Future.succeededFuture();
  }
}
