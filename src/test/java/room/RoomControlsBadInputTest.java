package room;

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
import support.MeetingSocket;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every control of the room refused for participants (403), other tenants (404) and callers
 * without a token (401), over REST and the bridge; unknown and impossible user ids 404; malformed
 * bodies 400/413/415; the knock flood and a full lobby 429; reactions limited. Each refusal is
 * checked to have changed nothing (re-read: the audit log, the meeting, the participants).
 */
@DisplayName("The host's controls refuse participants, other tenants, unknown people, bad bodies and floods, and store nothing")
class RoomControlsBadInputTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String hostId;
  static String guest;
  static String guestId;
  static String stranger;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
      .put("lobby", new JsonObject().put("maxWaiting", 2).put("knocksPerMinute", 3))
      .put("reactions", new JsonObject().put("ratePerSecond", 0.01).put("burst", 3)));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("roombad");
    host = api.token("Hana Host", tenant);
    hostId = api.userId(host);
    guest = api.token("Gil Guest", tenant);
    guestId = api.userId(guest);
    stranger = api.token("Olga Other", TestServer.freshTenant("elsewhere"));
    meetingId = api.createMeeting(host, "Guarded room");
    assertEquals(200, api.join(host, meetingId).status());
    assertEquals(200, api.join(guest, meetingId).status());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  record Control(HttpMethod method, String path, JsonObject body) {
  }

  static List<Control> controls(String meetingId, String target) {
    String m = "/api/v1/meetings/" + meetingId;
    String p = m + "/participants/" + target;
    return List.of(
      new Control(HttpMethod.PATCH, m, new JsonObject().put("locked", true)),
      new Control(HttpMethod.GET, m + "/lobby", null),
      new Control(HttpMethod.POST, p + "/admit", null),
      new Control(HttpMethod.POST, p + "/deny", null),
      new Control(HttpMethod.POST, p + "/remove", null),
      new Control(HttpMethod.POST, p + "/mute", new JsonObject().put("audio", true)),
      new Control(HttpMethod.POST, p + "/role", new JsonObject().put("role", "cohost")),
      new Control(HttpMethod.POST, m + "/mute-all", new JsonObject().put("audio", true)),
      new Control(HttpMethod.GET, m + "/audit", null));
  }

  static Api.Response call(Control c, String token) {
    return api.send(c.method(), c.path(), token, c.body() == null ? null : c.body().toBuffer(),
      c.body() == null ? null : "application/json");
  }

  /** What the refusals must not have changed. */
  static String state() {
    JsonObject meeting = api.get("/api/v1/meetings/" + meetingId, host).json();
    JsonArray audit = api.get("/api/v1/meetings/" + meetingId + "/audit", host).array("items");
    return meeting.getBoolean("locked") + "|" + meeting.getBoolean("lobby") + "|" + meeting.getString("title") + "|"
      + meeting.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("userId") + ":"
        + ((JsonObject) p).getString("role") + ":" + (((JsonObject) p).getString("leftAt") == null)).sorted().toList()
      + "|audit " + audit.size();
  }

  @Test
  @DisplayName("a participant gets 403 from every control, another tenant 404, no token 401; nothing changes")
  void refusedForParticipantsAndOtherTenants() {
    String before = state();
    for (Control c : controls(meetingId, hostId)) {
      Api.Response byGuest = call(c, guest);
      assertEquals(403, byGuest.status(), c + " by a participant: " + byGuest.body());
      assertEquals("forbidden", byGuest.errorCode());
      Api.Response byStranger = call(c, stranger);
      assertEquals(404, byStranger.status(), c + " by another tenant: " + byStranger.body());
      assertEquals("not_found", byStranger.errorCode());
      Api.Response anonymous = call(c, null);
      assertEquals(401, anonymous.status(), c + " without a token");
    }
    assertEquals(before, state(), "nothing changed");
  }

  @Test
  @DisplayName("unknown and impossible user ids are 404 for every person-scoped control; a malformed meeting id is 404")
  void unknownPeople() {
    String before = state();
    for (String target : List.of("no-such-person", "x".repeat(201), "6b0b7c4e-0000-4000-8000-000000000000")) {
      for (Control c : controls(meetingId, target).stream().filter(c -> c.path().contains("/participants/")).toList()) {
        Api.Response r = call(c, host);
        assertEquals(404, r.status(), c + ": " + r.body());
        assertEquals("not_found", r.errorCode());
      }
    }
    for (Control c : controls("not-a-uuid", guestId)) {
      assertEquals(404, call(c, host).status(), c.toString());
    }
    assertEquals(before, state(), "nothing changed");
  }

  @Test
  @DisplayName("malformed bodies are 400 (413 for an over-long title, 415 for a body that is not JSON), and change nothing")
  void malformedBodies() {
    String before = state();
    String m = "/api/v1/meetings/" + meetingId;
    String p = m + "/participants/" + guestId;
    Object[][] cases = {
      {p + "/mute", new JsonObject(), 400},
      {p + "/mute", new JsonObject().put("audio", false).put("video", false), 400},
      {p + "/mute", new JsonObject().put("audio", "yes"), 400},
      {m + "/mute-all", new JsonObject().put("video", 1), 400},
      {p + "/role", new JsonObject(), 400},
      {p + "/role", new JsonObject().put("role", "host"), 400},
      {p + "/role", new JsonObject().put("role", List.of("cohost")), 400},
    };
    for (Object[] c : cases) {
      Api.Response r = api.post((String) c[0], host, (JsonObject) c[1]);
      assertEquals(c[2], r.status(), c[0] + " " + c[1] + ": " + r.body());
      assertEquals("bad_request", r.errorCode());
    }
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("locked", "yes"), new JsonObject().put("lobby", 1),
      new JsonObject().put("title", "   "), new JsonObject().put("title", 5))) {
      Api.Response r = api.patch(m, host, body);
      assertEquals(400, r.status(), body + ": " + r.body());
    }
    assertEquals(413, api.patch(m, host, new JsonObject().put("title", "t".repeat(201))).status());
    assertEquals(415, api.send(HttpMethod.PATCH, m, host, Buffer.buffer("locked=true"), "text/plain").status());
    assertEquals(400, api.send(HttpMethod.PATCH, m, host, Buffer.buffer("[true]"), "application/json").status());
    assertEquals(400, api.send(HttpMethod.POST, p + "/mute", host, Buffer.buffer("{\"audio\":"), "application/json").status());
    assertEquals(400, api.post("/api/v1/meetings", host, new JsonObject().put("title", "Bad").put("lobby", "on")).status());
    assertEquals(403, api.post(p + "/remove", guest, null).status(), "a participant is refused before anything else");
    assertEquals(400, api.post(m + "/participants/" + hostId + "/remove", host, null).status(), "removing yourself: leave instead");
    assertEquals(before, state(), "nothing changed");
  }

  @Test
  @DisplayName("knocking more than lobby.knocksPerMinute times is 429, a full lobby is 429, and neither adds anyone")
  void knockFlood() {
    String lobbyMeeting = api.post("/api/v1/meetings", host, new JsonObject().put("title", "Flooded").put("lobby", true))
      .json().getString("id");
    assertEquals(200, api.join(host, lobbyMeeting).status());
    MeetingSocket hostSocket = MeetingSocket.open(server.vertx(), server.port(), host, hostId, lobbyMeeting, "events");
    String knocker = api.token("Kim Knocker", tenant);
    String knockerId = api.userId(knocker);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(202, api.join(knocker, lobbyMeeting).status(), "knock " + (i + 1));
      }
      for (int i = 0; i < 5; i++) {
        Api.Response flood = api.join(knocker, lobbyMeeting);
        assertEquals(429, flood.status(), flood.body());
        assertEquals("rate_limited", flood.errorCode());
      }
      String path = "/api/v1/meetings/" + lobbyMeeting + "/lobby";
      assertEquals(List.of(knockerId), api.get(path, host).array("waiting").stream().map(w -> ((JsonObject) w).getString("userId")).toList());
      // the knocks heard: the three accepted ones, then a probe published after the refused ones
      server.vertx().eventBus().publish("meeting." + lobbyMeeting, new JsonObject().put("type", "probe"));
      Poll.until(() -> hostSocket.on("events").stream().anyMatch(e -> "probe".equals(e.getString("type"))), "the probe");
      assertEquals(3, hostSocket.on("events").stream().filter(e -> "knock".equals(e.getString("type"))).count(),
        "a refused knock does not reach the hosts");

      // lobby.maxWaiting is 2: a second person waits, a third is refused.
      assertEquals(202, api.join(api.token("Second Waiter", tenant), lobbyMeeting).status());
      String third = api.token("Third Waiter", tenant);
      Api.Response full = api.join(third, lobbyMeeting);
      assertEquals(429, full.status(), full.body());
      assertTrue(full.errorMessage().contains("lobby is full"), full.errorMessage());
      assertEquals(2, api.get(path, host).array("waiting").size(), "the third is not stored");
    } finally {
      hostSocket.close();
    }
  }

  @Test
  @DisplayName("over the bridge: no forged events, no internal control addresses, nobody else's lobby, other tenants 404; reactions checked and limited")
  void overTheBridge() {
    BridgeClient g = BridgeClient.connect(server.vertx(), server.port(), guest).await();
    BridgeClient s = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    try {
      String before = state();
      JsonObject fakeMute = new JsonObject().put("type", "mute").put("userId", hostId).put("audio", true).put("video", true);
      g.writeRaw(new JsonObject().put("type", "publish").put("address", "meeting." + meetingId).put("body", fakeMute).encode());
      for (String internal : List.of("parley.meeting.mute", "parley.meeting.remove", "parley.meeting.role", "parley.meeting.update",
        "parley.media.mute", "parley.bridge.revoke", "parley.audit.append")) {
        BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class, () -> g.request(internal,
          new JsonObject().put("meetingId", meetingId).put("userId", hostId).put("audio", true).put("role", "cohost"), null).await());
        assertEquals(403, refused.code, internal);
      }
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
        () -> g.registerExpectingRefusal("meeting." + meetingId + ".lobby." + hostId).await()).code, "somebody else's lobby");
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
        () -> g.registerExpectingRefusal("meeting." + meetingId + ".lobby." + guestId).await()).code, "not waiting");
      String strangerId = api.userId(stranger);
      assertEquals(404, assertThrows(BridgeClient.BridgeError.class,
        () -> s.registerExpectingRefusal("meeting." + meetingId + ".lobby." + strangerId).await()).code, "another tenant's meeting");
      assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> s.request("meeting.reaction",
        new JsonObject().put("meetingId", meetingId).put("emoji", "👍")).await()).code);
      assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> s.request("meeting.media",
        new JsonObject().put("meetingId", meetingId).put("audio", false).put("video", false)).await()).code);
      Poll.until(() -> g.generalErrors.toString().contains("clients may not publish"), "the publish is refused");
      assertEquals(before, state(), "nothing changed");

      // Reactions: the offered emoji only, sent by someone present, and at most the burst at once.
      assertEquals(400, assertThrows(BridgeClient.BridgeError.class, () -> g.request("meeting.reaction",
        new JsonObject().put("meetingId", meetingId).put("emoji", "<script>")).await()).code);
      assertEquals(400, assertThrows(BridgeClient.BridgeError.class, () -> g.request("meeting.media",
        new JsonObject().put("meetingId", meetingId).put("audio", "off").put("video", false)).await()).code);
      int accepted = 0;
      int limited = 0;
      for (int i = 0; i < 6; i++) {
        try {
          g.request("meeting.reaction", new JsonObject().put("meetingId", meetingId).put("emoji", "🎉")).await();
          accepted++;
        } catch (BridgeClient.BridgeError e) {
          assertEquals(429, e.code, e.getMessage());
          limited++;
        }
      }
      // the bad emoji above took one token of the burst of 3
      assertEquals(2, accepted);
      assertEquals(4, limited);
    } finally {
      g.close().otherwiseEmpty().await();
      s.close().otherwiseEmpty().await();
    }
  }
}
