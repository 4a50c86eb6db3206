package captions;

import ai.translate.ApertiumProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import support.Wer;
import verticles.Parley;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Budgets that hold, with real usage: Vosk's audio seconds and Apertium's characters, priced so that
 * a small budget is crossed (0.01 USD per second of audio, 0.002 USD per character translated). At
 * 80 % the admins hear of it; at 100 % the tenant's action applies (soft: translation pauses,
 * captions go on; hard: captions are refused and open streams closed); raising the budget resumes.
 */
@DisplayName("AI budgets hold: real usage crosses 80 % and 100 %, the action applies, raising the budget resumes")
class AiBudgetTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    if (!ApertiumProcess.isInstalled(null)) {
      System.out.println("[budget] SKIPPED: Apertium APy is not installed (apt-get install apertium-apy apertium-eng-spa; "
        + ".ci/run does): the budget is crossed with real translated characters");
    }
    Assumptions.assumeTrue(ApertiumProcess.isInstalled(null), "apertium-apy is not installed");
    server = TestServer.start(new JsonObject().put("ai", new JsonObject()
      .put("translation", TestServer.apertiumIfInstalled().put("timeoutMs", 15_000))
      .put("prices", new JsonObject()
        .put("stt", new JsonObject().put("vosk", 36.0))             // USD per audio hour: 0.01 per second
        .put("translation", new JsonObject().put("apertium", 2000.0)) // USD per million characters: 0.002 each
        .put("safety", new JsonObject().put("builtin", 0))))
      .put("metrics", new JsonObject().put("refreshSeconds", 1)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      api.close();
      server.stop().await();
    }
  }

  /** One utterance: welcome.wav spoken into the meeting; returns its final caption as Ben saw it. */
  static JsonObject speak(String token, String meetingId, List<JsonObject> captions) throws Exception {
    int before = (int) captions.stream().filter(c -> c.getBoolean("final")).count();
    int seen = captions.size();
    AudioClient mic = AudioClient.connect(server.vertx(), server.port(), token, meetingId, "en-US").await();
    mic.stream(server.vertx(), Wer.pcm("welcome.wav"), 3200, 10, true).await();
    assertEquals((short) 1000, mic.closed.future().timeout(30, TimeUnit.SECONDS).await(), "reason: " + mic.closeReason);
    try {
      Poll.until(Duration.ofSeconds(30), () -> captions.stream().filter(c -> c.getBoolean("final")).count() > before,
        "the utterance's final caption arrives");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; received since it began: " + captions.subList(seen, captions.size()), e);
    }
    return captions.stream().filter(c -> c.getBoolean("final")).skip(before).findFirst().orElseThrow();
  }

  /**
   * A listener that stays longer than {@code bridge.pingTimeoutMs} (30 s) pings as the browser's
   * library does, else the bridge closes its socket and the captions stop reaching it.
   */
  static BridgeClient listening(String token) {
    BridgeClient client = BridgeClient.connect(server.vertx(), server.port(), token).await();
    long timer = server.vertx().setPeriodic(5_000, t -> client.writeRaw("{\"type\":\"ping\"}"));
    client.socket().closeHandler(v -> server.vertx().cancelTimer(timer));
    return client;
  }

  static double spent(String admin) {
    return api.get("/api/v1/budget", admin).json().getDouble("spentUsd");
  }

  /** Waits until the month to date stops moving (the stream's audio seconds are metered after it closes). */
  static double settled(String admin) {
    double[] last = {-1};
    long[] stableSince = {System.currentTimeMillis()};
    Poll.until(Duration.ofSeconds(20), () -> {
      double now = spent(admin);
      if (now != last[0]) {
        last[0] = now;
        stableSince[0] = System.currentTimeMillis();
        return false;
      }
      return System.currentTimeMillis() - stableSince[0] > 1500;
    }, "the spending settles");
    return last[0];
  }

  @Test
  @DisplayName("soft: 80 % warns the admins, 100 % pauses translation while captions go on, a raised budget resumes it")
  void soft() throws Exception {
    String tenant = TestServer.freshTenant("budget");
    String ada = api.token("Ada", tenant, "admin");
    String ben = api.token("Ben", tenant);
    String id = api.createMeeting(ada, "Budgeted");
    api.join(ada, id);
    api.join(ben, id);
    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", 100)).status());
    BridgeClient b = listening(ben);
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    b.register("meeting." + id + ".captions", id, captions::add).await();
    b.register("meeting." + id, id, e -> {
      if ("aiBudget".equals(e.getString("type"))) {
        events.add(e);
      }
    }).await();

    // One utterance at a large budget: what it costs, in audio seconds and translated characters.
    JsonObject first = speak(ada, id, captions);
    assertFalse(first.getJsonObject("translations").getString("es", "").isBlank(), "translated: " + first.encode());
    double one = settled(ada);
    JsonObject usage = api.get("/api/v1/usage", ada).json();
    System.out.println("[budget] one utterance costs " + one + " USD: " + usage.getJsonArray("ai").encode());
    assertTrue(one > 0.02, "audio seconds and characters are priced: " + one);
    assertEquals(usage.getDouble("estimatedCostUsd"), one, 1e-6, "the month to date is the usage table's total");

    // A budget the next utterance takes past 80 % (0.45 + 0.45 of it) and the one after past 100 %.
    double budget = Math.round(one / 0.45 * 1e6) / 1e6;
    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", budget)).status());
    assertEquals("ok", api.get("/api/v1/budget", ada).json().getString("level"));
    speak(ada, id, captions);
    Poll.until(Duration.ofSeconds(15), () -> "warning".equals(api.get("/api/v1/budget", ada).json().getString("level")),
      "the budget is at its warning level");
    Poll.until(() -> events.stream().anyMatch(e -> "warning".equals(e.getString("level"))), "the meeting hears of the warning");
    assertTrue(ratioMetric(tenant) >= 0.8 && ratioMetric(tenant) < 1, "parley_ai_budget_used_ratio: " + ratioMetric(tenant));

    speak(ada, id, captions);
    Poll.until(Duration.ofSeconds(15), () -> "exhausted".equals(api.get("/api/v1/budget", ada).json().getString("level")),
      "the budget is spent");
    Poll.until(() -> events.stream().anyMatch(e -> "exhausted".equals(e.getString("level"))), "the meeting hears of the pause");
    JsonObject exhausted = events.stream().filter(e -> "exhausted".equals(e.getString("level"))).findFirst().orElseThrow();
    assertEquals("soft", exhausted.getString("action"));
    assertEquals(new JsonArray().add("translation"), exhausted.getJsonArray("paused"));
    JsonObject report = api.get("/api/v1/budget", ada).json();
    assertTrue(report.getDouble("ratio") >= 1, report.encode());
    assertEquals(List.of("warning", "exhausted"), report.getJsonArray("events").stream()
      .map(e -> ((JsonObject) e).getString("level")).toList(), "each change once: " + report.encode());
    Poll.until(() -> ratioMetric(tenant) >= 1, "the gauge reaches 1");

    // Spent: captions go on (Vosk, local), untranslated, saying why; chat is not translated either.
    JsonObject untranslated = speak(ada, id, captions);
    assertFalse(untranslated.getString("text").isBlank(), "captions continue");
    assertTrue(untranslated.getJsonObject("translations").isEmpty(), "no translation: " + untranslated.encode());
    assertTrue(untranslated.getBoolean("translationPaused", false), untranslated.encode());
    b.request("chat.send", new JsonObject().put("meetingId", id).put("text", "hello friends").put("clientId", "c1")).await();
    JsonObject chat = api.get("/api/v1/meetings/" + id + "/chat?lang=es", ben).json().getJsonArray("messages").getJsonObject(0);
    assertEquals("translation is paused: this month's AI budget is spent", chat.getString("translationError"), chat.encode());

    // The admin raises the budget: translation resumes at once.
    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", 100)).status());
    Poll.until(() -> events.stream().anyMatch(e -> "ok".equals(e.getString("level"))), "the meeting hears that AI resumed");
    assertEquals(new JsonArray(), events.stream().filter(e -> "ok".equals(e.getString("level"))).findFirst().orElseThrow()
      .getJsonArray("paused"));
    JsonObject resumed = speak(ada, id, captions);
    assertFalse(resumed.getJsonObject("translations").getString("es", "").isBlank(), "translated again: " + resumed.encode());
    assertEquals("ok", api.get("/api/v1/budget", ada).json().getString("level"));
    b.close().await();
  }

  @Test
  @DisplayName("hard: at 100 % speech is refused and an open stream closed (1008); chat stays moderated; a raised budget resumes")
  void hard() throws Exception {
    String tenant = TestServer.freshTenant("budget-hard");
    String ada = api.token("Ada", tenant, "admin");
    String id = api.createMeeting(ada, "Hard budget");
    api.join(ada, id);
    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", 100).put("aiBudgetAction", "hard")).status());
    BridgeClient b = listening(ada);
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    b.register("meeting." + id + ".captions", id, captions::add).await();
    speak(ada, id, captions);
    double one = settled(ada);

    // A stream is open when the admin lowers the budget under what was spent: it is closed.
    AudioClient open = AudioClient.connect(server.vertx(), server.port(), ada, id, "en-US").await();
    open.stream(server.vertx(), Wer.pcm("welcome.wav"), 3200, 10, false).await();
    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", Math.round(one / 2 * 1e6) / 1e6).put("aiBudgetAction", "hard")).status());
    assertEquals((short) 1008, open.closed.future().timeout(10, TimeUnit.SECONDS).await());
    assertEquals("AI is paused: this month's AI budget is spent", open.closeReason);
    JsonObject report = api.get("/api/v1/budget", ada).json();
    assertEquals("exhausted", report.getString("level"));
    assertEquals(new JsonArray().add("captions").add("translation"), report.getJsonArray("paused"));

    AudioClient refused = AudioClient.connect(server.vertx(), server.port(), ada, id, "en-US").await();
    assertEquals((short) 1008, refused.closed.future().timeout(10, TimeUnit.SECONDS).await());
    assertEquals("AI is paused: this month's AI budget is spent", refused.closeReason);
    // content safety does not stop: the built-in detector still redacts
    JsonObject sent = b.request("chat.send", new JsonObject().put("meetingId", id).put("text", "mail me at ada@example.com")
      .put("clientId", "h1")).await();
    assertEquals("redact", sent.getJsonObject("moderation").getString("action"), sent.encode());

    assertEquals(200, api.put("/api/v1/tenant", ada, new JsonObject().put("languages", new JsonArray().add("en").add("es"))
      .put("aiBudgetUsd", 100).put("aiBudgetAction", "hard")).status());
    JsonObject again = speak(ada, id, captions);
    assertNotNull(again.getString("text"));
    assertFalse(again.getJsonObject("translations").getString("es", "").isBlank(), "translated again: " + again.encode());
    b.close().await();
  }

  @Test
  @DisplayName("GET /api/v1/budget is for the tenant's admins; a bad aiBudgetAction is 400 and nothing is stored")
  void badInput() {
    String tenant = TestServer.freshTenant("budget-input");
    String admin = api.token("Ada", tenant, "admin");
    String member = api.token("Mo", tenant);
    assertEquals(401, api.get("/api/v1/budget", null).status());
    Api.Response forbidden = api.get("/api/v1/budget", member);
    assertEquals(403, forbidden.status());
    assertEquals("forbidden", forbidden.errorCode());
    JsonObject mine = api.get("/api/v1/budget", admin).json();
    assertEquals(tenant, mine.getString("tenant"));
    assertEquals("ok", mine.getString("level"));
    assertEquals("soft", mine.getString("action"));
    assertEquals(0.8, mine.getDouble("warnRatio"));
    String other = api.token("Olga", TestServer.freshTenant("budget-other"), "admin");
    assertFalse(tenant.equals(api.get("/api/v1/budget", other).json().getString("tenant")), "another tenant sees its own");
    String before = api.get("/api/v1/tenant", admin).body();
    Api.Response bad = api.put("/api/v1/tenant", admin, new JsonObject().put("aiBudgetAction", "panic"));
    assertEquals(400, bad.status(), bad.body());
    assertEquals("bad_request", bad.errorCode());
    assertTrue(bad.errorMessage().contains("aiBudgetAction"), bad.body());
    assertEquals(before, api.get("/api/v1/tenant", admin).body(), "nothing stored");
  }

  static double ratioMetric(String tenant) {
    Matcher m = Pattern.compile("parley_ai_budget_used_ratio\\{tenant=\"" + Pattern.quote(tenant) + "\"\\} ([0-9.eE+-]+)")
      .matcher(api.get("/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
