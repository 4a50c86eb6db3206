package captions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Caption languages, transcript formats and the usage report: choices, rendering and bad input")
class CaptionLanguageAndUsageTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String admin;
  static String member;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("langs");
    admin = api.token("Ada", tenant, "admin");
    member = api.token("Mo", tenant);
    meetingId = api.createMeeting(admin, "Polyglot");
    api.join(admin, meetingId);
    api.join(member, meetingId);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("with translation off, English is the only caption language: others are refused with that list")
  void chooseLanguage() {
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), member).await();
    JsonArray langs = b.request("captions.language", new JsonObject().put("meetingId", meetingId).put("lang", "en-GB"))
      .await().getJsonArray("languages");
    assertEquals(new JsonArray().add("en"), langs);
    BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class, () -> b.request("captions.language",
      new JsonObject().put("meetingId", meetingId).put("lang", "es-ES")).await());
    assertEquals(400, refused.code);
    assertTrue(refused.getMessage().contains("language 'es-ES' is not supported here; supported: en"), refused.getMessage());
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class, () -> b.request("captions.language",
      new JsonObject().put("meetingId", meetingId).put("lang", "klingon!")).await()).code);
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class, () -> b.request("captions.language",
      new JsonObject().put("meetingId", meetingId)).await()).code);
    String outsider = api.token("Out", TestServer.freshTenant("other"));
    BridgeClient o = BridgeClient.connect(server.vertx(), server.port(), outsider).await();
    assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> o.request("captions.language",
      new JsonObject().put("meetingId", meetingId).put("lang", "de")).await()).code);
    b.close().await();
    o.close().await();
  }

  @Test
  @DisplayName("an empty transcript renders in every format; bad formats and languages are 400; others' 404")
  void transcriptFormats() {
    String base = "/api/v1/meetings/" + meetingId + "/transcript";
    Api.Response json = api.get(base, member);
    assertEquals(200, json.status());
    assertEquals(0, json.json().getJsonArray("segments").size());
    Api.Response vtt = api.get(base + "?format=vtt", member);
    assertEquals(200, vtt.status());
    assertTrue(vtt.headers().get("Content-Type").startsWith("text/vtt"));
    assertTrue(vtt.body().startsWith("WEBVTT"));
    assertEquals(200, api.get(base + "?format=txt&lang=en", member).status());
    assertBadRequest(api.get(base + "?format=txt&lang=es", member), "language 'es' is not supported here; supported: en");
    assertBadRequest(api.get(base + "?format=pdf", member), "format must be json, vtt or txt");
    assertBadRequest(api.get(base + "?lang=zz-!!", member), "'zz-!!'");
    String outsider = api.token("Out", TestServer.freshTenant("other"));
    assertEquals(404, api.get(base, outsider).status());
    String stranger = api.token("Stranger", tenant);
    assertEquals(403, api.get(base, stranger).status());
  }

  @Test
  @DisplayName("a final caption of bare words is made readable with the meeting's names; a punctuated one is left alone")
  void readableFinals() {
    String maria = api.token("María López", tenant);
    String will = api.token("Will Turner", tenant);
    String id = api.createMeeting(maria, "Readable");
    api.join(maria, id);
    api.join(will, id);
    // "thanks maria" [pause 400 ms] "will did you finish the slides": two sentences, and Will is a name here
    String[] words = "thanks maria will did you finish the slides".split(" ");
    JsonArray timed = new JsonArray();
    long t = 0;
    for (String w : words) {
      timed.add(new JsonArray().add(w).add(t).add(t + 250));
      t += 250 + (w.equals("maria") ? 400 : 40);
    }
    server.vertx().eventBus().send(common.Addresses.AI_CAPTION, new JsonObject().put("meetingId", id).put("segmentId", "r1")
      .put("final", true).put("speakerId", api.userId(maria)).put("speakerName", "María López").put("tenant", tenant)
      .put("lang", "en").put("text", String.join(" ", words)).put("words", timed).put("startMs", 0L).put("endMs", t)
      .put("audioReceivedAtMs", System.currentTimeMillis()));
    server.vertx().eventBus().send(common.Addresses.AI_CAPTION, new JsonObject().put("meetingId", id).put("segmentId", "r2")
      .put("final", true).put("speakerId", api.userId(will)).put("speakerName", "Will Turner").put("tenant", tenant)
      .put("lang", "en").put("text", "yes, i will send them tonight").put("punctuated", true).put("startMs", t).put("endMs", t + 900)
      .put("audioReceivedAtMs", System.currentTimeMillis()));
    support.Poll.until(() -> api.get("/api/v1/meetings/" + id + "/transcript", maria).json().getJsonArray("segments").size() == 2,
      "both captions are stored");
    JsonArray segments = api.get("/api/v1/meetings/" + id + "/transcript", maria).json().getJsonArray("segments");
    java.util.Map<String, String> bySegment = new java.util.HashMap<>();
    segments.forEach(o -> bySegment.put(((JsonObject) o).getString("segmentId"), ((JsonObject) o).getString("text")));
    assertEquals("Thanks María. Will did you finish the slides?", bySegment.get("r1"));
    assertEquals("yes, i will send them tonight", bySegment.get("r2"), "a recogniser that punctuates is trusted");
  }

  @Test
  @DisplayName("the usage report is for admins, defaults to this month, and refuses bad ranges")
  void usage() {
    OffsetDateTime asked = OffsetDateTime.now(ZoneOffset.UTC);
    Api.Response r = api.get("/api/v1/usage", admin);
    OffsetDateTime answered = OffsetDateTime.now(ZoneOffset.UTC);
    assertEquals(200, r.status(), r.body());
    Instant from = Instant.parse(r.json().getString("from"));
    Instant to = Instant.parse(r.json().getString("to"));
    assertTrue(from.equals(startOfMonth(asked)) || from.equals(startOfMonth(answered)),
      "by default the report starts at the first of this month (UTC): " + from);
    assertTrue(!to.isBefore(asked.toInstant().truncatedTo(ChronoUnit.SECONDS)) && !to.isAfter(answered.toInstant()),
      "and runs to now: " + to);
    assertEquals(tenant, r.json().getString("tenant"));
    assertTrue(r.json().getJsonObject("meetings").getLong("meetings") >= 1);
    assertTrue(r.json().containsKey("estimatedCostUsd"));
    assertEquals(403, api.get("/api/v1/usage", member).status());
    assertBadRequest(api.get("/api/v1/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", admin), "from must be before to");
    assertBadRequest(api.get("/api/v1/usage?from=yesterday", admin), "from must be an ISO-8601 timestamp");
  }

  private static Instant startOfMonth(OffsetDateTime t) {
    return t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
  }

  private static void assertBadRequest(Api.Response r, String message) {
    assertEquals(400, r.status(), r.body());
    assertEquals("bad_request", r.errorCode(), r.body());
    assertTrue(r.errorMessage().contains(message), "the message says " + message + ": " + r.body());
  }
}
