package translation;

import ai.translate.ApertiumProcess;
import common.Addresses;
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
import verticles.Parley;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The languages a user can pick, end to end with the server's own APy: the list with its routes,
 * captions translated into Spanish and (through Spanish) French, chat and transcripts in a pivot
 * language, and every place that takes a language refusing one it cannot serve, with the list.
 */
@DisplayName("Languages over the API: GET /api/v1/languages, pivot translations, and unsupported languages refused with the list")
class LanguagesOverApiTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String admin;
  static String member;
  static String meetingId;

  @BeforeAll
  static void start() {
    if (!ApertiumProcess.isInstalled(null)) {
      System.out.println("[languages] SKIPPED: Apertium APy is not installed (apt-get install apertium-apy and the pairs; .ci/run does)");
    }
    Assumptions.assumeTrue(ApertiumProcess.isInstalled(null), "apertium-apy is not installed");
    server = TestServer.start(new JsonObject().put("ai", new JsonObject().put("translation", TestServer.apertiumIfInstalled()
      .put("timeoutMs", 15_000))));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("polyglot");
    admin = api.token("Ada", tenant, "admin");
    member = api.token("Mo", tenant);
    meetingId = api.createMeeting(admin, "Polyglot");
    api.join(admin, meetingId);
    api.join(member, meetingId);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("GET /api/v1/languages lists English as spoken, and each target with its provider and route")
  void list() {
    assertEquals(401, api.get("/api/v1/languages", null).status());
    Api.Response r = api.get("/api/v1/languages", member);
    assertEquals(200, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals("vosk", body.getString("captionProvider"));
    assertEquals("apertium", body.getString("translationProvider"));
    assertTrue(body.getBoolean("translationAvailable"));
    Map<String, JsonObject> byCode = body.getJsonArray("languages").stream().map(JsonObject.class::cast)
      .collect(Collectors.toMap(l -> l.getString("code"), l -> l));
    assertTrue(byCode.get("en").getBoolean("captions"));
    assertEquals("English", byCode.get("en").getString("name"));
    assertFalse(byCode.get("es").getBoolean("captions"));
    assertEquals(new JsonArray().add("en").add("es"), route(byCode.get("es")));
    assertEquals(new JsonArray().add("en").add("es").add("fr"), route(byCode.get("fr")), "French goes through Spanish");
    assertEquals("French", byCode.get("fr").getString("name"));
    assertEquals("apertium", byCode.get("fr").getJsonArray("translation").getJsonObject(0).getString("provider"));
    for (String code : List.of("ca", "gl", "eo", "sr", "pt", "it", "oc", "an", "ast")) {
      assertTrue(byCode.containsKey(code), code + " is listed: " + byCode.keySet());
    }
    assertFalse(byCode.containsKey("de"), "no German pair is installed");
  }

  private static JsonArray route(JsonObject language) {
    return language.getJsonArray("translation").getJsonObject(0).getJsonArray("route");
  }

  @Test
  @DisplayName("a final caption carries Spanish and, through Spanish, French; the transcript serves French")
  void captionsThroughPivot() {
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), member).await();
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    b.register("meeting." + meetingId + ".captions", meetingId, captions::add).await();
    JsonArray chosen = b.request("captions.language", new JsonObject().put("meetingId", meetingId).put("lang", "fr-FR"))
      .await().getJsonArray("languages");
    assertTrue(chosen.contains("fr"), chosen.encode());
    b.request("captions.language", new JsonObject().put("meetingId", meetingId).put("lang", "es")).await();
    server.vertx().eventBus().send(Addresses.AI_CAPTION, new JsonObject().put("meetingId", meetingId).put("segmentId", "p1")
      .put("final", true).put("speakerId", api.userId(admin)).put("speakerName", "Ada").put("tenant", tenant).put("lang", "en")
      .put("text", "The cat is black.").put("startMs", 0L).put("endMs", 1500L).put("audioReceivedAtMs", System.currentTimeMillis()));
    Poll.until(() -> captions.stream().anyMatch(c -> c.getBoolean("final")), "the final caption arrives");
    JsonObject translations = captions.stream().filter(c -> c.getBoolean("final")).findFirst().orElseThrow().getJsonObject("translations");
    System.out.println("[languages] caption translations: " + translations.encode());
    assertEquals("El gato es negro.", translations.getString("es"));
    assertEquals("Le chat est noir.", translations.getString("fr"));
    Poll.until(() -> api.get("/api/v1/meetings/" + meetingId + "/transcript", member).json().getJsonArray("segments").size() == 1,
      "the caption is stored");
    String french = api.get("/api/v1/meetings/" + meetingId + "/transcript?format=txt&lang=fr", member).body();
    assertTrue(french.contains("Le chat est noir."), french);
    b.close().await();
  }

  @Test
  @DisplayName("chat history translates through Spanish, and from Basque into English")
  void chatThroughPivot() {
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), admin).await();
    b.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "The cat is black.").put("clientId", "c1")).await();
    b.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "Egun on.").put("clientId", "c2")).await();
    JsonArray messages = api.get("/api/v1/meetings/" + meetingId + "/chat?lang=it", member).json().getJsonArray("messages");
    JsonObject cat = messages.stream().map(JsonObject.class::cast).filter(m -> m.getString("text").startsWith("The cat")).findFirst().orElseThrow();
    assertEquals("Il gatto è nero.", cat.getJsonObject("translation").getString("text"), cat.encode());
    messages = api.get("/api/v1/meetings/" + meetingId + "/chat?lang=en&from=eu", member).json().getJsonArray("messages");
    JsonObject basque = messages.stream().map(JsonObject.class::cast).filter(m -> m.getString("text").startsWith("Egun")).findFirst().orElseThrow();
    assertEquals("Good morning.", basque.getJsonObject("translation").getString("text"), basque.encode());
    b.close().await();
  }

  @Test
  @DisplayName("a language it cannot serve is a 400 with the supported list, everywhere; nothing is stored; other tenants get 404")
  void refused() {
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), member).await();
    BridgeClient.BridgeError german = assertThrows(BridgeClient.BridgeError.class, () -> b.request("captions.language",
      new JsonObject().put("meetingId", meetingId).put("lang", "de")).await());
    assertEquals(400, german.code);
    assertTrue(german.getMessage().contains("language 'de' is not supported here; supported: an, ast, bs, ca, en, eo, es, fr, gl, hr,"),
      german.getMessage());
    JsonArray after = b.request("captions.language", new JsonObject().put("meetingId", meetingId).put("lang", "en")).await()
      .getJsonArray("languages");
    assertFalse(after.contains("de"), "German was not added: " + after);

    Api.Response transcript = api.get("/api/v1/meetings/" + meetingId + "/transcript?lang=de", member);
    assertBadRequest(transcript, "language 'de' is not supported here; supported: an, ast,");
    Api.Response chat = api.get("/api/v1/meetings/" + meetingId + "/chat?lang=eu", member);
    assertBadRequest(chat, "no translation from 'en' to 'eu' here; from 'en' into: an, ast, bs, ca,");
    Api.Response chatFrom = api.get("/api/v1/meetings/" + meetingId + "/chat?lang=en&from=de", member);
    assertBadRequest(chatFrom, "no translation from 'de' to 'en' here; nothing is translated from 'de'");

    String before = api.get("/api/v1/tenant", admin).body();
    Api.Response put = api.put("/api/v1/tenant", admin, new JsonObject().put("languages", new JsonArray().add("en").add("fr").add("de")));
    assertBadRequest(put, "languages: language 'de' is not supported here; supported: an, ast,");
    assertEquals(before, api.get("/api/v1/tenant", admin).body(), "nothing stored");
    Api.Response ok = api.put("/api/v1/tenant", admin, new JsonObject().put("languages", new JsonArray().add("en").add("ast")));
    assertEquals(200, ok.status(), ok.body());

    String outsider = api.token("Out", TestServer.freshTenant("other"));
    assertEquals(404, api.get("/api/v1/meetings/" + meetingId + "/transcript?lang=de", outsider).status());
    assertEquals(404, api.get("/api/v1/meetings/" + meetingId + "/chat?lang=de", outsider).status());
    BridgeClient o = BridgeClient.connect(server.vertx(), server.port(), outsider).await();
    assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> o.request("captions.language",
      new JsonObject().put("meetingId", meetingId).put("lang", "de")).await()).code);
    o.close().await();
    b.close().await();
  }

  private static void assertBadRequest(Api.Response r, String message) {
    assertEquals(400, r.status(), r.body());
    assertEquals("bad_request", r.errorCode(), r.body());
    assertTrue(r.errorMessage().contains(message), "the message says " + message + ": " + r.body());
  }
}
