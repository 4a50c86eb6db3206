package ai.safety;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Azure provider against a local HTTP server that speaks the Content Safety text:analyze wire
 * format (2024-09-01): it checks each request as the service would and answers with the documented
 * success and error bodies.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The Azure content safety provider")
class AzureContentSafetyTest {

  private static final String KEY = "test-key";
  private static final JsonArray CATEGORIES = new JsonArray().add("Hate").add("SelfHarm").add("Sexual").add("Violence");

  private final AtomicReference<BiConsumer<HttpServerRequest, JsonObject>> behaviour = new AtomicReference<>();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private AzureContentSafety safety;
  private String endpoint;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    server = vertx.createHttpServer().requestHandler(this::serve);
    server.listen(0, "127.0.0.1").onComplete(ctx.succeeding(s -> {
      endpoint = "http://127.0.0.1:" + s.actualPort() + "/";
      // generous, so that a loaded machine does not turn a slow answer into a timeout; the timeout test has its own
      safety = provider(vertx, endpoint, 5_000);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    server.close().onComplete(ctx.succeedingThenComplete());
  }

  private static AzureContentSafety provider(Vertx vertx, String endpoint, long timeoutMs) {
    return new AzureContentSafety(vertx, new AzureContentSafety.Settings(endpoint, KEY, "2024-09-01", timeoutMs));
  }

  /** Validates the request like the service does, then hands valid ones to the test's behaviour. */
  private void serve(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      if (!req.method().name().equals("POST") || !req.path().equals("/contentsafety/text:analyze")) {
        error(req, 404, "NotFound", "Resource not found");
        return;
      }
      if (!"2024-09-01".equals(req.getParam("api-version"))) {
        error(req, 404, "UnsupportedApiVersion", "The HTTP resource does not support the API version");
        return;
      }
      if (!KEY.equals(req.getHeader("Ocp-Apim-Subscription-Key"))) {
        error(req, 401, "401", "Access denied due to invalid subscription key");
        return;
      }
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (RuntimeException e) {
        error(req, 400, "InvalidRequestBody", "The request body is not valid JSON");
        return;
      }
      String text = json.getString("text");
      if (text == null || text.isEmpty() || text.length() > 10_000 || !CATEGORIES.equals(json.getJsonArray("categories"))
        || !"FourSeverityLevels".equals(json.getString("outputType"))) {
        error(req, 400, "InvalidRequestBody", "The request body is invalid: text must be 1 to 10000 characters");
        return;
      }
      requests.add(json);
      behaviour.get().accept(req, json);
    });
  }

  private static void error(HttpServerRequest req, int status, String code, String message) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
      .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  private static BiConsumer<HttpServerRequest, JsonObject> answer(int hate, int selfHarm, int sexual, int violence) {
    return (req, body) -> req.response().putHeader("content-type", "application/json").end(new JsonObject()
      .put("blocklistsMatch", new JsonArray())
      .put("categoriesAnalysis", new JsonArray()
        .add(new JsonObject().put("category", "Hate").put("severity", hate))
        .add(new JsonObject().put("category", "SelfHarm").put("severity", selfHarm))
        .add(new JsonObject().put("category", "Sexual").put("severity", sexual))
        .add(new JsonObject().put("category", "Violence").put("severity", violence))).encode());
  }

  private static void assertUnavailable(Throwable err, String fragment) {
    ParleyException e = assertInstanceOf(ParleyException.class, err);
    assertEquals(503, e.status(), e.getMessage());
    assertEquals("unavailable", e.code());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  @DisplayName("maps Azure's categories and severities, and adds built-in PII and insult findings")
  void mapsFindings(VertxTestContext ctx) {
    behaviour.set(answer(2, 0, 0, 4));
    String text = "you idiot, write to jane@example.com";
    safety.analyze(text).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals(1, requests.size());
      assertEquals(text, requests.get(0).getString("text"));
      assertEquals(List.of(new PiiFinding(PiiType.EMAIL, 20, 36)), report.pii());
      assertEquals(List.of(
        new ToxicFinding(ToxicCategory.HATE, 2, 0, text.length()),
        new ToxicFinding(ToxicCategory.VIOLENCE, 4, 0, text.length()),
        new ToxicFinding(ToxicCategory.INSULT, 4, 0, 9)), report.toxic());
      assertEquals("azure", safety.provider());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("surfaces the service's error body as a 400 with its message")
  void errorBody(Vertx vertx, VertxTestContext ctx) {
    behaviour.set((req, body) -> error(req, 400, "InvalidRequestBody", "The text contains invalid characters."));
    safety.analyze("hello").onComplete(ctx.failing(err -> ctx.verify(() -> {
      ParleyException e = assertInstanceOf(ParleyException.class, err);
      assertEquals(400, e.status());
      assertEquals("bad_request", e.code());
      assertEquals("azure content safety: The text contains invalid characters.", e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("turns a 429 into a 503 that carries Retry-After, and does not call again before then")
  void rateLimited(VertxTestContext ctx) {
    behaviour.set((req, body) -> {
      req.response().putHeader("Retry-After", "7");
      error(req, 429, "TooManyRequests", "Rate limit is exceeded. Try again in 7 seconds.");
    });
    safety.analyze("hello")
      .recover(err -> {
        ctx.verify(() -> assertUnavailable(err, "azure content safety: Rate limit is exceeded. Try again in 7 seconds. (rate limited; retry after 7 s)"));
        behaviour.set(answer(0, 0, 0, 0));
        return safety.analyze("hello again");
      })
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertUnavailable(err, "(rate limited; retry after 7 s)");
        assertEquals(1, requests.size(), "no request is sent while the service asked to wait");
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("gives up after timeoutMs with a 503 when the service does not answer")
  void timeout(Vertx vertx, VertxTestContext ctx) {
    behaviour.set((req, body) -> { /* never answers */ });
    AzureContentSafety impatient = provider(vertx, endpoint, 400);
    long started = System.nanoTime();
    impatient.analyze("hello").onComplete(ctx.failing(err -> ctx.verify(() -> {
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertUnavailable(err, "azure content safety: no answer within 400 ms");
      assertTrue(tookMs >= 350, "gave up after " + tookMs + " ms, before its 400 ms");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("reports a server error, a refused key and a malformed answer as 503")
  void serverFailures(Vertx vertx, VertxTestContext ctx) {
    behaviour.set((req, body) -> error(req, 500, "InternalServerError", "Something went wrong"));
    AzureContentSafety wrongKey = new AzureContentSafety(vertx, new AzureContentSafety.Settings(
      "http://127.0.0.1:" + server.actualPort(), "wrong", "2024-09-01", 1000));
    safety.analyze("hello")
      .recover(err -> {
        ctx.verify(() -> assertUnavailable(err, "azure content safety: Something went wrong (HTTP 500)"));
        return wrongKey.analyze("hello");
      })
      .recover(err -> {
        ctx.verify(() -> assertUnavailable(err, "(credentials refused, HTTP 401)"));
        behaviour.set((req, body) -> req.response().putHeader("content-type", "application/json").end("{\"unexpected\":true}"));
        return safety.analyze("hello");
      })
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertUnavailable(err, "azure content safety: unexpected answer from the service");
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("reports an unreachable endpoint as 503")
  void unreachable(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1")
      .compose(s -> s.close().map(s.actualPort()))
      .compose(port -> provider(vertx, "http://127.0.0.1:" + port, 1000).analyze("hello"))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertUnavailable(err, "azure content safety: unreachable");
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("splits texts over 10,000 characters and places each chunk's findings on its own span")
  void splitsLongTexts(VertxTestContext ctx) {
    behaviour.set((req, body) -> answer(0, 0, 0, body.getString("text").contains("VIOLENT") ? 6 : 0).accept(req, body));
    String first = "word ".repeat(2_100);          // 10,500 characters
    String text = first + "VIOLENT " + "x".repeat(12_000);
    safety.analyze(text).onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertEquals(3, requests.size(), "10,500 + 12,008 characters need three chunks");
      int total = requests.stream().mapToInt(r -> r.getString("text").length()).sum();
      assertEquals(text.length(), total, "the chunks cover the text exactly once");
      assertTrue(requests.stream().allMatch(r -> r.getString("text").length() <= AzureContentSafety.MAX_CHARS));
      assertEquals(1, report.toxic().size(), report.toxic()::toString);
      ToxicFinding f = report.toxic().get(0);
      assertEquals(ToxicCategory.VIOLENCE, f.category());
      assertTrue(f.start() > 0 && f.start() <= text.indexOf("VIOLENT") && f.end() > text.indexOf("VIOLENT"), f.toString());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("is healthy when the service answers, and does not call it again for a while")
  void health(VertxTestContext ctx) {
    behaviour.set(answer(0, 0, 0, 0));
    safety.health()
      .compose(v -> safety.health())
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertEquals(1, requests.size(), "the second check is answered from the last success");
        ctx.completeNow();
      })));
  }

  @Test
  @DisplayName("is unhealthy when the service fails")
  void unhealthy(VertxTestContext ctx) {
    behaviour.set((req, body) -> error(req, 503, "ServiceUnavailable", "Service is temporarily unavailable"));
    safety.health().onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertUnavailable(err, "Service is temporarily unavailable");
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("sends nothing for an empty text")
  void emptyText(VertxTestContext ctx) {
    Future<SafetyReport> result = safety.analyze("   ");
    result.onComplete(ctx.succeeding(report -> ctx.verify(() -> {
      assertTrue(report.isClean());
      assertEquals(0, requests.size());
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("reads Retry-After as seconds, capped at a minute, one second when unreadable")
  void retryAfter() {
    assertEquals(7_000, AzureContentSafety.retryAfterMs("7"));
    assertEquals(60_000, AzureContentSafety.retryAfterMs("3600"));
    assertEquals(1_000, AzureContentSafety.retryAfterMs("Wed, 21 Oct 2026 07:28:00 GMT"));
    assertEquals(1_000, AzureContentSafety.retryAfterMs(null));
  }
}
