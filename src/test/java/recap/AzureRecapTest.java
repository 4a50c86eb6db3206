package recap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server configured with {@code ai.summary.provider=azure}, pointed at a local server that speaks
 * Azure OpenAI's chat-completions format: the recap comes from it and its tokens are metered at
 * {@code ai.prices.summary.azure}; when it fails, the offline summarizer writes the recap instead.
 */
@DisplayName("Recaps by Azure OpenAI: metered in tokens, and written offline when the service fails")
class AzureRecapTest {

  static Vertx fakeVertx;
  static Parley server;
  static Api api;
  static final AtomicReference<Consumer<HttpServerRequest>> behaviour = new AtomicReference<>();
  static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void start() {
    fakeVertx = Vertx.vertx();
    int port = TestServer.freePort();
    fakeVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      calls.incrementAndGet();
      behaviour.get().accept(req);
    })).listen(port, "127.0.0.1").await();
    server = TestServer.start(new JsonObject().put("ai", new JsonObject().put("summary", new JsonObject()
      .put("provider", "azure")
      .put("azure", new JsonObject().put("endpoint", "http://127.0.0.1:" + port).put("key", "k").put("deployment", "recaps")
        .put("maxRetryWaitMs", 200)))));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
    fakeVertx.close().await();
  }

  private static String endedMeeting(String tenant, String token, String title) {
    String id = api.createMeeting(token, title);
    api.join(token, id);
    MeetingRecapTest.caption(server, tenant, id, api.userId(token), "Ada", 0, "i will send the contract to legal tomorrow");
    Poll.until(() -> api.get("/api/v1/meetings/" + id + "/transcript", token).json().getJsonArray("segments").size() == 1,
      "the caption is stored");
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", token, null).status());
    return id;
  }

  @Test
  @DisplayName("the recap is Azure's, and the usage report shows its tokens and their cost")
  void azureWritesTheRecap() {
    String recap = new JsonObject().put("keyPoints", new JsonArray().add(new JsonObject().put("text", "The contract is ready").put("line", 0)))
      .put("decisions", new JsonArray())
      .put("actionItems", new JsonArray().add(new JsonObject().put("owner", "Ada").put("task", "Send the contract to legal")
        .put("due", "tomorrow").put("dueDate", "2030-01-02").put("line", 0)))
      .put("keywords", new JsonArray().add("contract")).encode();
    behaviour.set(req -> req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", recap))))
      .put("usage", new JsonObject().put("prompt_tokens", 3000).put("completion_tokens", 1000).put("total_tokens", 4000)).encode()));
    String tenant = TestServer.freshTenant("azure-recap");
    String ada = api.token("Ada", tenant, "admin");
    String id = endedMeeting(tenant, ada, "Contract");
    JsonObject written = MeetingRecapTest.readyRecap(api, id, ada);
    assertEquals("azure", written.getString("provider"));
    assertEquals("Send the contract to legal", written.getJsonArray("actionItems").getJsonObject(0).getString("task"));
    assertEquals("Ada", written.getJsonArray("actionItems").getJsonObject(0).getString("owner"));

    JsonObject usage = api.get("/api/v1/usage", ada).json().getJsonArray("ai").stream().map(o -> (JsonObject) o)
      .filter(s -> "summary".equals(s.getString("service"))).findFirst().orElseThrow();
    assertEquals("azure", usage.getString("provider"));
    assertEquals("tokens", usage.getString("unit"));
    assertEquals(4000, usage.getDouble("units"));
    assertEquals(0.01, usage.getDouble("estimatedCostUsd"), 1e-9, "4,000 tokens at the default 2.5 USD per million");
  }

  @Test
  @DisplayName("when Azure answers 500, and when it keeps answering 429, the offline summarizer writes the recap")
  void offlineWhenAzureFails() {
    for (int status : new int[] {500, 429}) {
      behaviour.set(req -> req.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Retry-After", "0")
        .end(new JsonObject().put("error", new JsonObject().put("code", String.valueOf(status)).put("message", "try later")).encode()));
      String tenant = TestServer.freshTenant("azure-down");
      String ada = api.token("Ada", tenant, "admin");
      int before = calls.get();
      String id = endedMeeting(tenant, ada, "Fallback " + status);
      JsonObject written = MeetingRecapTest.readyRecap(api, id, ada);
      assertEquals("extractive", written.getString("provider"), status + ": " + written.encode());
      assertTrue(written.getJsonArray("actionItems").getJsonObject(0).getString("task").contains("send the contract to legal"));
      assertEquals(status == 429 ? 2 : 1, calls.get() - before, status + " is retried once only when it is 429");
      assertTrue(api.get("/api/v1/usage", ada).json().getJsonArray("ai").stream().map(o -> (JsonObject) o)
        .filter(s -> "summary".equals(s.getString("service"))).allMatch(s -> s.getString("provider").equals("extractive")),
        "only the work that was done is metered");
    }
  }
}
