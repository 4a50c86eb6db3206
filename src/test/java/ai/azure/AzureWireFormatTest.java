package ai.azure;

import ai.translate.AzureTranslator;
import common.ParleyException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.TestServer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our Azure Translator v3 client against a local server that speaks the documented request and
 * response formats (Azure's cloud is not reachable here), including error
 * bodies, 429 with Retry-After, and a service too slow to answer.
 */
@DisplayName("Azure Translator v3 client against its wire format")
class AzureWireFormatTest {

  static Vertx vertx;
  static HttpServer server;
  static String endpoint;
  static final AtomicReference<Consumer<HttpServerRequest>> behaviour = new AtomicReference<>();
  static final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  static final List<JsonObject> bodies = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    int port = TestServer.freePort();
    endpoint = "http://127.0.0.1:" + port;
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      seen.add(req);
      bodies.add(new JsonObject().put("raw", b.toString()));
      behaviour.get().accept(req);
    })).listen(port, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    seen.clear();
    bodies.clear();
  }

  static void json(HttpServerRequest req, int status, Object body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(String.valueOf(body));
  }

  @Test
  @DisplayName("Translator: the documented request (headers, query, body) and response map to translations")
  void translatorHappyPath() {
    behaviour.set(req -> {
      JsonArray translations = new JsonArray();
      req.params().getAll("to").forEach(to -> translations.add(new JsonObject().put("text", "[" + to + "] hola").put("to", to)));
      json(req, 200, new JsonArray().add(new JsonObject().put("translations", translations)));
    });
    AzureTranslator t = new AzureTranslator(vertx, endpoint, "secret", "westeurope", 2000);
    Map<String, String> out = t.translate("hello", "en", List.of("es", "fr", "en")).await();
    assertEquals(Map.of("es", "[es] hola", "fr", "[fr] hola", "en", "hello"), out);
    HttpServerRequest req = seen.get(0);
    assertEquals("/translate", req.path());
    assertEquals("3.0", req.getParam("api-version"));
    assertEquals("en", req.getParam("from"));
    assertEquals(Set.of("es", "fr"), Set.copyOf(req.params().getAll("to")));
    assertEquals("secret", req.getHeader("Ocp-Apim-Subscription-Key"));
    assertEquals("westeurope", req.getHeader("Ocp-Apim-Subscription-Region"));
    assertEquals(new JsonArray().add(new JsonObject().put("Text", "hello")), new JsonArray(bodies.get(0).getString("raw")));
    t.close();
  }

  @Test
  @DisplayName("Translator: an error body becomes a 400 with the service's message; 429 is retried once after Retry-After")
  void translatorErrors() {
    behaviour.set(req -> json(req, 400, new JsonObject().put("error",
      new JsonObject().put("code", 400036).put("message", "The target language is not valid."))));
    AzureTranslator t = new AzureTranslator(vertx, endpoint, "k", null, 2000);
    ParleyException bad = assertThrows(ParleyException.class, () -> t.translate("hi", "en", List.of("xx")).await());
    assertEquals(400, bad.status());
    assertTrue(bad.getMessage().contains("target language is not valid"), bad.getMessage());

    int[] calls = {0};
    behaviour.set(req -> {
      if (calls[0]++ == 0) {
        req.response().putHeader("Retry-After", "0.2");
        json(req, 429, new JsonObject().put("error", new JsonObject().put("code", 429001).put("message", "Too many requests")));
      } else {
        json(req, 200, new JsonArray().add(new JsonObject().put("translations",
          new JsonArray().add(new JsonObject().put("text", "hola").put("to", "es")))));
      }
    });
    assertEquals("hola", t.translate("hi", "en", List.of("es")).await().get("es"));
    assertEquals(2, calls[0], "one retry after Retry-After");

    behaviour.set(req -> {
      req.response().putHeader("Retry-After", "0.1");
      json(req, 429, new JsonObject().put("error", new JsonObject().put("code", 429001).put("message", "Too many requests")));
    });
    assertEquals(429, assertThrows(ParleyException.class, () -> t.translate("hi", "en", List.of("es")).await()).status());
    behaviour.set(req -> vertx.setTimer(1500, x -> json(req, 200, "[]")));
    AzureTranslator slow = new AzureTranslator(vertx, endpoint, "k", null, 300);
    assertEquals(503, assertThrows(ParleyException.class, () -> slow.translate("hi", "en", List.of("es")).await()).status());
    t.close();
    slow.close();
  }
}
