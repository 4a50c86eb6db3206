package search;

import common.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/search} through the public contract: captions (as the recogniser publishes
 * them), chat over the bridge and a recap, in several meetings of two tenants; who sees what; where
 * a hit points (the recording at that moment); and odd or hostile queries.
 */
@DisplayName("Search over transcripts, chat and recaps: the caller's meetings only, another tenant's never, any query safe")
class SearchTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String ada;
  static String ben;
  static String cid;
  static String zed;
  static String planning;
  static String budget;
  static String other;
  static String recording;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("search");
    ada = api.token("Ada", tenant);
    ben = api.token("Ben", tenant);
    cid = api.token("Cid", tenant, "admin");
    String otherTenant = TestServer.freshTenant("search-other");
    zed = api.token("Zed", otherTenant, "admin");

    planning = api.createMeeting(ada, "Kubernetes planning");
    api.join(ada, planning);
    api.join(ben, planning);
    recording = api.post("/api/v1/meetings/" + planning + "/recordings/chunked", ada, new JsonObject().put("contentType", "video/webm"))
      .json().getString("id");
    caption(tenant, planning, api.userId(ada), "Ada", 0, "the kubernetes migration starts next week with the staging cluster");
    caption(tenant, planning, api.userId(ben), "Ben", 1, "i'll write the helm charts for the kubernetes migration by friday");
    chat(ben, planning, "p1", "Reminder: the zebra dashboard tracks the kubernetes migration");
    waitForTranscript(ada, planning, 2);
    Buffer webm = Buffer.buffer(new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x88, 0x42, (byte) 0x82, (byte) 0x84})
      .appendString("webm").appendBuffer(Buffer.buffer(new byte[2048]));
    assertEquals(200, api.send(HttpMethod.PUT, "/api/v1/recordings/" + recording + "/content?offset=0", ada, webm, "video/webm").status());
    assertEquals(200, api.post("/api/v1/recordings/" + recording + "/complete", ada, null).status());
    assertEquals(200, api.post("/api/v1/meetings/" + planning + "/end", ada, null).status());

    budget = api.createMeeting(ada, "Budget");
    api.join(ada, budget);
    caption(tenant, budget, api.userId(ada), "Ada", 0, "the kubernetes licences cost more than the whole zebra budget");
    waitForTranscript(ada, budget, 1);

    other = api.createMeeting(zed, "Elsewhere");
    api.join(zed, other);
    caption(otherTenant, other, api.userId(zed), "Zed", 0, "our kubernetes migration and the zebra project are secret");
    waitForTranscript(zed, other, 1);
    Poll.until(() -> "ready".equals(api.get("/api/v1/meetings/" + planning + "/recap", ada).json().getString("status")),
      "the planning meeting's recap is written");
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  private static void caption(String tenant, String meetingId, String speakerId, String speakerName, int n, String text) {
    server.vertx().eventBus().send(Addresses.AI_CAPTION, new JsonObject().put("meetingId", meetingId).put("segmentId", "s" + n)
      .put("final", true).put("speakerId", speakerId).put("speakerName", speakerName).put("tenant", tenant).put("lang", "en")
      .put("text", text).put("startMs", n * 3000L).put("endMs", n * 3000L).put("audioReceivedAtMs", System.currentTimeMillis()));
  }

  private static void chat(String token, String meetingId, String clientId, String text) {
    BridgeClient bridge = BridgeClient.connect(server.vertx(), server.port(), token).await();
    bridge.request(Addresses.CHAT_SEND, new JsonObject().put("meetingId", meetingId).put("clientId", clientId).put("text", text)).await();
    bridge.socket().close();
  }

  private static void waitForTranscript(String token, String meetingId, int n) {
    Poll.until(() -> api.get("/api/v1/meetings/" + meetingId + "/transcript", token).json().getJsonArray("segments").size() == n,
      n + " captions stored in " + meetingId);
  }

  private static Api.Response search(String token, String q) {
    return api.get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), token);
  }

  private static JsonArray hits(String token, String q) {
    Api.Response r = search(token, q);
    assertEquals(200, r.status(), q + ": " + r.body());
    return r.json().getJsonArray("items");
  }

  private static Set<String> meetings(JsonArray hits) {
    return hits.stream().map(h -> ((JsonObject) h).getString("meetingId")).collect(Collectors.toSet());
  }

  @Test
  @DisplayName("finds captions, chat and recap items, each with meeting, speaker, time and a link to the recording at that moment")
  void hitsSayWhere() {
    JsonArray found = hits(ada, "helm charts");
    JsonObject caption = found.stream().map(h -> (JsonObject) h).filter(h -> h.getString("kind").equals("transcript")).findFirst()
      .orElseThrow(() -> new AssertionError(found.encodePrettily()));
    assertEquals(planning, caption.getString("meetingId"));
    assertEquals("Kubernetes planning", caption.getString("meetingTitle"));
    assertEquals("Ben", caption.getString("speakerName"));
    assertNotNull(caption.getString("at"));
    assertTrue(caption.getString("snippet").contains("**helm** **charts**"), caption.getString("snippet"));
    JsonObject rec = caption.getJsonObject("recording");
    assertNotNull(rec, "the recording made during the meeting covers the caption: " + caption.encodePrettily());
    assertEquals(recording, rec.getString("id"));
    long t = rec.getLong("offsetSeconds");
    assertTrue(t >= 0 && t < 120, caption.encodePrettily());
    assertEquals("/api/v1/recordings/" + recording + "#t=" + t, rec.getString("url"));
    assertEquals("/#/m/" + planning + "/recap?r=" + recording + "&t=" + t, caption.getString("link"));
    assertNotNull(caption.getLong("offsetSeconds"));

    assertTrue(found.stream().map(h -> (JsonObject) h).anyMatch(h -> h.getString("kind").equals("recap")
      && h.getString("snippet").contains("**helm**") && "Ben".equals(h.getString("speakerName"))),
      "the recap's action item is found too: " + found.encodePrettily());
    JsonObject chat = hits(ben, "zebra dashboard").stream().map(h -> (JsonObject) h).filter(h -> h.getString("kind").equals("chat"))
      .findFirst().orElseThrow();
    assertEquals("Ben", chat.getString("speakerName"));
    assertEquals(planning, chat.getString("meetingId"));
    // English stemming: "migrating" finds "migration"
    assertTrue(meetings(hits(ben, "migrating")).contains(planning));
  }

  @Test
  @DisplayName("a participant sees the meetings they attended, a tenant admin all of the tenant's, nobody another tenant's")
  void whoSeesWhat() {
    assertEquals(Set.of(planning), meetings(hits(ben, "kubernetes")), "Ben was not in the budget meeting");
    assertEquals(Set.of(planning, budget), meetings(hits(ada, "kubernetes")));
    assertEquals(Set.of(planning, budget), meetings(hits(cid, "kubernetes")), "an admin sees every meeting of the tenant");
    assertEquals(Set.of(other), meetings(hits(zed, "kubernetes")), "and only their own tenant's");
    assertEquals(Set.of(other), meetings(hits(zed, "helm charts OR zebra OR kubernetes")));
    assertEquals(Set.of(planning, budget), meetings(hits(cid, "secret OR zebra OR kubernetes")), "nor the other way round");
    String eve = api.token("Eve", tenant);
    assertEquals(new JsonArray(), hits(eve, "kubernetes"), "someone who attended nothing finds nothing");
  }

  @Test
  @DisplayName("operators, quotes, SQL, emoji and control characters are plain words; NUL, over 200 characters, empty, bad limit or cursor are refused; no token 401")
  void oddQueries() {
    assertEquals(Set.of(planning), meetings(hits(ada, "\"kubernetes migration\" -budget")), "a phrase, and a word left out");
    assertEquals(Set.of(planning, budget), meetings(hits(ada, "kubernetes & | ! ( ) : * <-> ")));
    for (String q : List.of("&|!():*", "'", "\"", "\\", "!!!", ":*", "' OR 1=1 --", "); DROP TABLE meetings; --",
      "🦓🦓", "a".repeat(200), "\u0001\u0002")) {
      Api.Response r = search(ada, q);
      assertEquals(200, r.status(), q + ": " + r.body());
      assertNotNull(r.json().getJsonArray("items"));
    }
    assertEquals(Set.of(planning, budget), meetings(hits(ada, "zebra\u0001")), "a control character is a space");
    for (String q : List.of("kuber\u0000netes", "zebra\u0000")) {
      Api.Response r = search(ada, q);
      assertEquals(400, r.status(), "NUL is refused, as in every request: " + r.body());
      assertEquals("bad_request", r.errorCode());
      assertTrue(r.body().contains("q contains a character that cannot be stored"), r.body());
    }
    Api.Response tooLong = search(ada, "a".repeat(201));
    assertEquals(413, tooLong.status());
    assertEquals("too_large", tooLong.errorCode());
    for (String path : List.of("/api/v1/search", "/api/v1/search?q=", "/api/v1/search?q=%20%20", "/api/v1/search?q=zebra&limit=0",
      "/api/v1/search?q=zebra&limit=101", "/api/v1/search?q=zebra&limit=x", "/api/v1/search?q=zebra&cursor=abc",
      "/api/v1/search?q=zebra&cursor=-1", "/api/v1/search?q=zebra&cursor=99999999")) {
      Api.Response r = api.get(path, ada);
      assertEquals(400, r.status(), path + ": " + r.body());
      assertEquals("bad_request", r.errorCode(), path);
    }
    Api.Response anonymous = api.get("/api/v1/search?q=zebra", null);
    assertEquals(401, anonymous.status());
    assertEquals("unauthorized", anonymous.errorCode());
    assertTrue(meetings(hits(ada, "kubernetes")).contains(planning), "the tables are still there");
  }

  @Test
  @DisplayName("pages: limit and nextCursor give every hit once")
  void paging() {
    Set<String> all = new HashSet<>();
    JsonArray every = hits(ada, "kubernetes OR zebra");
    every.forEach(h -> all.add(((JsonObject) h).encode()));
    assertTrue(every.size() >= 4, every.encodePrettily());
    Set<String> paged = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response r = api.get("/api/v1/search?limit=2&q=" + URLEncoder.encode("kubernetes OR zebra", StandardCharsets.UTF_8)
        + (cursor == null ? "" : "&cursor=" + cursor), ada);
      assertEquals(200, r.status());
      JsonArray page = r.json().getJsonArray("items");
      assertTrue(page.size() <= 2);
      page.forEach(h -> assertTrue(paged.add(((JsonObject) h).encode()), "a hit shows twice"));
      cursor = r.json().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 20);
    assertNull(cursor);
    assertEquals(all, paged);
  }
}
