package ai.safety;

import ai.ContentSafety;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Azure AI Content Safety ({@code text:analyze}, API 2024-09-01) for hate, self-harm, sexual and
 * violence, with the built-in detectors for what the service does not do: personal data and insults.
 *
 * <p>Wire format: {@code POST {endpoint}/contentsafety/text:analyze?api-version=...}, header
 * {@code Ocp-Apim-Subscription-Key}, body {@code {"text", "categories":[...], "outputType":"FourSeverityLevels"}};
 * the answer is {@code {"categoriesAnalysis":[{"category":"Hate","severity":2}, ...]}}. Texts longer
 * than {@value #MAX_CHARS} characters are sent in chunks (split at white space where possible);
 * a chunk's findings span that chunk, since the service reports no offsets.
 *
 * <p>Failures are {@link ParleyException}s whose message starts {@code "azure content safety: "}
 * followed by the service's own {@code error.message} where it sent one: 503 ({@code unavailable})
 * when the service is unreachable, times out ({@code timeoutMs}), rate-limits (429, with its
 * {@code Retry-After}), rejects the key or fails; 400 ({@code bad_request}) when it rejects the request.
 * After a 429 no request is sent until {@code Retry-After} (at most a minute) has passed: calls fail
 * at once with the same 503.
 */
public final class AzureContentSafety implements ContentSafety {

  /** The service's limit on the length of one text. */
  public static final int MAX_CHARS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(AzureContentSafety.class);
  private static final JsonArray CATEGORIES = new JsonArray().add("Hate").add("SelfHarm").add("Sexual").add("Violence");
  private static final long HEALTH_CACHE_MS = 30_000;
  private static final String PREFIX = "azure content safety: ";

  /**
   * @param endpoint   the resource endpoint, {@code https://<name>.cognitiveservices.azure.com}
   * @param key        the subscription key
   * @param apiVersion {@code 2024-09-01}
   * @param timeoutMs  the whole-request timeout
   */
  public record Settings(String endpoint, String key, String apiVersion, long timeoutMs) {
    public Settings {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(apiVersion, "apiVersion");
      endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
  }

  private final WebClient client;
  private final Settings settings;
  private final PiiDetector pii;
  private final ToxicityDetector toxicity;
  private volatile long lastHealthyAt;
  /** After a 429, no calls until this time (epoch ms): the service asked for a pause, and calling it again only extends it. */
  private volatile long rateLimitedUntil;
  private volatile String rateLimitMessage;

  public AzureContentSafety(Vertx vertx, Settings settings) {
    this(WebClient.create(vertx, new WebClientOptions().setUserAgent("parley-content-safety")), settings,
      new PiiDetector(), new ToxicityDetector());
  }

  AzureContentSafety(WebClient client, Settings settings, PiiDetector pii, ToxicityDetector toxicity) {
    this.client = client;
    this.settings = settings;
    this.pii = pii;
    this.toxicity = toxicity;
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public Future<SafetyReport> analyze(String text) {
    if (text == null || text.isBlank()) {
      return Future.succeededFuture(SafetyReport.EMPTY);
    }
    if (System.currentTimeMillis() < rateLimitedUntil) {
      return Future.failedFuture(new ParleyException(503, "unavailable", rateLimitMessage));
    }
    List<PiiFinding> foundPii = pii.detect(text);
    List<ToxicFinding> insults = toxicity.detect(text, EnumSet.of(ToxicCategory.INSULT));
    List<int[]> chunks = chunks(text);
    List<Future<List<ToxicFinding>>> calls = new ArrayList<>(chunks.size());
    for (int[] chunk : chunks) {
      calls.add(analyzeChunk(text.substring(chunk[0], chunk[1]), chunk[0]));
    }
    return Future.all(calls).map(all -> {
      List<ToxicFinding> toxic = new ArrayList<>(insults);
      for (int i = 0; i < calls.size(); i++) {
        toxic.addAll(all.<List<ToxicFinding>>resultAt(i));
      }
      toxic.sort(Comparator.comparingInt(ToxicFinding::start).thenComparing(ToxicFinding::category));
      lastHealthyAt = System.currentTimeMillis();
      return new SafetyReport(foundPii, toxic);
    });
  }

  /** Analyses a short text, at most once per 30 seconds while it keeps succeeding. */
  @Override
  public Future<Void> health() {
    if (System.currentTimeMillis() - lastHealthyAt < HEALTH_CACHE_MS) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() < rateLimitedUntil) {
      return Future.failedFuture(new ParleyException(503, "unavailable", rateLimitMessage));
    }
    return analyzeChunk("health check", 0).onSuccess(found -> lastHealthyAt = System.currentTimeMillis()).mapEmpty();
  }

  private Future<List<ToxicFinding>> analyzeChunk(String chunk, int offset) {
    JsonObject body = new JsonObject().put("text", chunk).put("categories", CATEGORIES.copy())
      .put("outputType", "FourSeverityLevels");
    return client.postAbs(settings.endpoint() + "/contentsafety/text:analyze")
      .addQueryParam("api-version", settings.apiVersion())
      .putHeader("Ocp-Apim-Subscription-Key", settings.key())
      .timeout(settings.timeoutMs())
      .sendJsonObject(body)
      .recover(cause -> Future.failedFuture(unreachable(cause)))
      .compose(response -> parse(response, offset, offset + chunk.length()));
  }

  private ParleyException unreachable(Throwable cause) {
    if (cause instanceof ParleyException p) {
      return p;
    }
    String message = cause instanceof TimeoutException
      ? PREFIX + "no answer within " + settings.timeoutMs() + " ms"
      : PREFIX + "unreachable: " + cause.getMessage();
    LOG.warn(message);
    return ParleyException.unavailable(message);
  }

  private Future<List<ToxicFinding>> parse(HttpResponse<Buffer> response, int start, int end) {
    int status = response.statusCode();
    if (status == 200) {
      try {
        JsonArray analysis = response.bodyAsJsonObject().getJsonArray("categoriesAnalysis");
        if (analysis == null) {
          throw new IllegalStateException("no categoriesAnalysis");
        }
        List<ToxicFinding> found = new ArrayList<>();
        for (int i = 0; i < analysis.size(); i++) {
          JsonObject item = analysis.getJsonObject(i);
          ToxicCategory category = category(item.getString("category"));
          int severity = fourLevels(item.getInteger("severity", 0));
          if (category != null && severity > 0) {
            found.add(new ToxicFinding(category, severity, start, end));
          }
        }
        return Future.succeededFuture(found);
      } catch (RuntimeException e) {
        LOG.warn(PREFIX + "answered 200 with an unexpected body: {}", e.getMessage());
        return Future.failedFuture(ParleyException.unavailable(PREFIX + "unexpected answer from the service"));
      }
    }
    String detail = errorMessage(response);
    ParleyException failure;
    if (status == 400) {
      failure = ParleyException.badRequest(PREFIX + detail);
    } else if (status == 429) {
      String retryAfter = response.getHeader("Retry-After");
      failure = new ParleyException(503, "unavailable", PREFIX + detail
        + (retryAfter != null ? " (rate limited; retry after " + retryAfter + " s)" : " (rate limited)"));
      rateLimitMessage = failure.getMessage();
      rateLimitedUntil = System.currentTimeMillis() + retryAfterMs(retryAfter);
    } else if (status == 401 || status == 403) {
      failure = ParleyException.unavailable(PREFIX + detail + " (credentials refused, HTTP " + status + ")");
    } else {
      failure = ParleyException.unavailable(PREFIX + detail + " (HTTP " + status + ")");
    }
    LOG.warn("{} [{}]", failure.getMessage(), errorCode(response));
    return Future.failedFuture(failure);
  }

  /** The service's {@code error.message}, or the status line when the body is not the documented shape. */
  private static String errorMessage(HttpResponse<Buffer> response) {
    String message = errorField(response, "message");
    return message != null ? message : response.statusCode() + " " + response.statusMessage();
  }

  /** The service's {@code error.code} (such as {@code InvalidRequestBody}), for the log. */
  private static String errorCode(HttpResponse<Buffer> response) {
    String code = errorField(response, "code");
    return code != null ? code : "no error code";
  }

  private static String errorField(HttpResponse<Buffer> response, String field) {
    try {
      Buffer body = response.body();
      if (body != null && body.length() > 0) {
        JsonObject error = new JsonObject(body).getJsonObject("error");
        if (error != null && error.getValue(field) instanceof String value && !value.isBlank()) {
          return value;
        }
      }
    } catch (DecodeException | ClassCastException ignored) {
      // not the documented shape
    }
    return null;
  }

  /** Retry-After in seconds, at most a minute; one second when it is missing or not a number (an HTTP date is rare here). */
  static long retryAfterMs(String retryAfter) {
    try {
      long seconds = Long.parseLong(retryAfter == null ? "" : retryAfter.strip());
      return Math.min(Math.max(seconds, 0), 60) * 1000;
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  private static ToxicCategory category(String azure) {
    if (azure == null) {
      return null;
    }
    return switch (azure) {
      case "Hate" -> ToxicCategory.HATE;
      case "SelfHarm" -> ToxicCategory.SELF_HARM;
      case "Sexual" -> ToxicCategory.SEXUAL;
      case "Violence" -> ToxicCategory.VIOLENCE;
      default -> null;
    };
  }

  /** Maps any 0-7 severity onto 0/2/4/6 (the eight-level output, should it be configured). */
  static int fourLevels(int severity) {
    return severity >= 6 ? 6 : severity >= 4 ? 4 : severity >= 2 ? 2 : 0;
  }

  /** Splits into chunks of at most {@value #MAX_CHARS} characters, at white space when there is some in the second half. */
  static List<int[]> chunks(String text) {
    List<int[]> chunks = new ArrayList<>();
    int start = 0;
    while (text.length() - start > MAX_CHARS) {
      int end = start + MAX_CHARS;
      int cut = end;
      for (int i = end; i > start + MAX_CHARS / 2; i--) {
        if (Character.isWhitespace(text.charAt(i - 1))) {
          cut = i;
          break;
        }
      }
      if (cut == end && Character.isLowSurrogate(text.charAt(cut))) {
        cut--;
      }
      chunks.add(new int[] {start, cut});
      start = cut;
    }
    chunks.add(new int[] {start, text.length()});
    return chunks;
  }
}
