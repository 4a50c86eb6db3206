package ai.summary;

import ai.summary.MeetingText.Utterance;
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

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our Azure OpenAI client against a local server that speaks the chat-completions wire format
 * (Azure's cloud is not reachable here): the request it sends, the answer it reads, error bodies,
 * 429 with retry-after-ms / Retry-After, a filtered answer and one that is not JSON.
 */
@DisplayName("Azure OpenAI recap client against the chat-completions wire format")
class AzureOpenAiSummarizerTest {

  static Vertx vertx;
  static String endpoint;
  static final AtomicReference<BiConsumer<HttpServerRequest, JsonObject>> behaviour = new AtomicReference<>();
  static final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();
  static final List<JsonObject> bodies = new CopyOnWriteArrayList<>();

  static final MeetingText MEETING = new MeetingText("Release sync", LocalDate.parse("2026-08-19"),
    List.of("Hana Suzuki", "Eli Cohen"), List.of(
      new Utterance("Hana Suzuki", "Eli, can you run the migration on Thursday?", Instant.parse("2026-08-19T10:00:00Z"), "transcript"),
      new Utterance("Eli Cohen", "Sure, Thursday morning.", Instant.parse("2026-08-19T10:00:20Z"), "transcript"),
      new Utterance("Hana Suzuki", "We decided to ship on Thursday.", Instant.parse("2026-08-19T10:01:05Z"), "chat")), "en");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    int port = TestServer.freePort();
    endpoint = "http://127.0.0.1:" + port;
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      requests.add(req);
      JsonObject body = b.length() == 0 ? new JsonObject() : b.toJsonObject();
      bodies.add(body);
      behaviour.get().accept(req, body);
    }));
    server.listen(port, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    requests.clear();
    bodies.clear();
  }

  private static AzureOpenAiSummarizer client(long timeoutMs) {
    return new AzureOpenAiSummarizer(vertx, endpoint + "/", "secret-key", "recaps", "2024-10-21", timeoutMs, 100_000, 2_000);
  }

  static void json(HttpServerRequest req, int status, Object body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(String.valueOf(body));
  }

  static void error(HttpServerRequest req, int status, String code, String message) {
    json(req, status, new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)));
  }

  static JsonObject completion(String content, String finish) {
    return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "gpt-4o-mini")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", finish)
        .put("message", new JsonObject().put("role", "assistant").put("content", content))))
      .put("usage", new JsonObject().put("prompt_tokens", 412).put("completion_tokens", 88).put("total_tokens", 500));
  }

  static final String RECAP = new JsonObject()
    .put("keyPoints", new JsonArray().add(new JsonObject().put("text", "The release is ready").put("line", 0)))
    .put("decisions", new JsonArray().add(new JsonObject().put("text", "Ship on Thursday").put("line", 2)))
    .put("actionItems", new JsonArray()
      .add(new JsonObject().put("owner", "Eli").put("task", "Run the migration").put("due", "Thursday morning")
        .put("dueDate", "2026-08-20").put("line", 0))
      .add(new JsonObject().put("owner", "Someone Else").put("task", "Write the notes").put("due", null).put("dueDate", "not a date")))
    .put("keywords", new JsonArray().add("migration").add("release")).encode();

  @Test
  @DisplayName("posts the transcript as numbered lines to the deployment, with api-key and JSON mode, and reads the recap back")
  void summarizes() {
    behaviour.set((req, body) -> json(req, 200, completion(RECAP, "stop")));
    Recap recap = client(5_000).summarize(MEETING).await();

    HttpServerRequest req = requests.get(0);
    assertEquals("POST", req.method().name());
    assertEquals("/openai/deployments/recaps/chat/completions", req.path());
    assertEquals("2024-10-21", req.getParam("api-version"));
    assertEquals("secret-key", req.getHeader("api-key"));
    JsonObject body = bodies.get(0);
    assertEquals("json_object", body.getJsonObject("response_format").getString("type"));
    assertEquals(0, body.getInteger("temperature"));
    JsonArray messages = body.getJsonArray("messages");
    assertEquals("system", messages.getJsonObject(0).getString("role"));
    String user = messages.getJsonObject(1).getString("content");
    assertTrue(user.contains("Date: 2026-08-19 (Wednesday)") && user.contains("Participants: Hana Suzuki; Eli Cohen"), user);
    assertTrue(user.contains("[0] 00:00 Hana Suzuki: Eli, can you run the migration on Thursday?"), user);
    assertTrue(user.contains("[2] 01:05 (chat) Hana Suzuki: We decided to ship on Thursday."), user);

    assertEquals("azure", recap.provider());
    assertEquals(500, recap.units());
    assertEquals("tokens", recap.unit());
    assertEquals("The release is ready", recap.keyPoints().get(0).text());
    assertEquals("Hana Suzuki", recap.keyPoints().get(0).speaker());
    assertEquals(Instant.parse("2026-08-19T10:01:05Z"), recap.decisions().get(0).at());
    Recap.ActionItem run = recap.actionItems().get(0);
    assertEquals("Eli Cohen", run.owner(), "a first name is the participant it names");
    assertEquals(LocalDate.parse("2026-08-20"), run.dueDate());
    assertEquals("transcript", run.source());
    Recap.ActionItem notes = recap.actionItems().get(1);
    assertNull(notes.owner(), "an owner who is not a participant is dropped");
    assertNull(notes.dueDate(), "a due date that is not a date is dropped");
    assertEquals(List.of("migration", "release"), recap.keywords());
  }

  @Test
  @DisplayName("waits retry-after-ms (or Retry-After) after a 429 and tries once more; a second 429 is a 429")
  void rateLimited() {
    AtomicInteger calls = new AtomicInteger();
    behaviour.set((req, body) -> {
      if (calls.getAndIncrement() == 0) {
        req.response().putHeader("retry-after-ms", "300").putHeader("Retry-After", "1");
        error(req, 429, "429", "Requests to the ChatCompletions_Create Operation have exceeded token rate limit. Please retry after 1 second.");
      } else {
        json(req, 200, completion(RECAP, "stop"));
      }
    });
    long started = System.nanoTime();
    Recap recap = client(5_000).summarize(MEETING).await();
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(2, requests.size());
    assertTrue(waitedMs >= 300, "waited " + waitedMs + " ms");
    assertEquals("Run the migration", recap.actionItems().get(0).task());

    reset();
    behaviour.set((req, body) -> {
      req.response().putHeader("Retry-After", "0.2");
      error(req, 429, "429", "Requests to the ChatCompletions_Create Operation have exceeded call rate limit.");
    });
    ParleyException e = assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await());
    assertEquals(429, e.status());
    assertTrue(e.getMessage().contains("exceeded call rate limit"), e.getMessage());
    assertEquals(2, requests.size());
  }

  @Test
  @DisplayName("an error body becomes the failure's message: a wrong key or deployment is 503, a refused prompt 400")
  void errors() {
    behaviour.set((req, body) -> error(req, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint."));
    ParleyException denied = assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await());
    assertEquals(503, denied.status());
    assertTrue(denied.getMessage().contains("invalid subscription key"), denied.getMessage());

    behaviour.set((req, body) -> error(req, 404, "DeploymentNotFound", "The API deployment for this resource does not exist."));
    assertEquals(503, assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await()).status());

    behaviour.set((req, body) -> error(req, 400, "content_filter", "The response was filtered due to the prompt triggering a content policy."));
    ParleyException filtered = assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await());
    assertEquals(400, filtered.status());
    assertTrue(filtered.getMessage().contains("content_filter"), filtered.getMessage());

    reset();
    behaviour.set((req, body) -> req.response().setStatusCode(500).end("oops"));
    ParleyException broken = assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await());
    assertEquals(503, broken.status());
    assertEquals(1, requests.size(), "a 500 is not retried");
  }

  @Test
  @DisplayName("a filtered answer, an answer that is not JSON, and a service that does not answer in time all fail with 503")
  void badAnswers() {
    behaviour.set((req, body) -> json(req, 200, completion(null, "content_filter")));
    assertEquals(503, assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await()).status());

    behaviour.set((req, body) -> json(req, 200, completion("Here is your recap: ...", "length")));
    ParleyException cut = assertThrows(ParleyException.class, () -> client(5_000).summarize(MEETING).await());
    assertTrue(cut.getMessage().contains("max_tokens"), cut.getMessage());

    behaviour.set((req, body) -> vertx.setTimer(2_000, t -> json(req, 200, completion(RECAP, "stop"))));
    assertEquals(503, assertThrows(ParleyException.class, () -> client(300).summarize(MEETING).await()).status());
  }

  @Test
  @DisplayName("a meeting with nothing said is an empty recap and no call")
  void emptyMeeting() {
    behaviour.set((req, body) -> json(req, 500, "{}"));
    Recap recap = client(5_000).summarize(new MeetingText("Quiet", LocalDate.parse("2026-08-19"), List.of("Hana Suzuki"),
      List.of(), "en")).await();
    assertTrue(recap.isEmpty());
    assertEquals(0, requests.size());
  }
}
