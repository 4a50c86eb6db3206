package room;

import io.vertx.core.eventbus.MessageConsumer;
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
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's control of the room over the public contract: the lobby (knock, wait, admit, deny),
 * removal (the open socket gets nothing more; joins refused until re-admitted), mute and mute-all
 * (the event, and the SFU's request on {@code parley.media.mute}), co-hosts, lock, settings, and the
 * audit log that records each of them.
 */
@DisplayName("The host's controls: lobby, admit and deny, remove, mute, co-host, lock, and the audit log")
class RoomControlsTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String hostId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("room");
    host = api.token("Hilda Host", tenant);
    hostId = api.userId(host);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  static String path(String meetingId, String rest) {
    return "/api/v1/meetings/" + meetingId + rest;
  }

  static String meeting(String title, boolean lobby, boolean locked) {
    Api.Response created = api.post("/api/v1/meetings", host, new JsonObject().put("title", title).put("lobby", lobby).put("locked", locked));
    assertEquals(201, created.status(), created.body());
    assertEquals(lobby, created.json().getBoolean("lobby"));
    assertEquals(locked, created.json().getBoolean("locked"));
    String id = created.json().getString("id");
    assertEquals(200, api.join(host, id).status());
    return id;
  }

  static List<String> actions(String meetingId) {
    Api.Response audit = api.get(path(meetingId, "/audit"), host);
    assertEquals(200, audit.status(), audit.body());
    return audit.array("items").stream().map(e -> ((JsonObject) e).getString("action")).toList();
  }

  @Test
  @DisplayName("with the lobby on, a guest waits (202), the hosts hear the knock, the guest hears 'admitted' and then joins")
  void lobbyKnockAndAdmit() {
    String id = meeting("Lobby", true, false);
    MeetingSocket hostSocket = MeetingSocket.open(server.vertx(), server.port(), host, hostId, id, "events");
    String guest = api.token("Gwen Guest", tenant);
    String guestId = api.userId(guest);
    try {
      Api.Response waiting = api.join(guest, id);
      assertEquals(202, waiting.status(), waiting.body());
      assertEquals("waiting", waiting.json().getString("status"));
      Poll.until(() -> hostSocket.on("events").stream().anyMatch(e -> "knock".equals(e.getString("type"))
        && guestId.equals(e.getString("userId")) && "Gwen Guest".equals(e.getString("name"))), "the host hears the knock");
      JsonArray lobby = api.get(path(id, "/lobby"), host).array("waiting");
      assertEquals(1, lobby.size());
      assertEquals(guestId, lobby.getJsonObject(0).getString("userId"));
      assertNotNull(lobby.getJsonObject(0).getString("requestedAt"));

      // While waiting: not a participant (no chat history, no registration for the meeting), but
      // the guest may listen on their own lobby address and no one else's.
      assertEquals(403, api.get(path(id, "/chat"), guest).status());
      BridgeClient guestBridge = BridgeClient.connect(server.vertx(), server.port(), guest).await();
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
        () -> guestBridge.registerExpectingRefusal("meeting." + id).await()).code);
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
        () -> guestBridge.registerExpectingRefusal("meeting." + id + ".lobby." + hostId).await()).code);
      List<JsonObject> answers = new CopyOnWriteArrayList<>();
      listenToLobby(guestBridge, "meeting." + id + ".lobby." + guestId, answers);

      Api.Response admitted = api.post(path(id, "/participants/" + guestId + "/admit"), host, null);
      assertEquals(200, admitted.status(), admitted.body());
      Poll.until(() -> answers.stream().anyMatch(a -> "admitted".equals(a.getString("type")) && hostId.equals(a.getString("by"))),
        "the guest hears 'admitted'");
      Api.Response joined = api.join(guest, id);
      assertEquals(200, joined.status(), joined.body());
      assertEquals("participant", joined.json().getString("role"));
      assertEquals(0, api.get(path(id, "/lobby"), host).array("waiting").size());
      assertEquals(List.of("admit"), actions(id));
      guestBridge.close().await();
    } finally {
      hostSocket.close();
    }
  }

  /** Registers for a lobby address, proving acceptance with a probe published there. */
  static void listenToLobby(BridgeClient bridge, String address, List<JsonObject> answers) {
    io.vertx.core.Future<Void> refusal = bridge.listen(address, answers::add);
    Poll.until(() -> {
      server.vertx().eventBus().publish(address, new JsonObject().put("type", "probe"));
      return refusal.failed() || answers.stream().anyMatch(a -> "probe".equals(a.getString("type")));
    }, "the lobby registration is in place");
    assertFalse(refusal.failed(), () -> "refused: " + refusal.cause());
  }

  @Test
  @DisplayName("a denied guest hears 'denied', stays out, and may knock again; the lobby keeps the first knock's place")
  void lobbyDeny() {
    String id = meeting("Denials", true, false);
    String first = api.token("Fay First", tenant);
    String second = api.token("Sid Second", tenant);
    String firstId = api.userId(first);
    String secondId = api.userId(second);
    assertEquals(202, api.join(first, id).status());
    assertEquals(202, api.join(second, id).status());
    assertEquals(202, api.join(first, id).status(), "a second knock");
    JsonArray lobby = api.get(path(id, "/lobby"), host).array("waiting");
    assertEquals(List.of(firstId, secondId), lobby.stream().map(p -> ((JsonObject) p).getString("userId")).toList(),
      "first come first, a second knock keeps its place");

    Api.Response denied = api.post(path(id, "/participants/" + firstId + "/deny"), host, null);
    assertEquals(200, denied.status(), denied.body());
    assertEquals(409, api.post(path(id, "/participants/" + firstId + "/deny"), host, null).status(), "not waiting any more");
    assertEquals(List.of(secondId), api.get(path(id, "/lobby"), host).array("waiting").stream()
      .map(p -> ((JsonObject) p).getString("userId")).toList());
    assertEquals(403, api.get(path(id, "/chat"), first).status(), "still out");
    assertEquals(202, api.join(first, id).status(), "knocks again");
    assertEquals(List.of("deny"), actions(id));
  }

  @Test
  @DisplayName("a removed participant hears 'removed', their open socket gets nothing more, and their join is 403 until a host admits them")
  void remove() {
    String id = meeting("Removal", false, false);
    String rita = api.token("Rita Removed", tenant);
    String ritaId = api.userId(rita);
    String carl = api.token("Carl Control", tenant);
    String carlId = api.userId(carl);
    assertEquals(200, api.join(rita, id).status());
    assertEquals(200, api.join(carl, id).status());
    MeetingSocket ritaSocket = MeetingSocket.open(server.vertx(), server.port(), rita, ritaId, id, "events", "chat", "captions", "signal");
    MeetingSocket carlSocket = MeetingSocket.open(server.vertx(), server.port(), carl, carlId, id, "events", "chat", "captions", "signal");
    BridgeClient hostBridge = BridgeClient.connect(server.vertx(), server.port(), host).await();
    try {
      Api.Response removed = api.post(path(id, "/participants/" + ritaId + "/remove"), host, null);
      assertEquals(200, removed.status(), removed.body());
      Poll.until(() -> ritaSocket.on("events").stream().anyMatch(e -> "removed".equals(e.getString("type"))
        && ritaId.equals(e.getString("userId")) && hostId.equals(e.getString("by"))), "Rita hears she was removed");
      MeetingSocket.awaitUncounted(server.vertx(), tenant, id, ritaId);

      String marker = "after-removal";
      server.vertx().eventBus().publish("meeting." + id, new JsonObject().put("type", "media").put("probe", marker));
      server.vertx().eventBus().publish("meeting." + id + ".captions", new JsonObject().put("text", marker).put("final", true));
      server.vertx().eventBus().publish("meeting." + id + ".signal." + ritaId, new JsonObject().put("probe", marker));
      server.vertx().eventBus().publish("meeting." + id + ".signal." + carlId, new JsonObject().put("probe", marker));
      hostBridge.request("chat.send", new JsonObject().put("meetingId", id).put("text", "chat " + marker).put("clientId", "rm-1")).await();
      assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> hostBridge.request("signal.send",
        new JsonObject().put("meetingId", id).put("to", ritaId).put("kind", "offer").put("data", "x")).await()).code,
        "signals to her are refused: she is not present");
      Poll.until(() -> carlSocket.carrying(marker).size() == 4, "Carl gets the event, caption, signal and chat probes");
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class, () -> ritaSocket.bridge.request("presence.ping",
        new JsonObject().put("meetingId", id)).await()).code);
      assertEquals(List.of(), ritaSocket.carrying(marker), "nothing reaches the removed person's socket");

      Api.Response again = api.join(rita, id);
      assertEquals(403, again.status(), again.body());
      assertEquals("forbidden", again.errorCode());
      assertTrue(api.get("/api/v1/meetings/" + id, host).json().getJsonArray("participants").stream()
        .map(JsonObject.class::cast).filter(p -> ritaId.equals(p.getString("userId"))).allMatch(p -> p.getString("leftAt") != null));

      assertEquals(200, api.post(path(id, "/participants/" + ritaId + "/admit"), host, null).status());
      assertEquals(200, api.join(rita, id).status(), "back in once a host admits her");
      assertEquals(List.of("remove", "admit"), actions(id));
    } finally {
      hostBridge.close().otherwiseEmpty().await();
      ritaSocket.close();
      carlSocket.close();
    }
  }

  @Test
  @DisplayName("mute publishes {type:mute} and asks the SFU through parley.media.mute; mute-all spares the hosts and co-hosts")
  void muteAndMuteAll() {
    String id = meeting("Muting", false, false);
    String mo = api.token("Mo Muted", tenant);
    String moId = api.userId(mo);
    String cy = api.token("Cy Cohost", tenant);
    String cyId = api.userId(cy);
    String pat = api.token("Pat Plain", tenant);
    String patId = api.userId(pat);
    for (String t : List.of(mo, cy, pat)) {
      assertEquals(200, api.join(t, id).status());
    }
    assertEquals(200, api.post(path(id, "/participants/" + cyId + "/role"), host, new JsonObject().put("role", "cohost")).status());
    List<JsonObject> sfu = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> media = server.vertx().eventBus().consumer("parley.media.mute", m -> sfu.add(m.body()));
    media.completion().await();
    MeetingSocket moSocket = MeetingSocket.open(server.vertx(), server.port(), mo, moId, id, "events");
    try {
      Api.Response muted = api.post(path(id, "/participants/" + moId + "/mute"), cy, new JsonObject().put("audio", true));
      assertEquals(200, muted.status(), muted.body());
      Poll.until(() -> moSocket.on("events").stream().anyMatch(e -> "mute".equals(e.getString("type")) && moId.equals(e.getString("userId"))
        && e.getBoolean("audio") && !e.getBoolean("video") && cyId.equals(e.getString("by"))), "Mo hears he is muted, by the co-host");
      Poll.until(() -> sfu.stream().anyMatch(m -> moId.equals(m.getString("userId")) && tenant.equals(m.getString("tenant"))
        && id.equals(m.getString("meetingId")) && m.getBoolean("audio")), "the SFU is asked to enforce it");

      Api.Response all = api.post(path(id, "/mute-all"), host, new JsonObject().put("audio", true).put("video", true));
      assertEquals(200, all.status(), all.body());
      assertEquals(java.util.Set.of(moId, patId), new java.util.HashSet<>(all.json().getJsonArray("muted").getList()),
        "everyone but the host and the co-host");
      Poll.until(() -> sfu.stream().filter(m -> m.getBoolean("video")).map(m -> m.getString("userId")).distinct().count() == 2,
        "one SFU request per person muted");
      assertTrue(sfu.stream().noneMatch(m -> cyId.equals(m.getString("userId")) || hostId.equals(m.getString("userId"))));
      assertEquals(List.of("role", "mute", "mute_all"), actions(id));
      JsonObject entry = api.get(path(id, "/audit"), host).array("items").getJsonObject(1);
      assertEquals(cyId, entry.getJsonObject("actor").getString("userId"));
      assertEquals(moId, entry.getJsonObject("target").getString("userId"));
      assertEquals(new JsonObject().put("audio", true).put("video", false), entry.getJsonObject("details"));
    } finally {
      media.unregister().await();
      moSocket.close();
    }
  }

  @Test
  @DisplayName("a co-host runs the lobby and mutes, but cannot end the meeting, change roles or remove another co-host; a co-host made participant loses it all")
  void cohost() {
    String id = meeting("Co-hosting", true, false);
    String cy = api.token("Cy Second", tenant);
    String cyId = api.userId(cy);
    String dee = api.token("Dee Other", tenant);
    String deeId = api.userId(dee);
    for (String t : List.of(cy, dee)) {
      assertEquals(202, api.join(t, id).status());
      assertEquals(200, api.post(path(id, "/participants/" + api.userId(t) + "/admit"), host, null).status());
      assertEquals(200, api.join(t, id).status());
    }
    Api.Response promoted = api.post(path(id, "/participants/" + cyId + "/role"), host, new JsonObject().put("role", "cohost"));
    assertEquals(200, promoted.status(), promoted.body());
    assertEquals("cohost", api.get("/api/v1/meetings/" + id, host).json().getJsonArray("participants").stream()
      .map(JsonObject.class::cast).filter(p -> cyId.equals(p.getString("userId"))).findFirst().orElseThrow().getString("role"));
    assertEquals(200, api.get(path(id, "/lobby"), cy).status());
    assertEquals(200, api.get(path(id, "/audit"), cy).status());
    assertEquals(403, api.post(path(id, "/end"), cy, null).status(), "ending stays the host's");
    assertEquals(403, api.post(path(id, "/participants/" + deeId + "/role"), cy, new JsonObject().put("role", "cohost")).status());
    assertEquals(200, api.post(path(id, "/participants/" + deeId + "/role"), host, new JsonObject().put("role", "cohost")).status());
    assertEquals(403, api.post(path(id, "/participants/" + deeId + "/remove"), cy, null).status(), "only the host removes a co-host");
    assertEquals(403, api.post(path(id, "/participants/" + hostId + "/remove"), cy, null).status(), "nobody removes the host");
    assertEquals(409, api.post(path(id, "/participants/" + hostId + "/role"), host, new JsonObject().put("role", "participant")).status());
    // A co-host comes back in without the lobby, even when the meeting is locked.
    assertEquals(200, api.post(path(id, "/leave"), cy, null).status());
    assertEquals(200, api.patch(path(id, ""), host, new JsonObject().put("locked", true)).status());
    assertEquals(200, api.join(cy, id).status());
    assertEquals(200, api.post(path(id, "/participants/" + cyId + "/role"), host, new JsonObject().put("role", "participant")).status());
    assertEquals(403, api.get(path(id, "/lobby"), cy).status(), "a participant again");
  }

  @Test
  @DisplayName("a locked meeting answers a new join with 423 and a clear message; those inside stay, and unlocking lets people in")
  void lock() {
    String id = meeting("Locked", false, false);
    String inside = api.token("Ian Inside", tenant);
    assertEquals(200, api.join(inside, id).status());
    Api.Response locked = api.patch(path(id, ""), host, new JsonObject().put("locked", true));
    assertEquals(200, locked.status(), locked.body());
    assertTrue(locked.json().getBoolean("locked"));
    String late = api.token("Lou Late", tenant);
    Api.Response refused = api.join(late, id);
    assertEquals(423, refused.status(), refused.body());
    assertEquals("locked", refused.errorCode());
    assertTrue(refused.errorMessage().contains("locked"), refused.errorMessage());
    assertEquals(200, api.join(inside, id).status(), "someone inside re-joining (a reload) is not a new arrival");
    assertFalse(api.get("/api/v1/meetings/" + id, host).json().getJsonArray("participants").stream()
      .anyMatch(p -> "Lou Late".equals(((JsonObject) p).getString("name"))), "nothing stored for the refused join");
    assertEquals(200, api.patch(path(id, ""), host, new JsonObject().put("locked", false)).status());
    assertEquals(200, api.join(late, id).status());
    assertEquals(List.of("lock", "unlock"), actions(id));
  }

  @Test
  @DisplayName("PATCH changes the title and lobby (everyone hears 'settings'); switching the lobby off lets in whoever waits")
  void settings() {
    String id = meeting("Old title", true, false);
    MeetingSocket hostSocket = MeetingSocket.open(server.vertx(), server.port(), host, hostId, id, "events");
    String waiter = api.token("Wally Waiter", tenant);
    String waiterId = api.userId(waiter);
    try {
      assertEquals(202, api.join(waiter, id).status());
      Api.Response changed = api.patch(path(id, ""), host, new JsonObject().put("title", "  New title ").put("lobby", false));
      assertEquals(200, changed.status(), changed.body());
      assertEquals("New title", changed.json().getString("title"));
      assertFalse(changed.json().getBoolean("lobby"));
      Poll.until(() -> hostSocket.on("events").stream().anyMatch(e -> "settings".equals(e.getString("type"))
        && "New title".equals(e.getString("title")) && !e.getBoolean("lobby")), "the settings event");
      Poll.until(() -> hostSocket.on("events").stream().anyMatch(e -> "admitted".equals(e.getString("type"))
        && waiterId.equals(e.getString("userId"))), "whoever waited is admitted");
      assertEquals(200, api.join(waiter, id).status());
      assertEquals("New title", api.get("/api/v1/meetings/" + id, host).json().getString("title"));
      assertEquals(List.of("lobby_off", "retitle", "admit"), actions(id));
    } finally {
      hostSocket.close();
    }
  }

  @Test
  @DisplayName("the audit log records the end, is readable by a tenant admin after it, and the database refuses to change it")
  void auditLog() {
    String id = meeting("Audited", false, false);
    String guest = api.token("Gus Audited", tenant);
    assertEquals(200, api.join(guest, id).status());
    assertEquals(200, api.post(path(id, "/participants/" + api.userId(guest) + "/mute"), host, new JsonObject().put("video", true)).status());
    // A recording started and stopped by the guest is recorded too (by the collaboration service).
    Api.Response started = api.post(path(id, "/recordings/chunked"), guest, new JsonObject().put("contentType", "video/webm"));
    assertEquals(201, started.status(), started.body());
    String rid = started.json().getString("id");
    io.vertx.core.buffer.Buffer webm = io.vertx.core.buffer.Buffer.buffer(new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3,
      (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81, 0x01, 0x42, (byte) 0xF7, (byte) 0x81, 0x01, 0x42, (byte) 0xF2, (byte) 0x81,
      0x04, 0x42, (byte) 0xF3, (byte) 0x81, 0x08, 0x42, (byte) 0x82, (byte) 0x84}).appendString("webm")
      .appendBytes(new byte[]{0x42, (byte) 0x87, (byte) 0x81, 0x04, 0x18, 0x53, (byte) 0x80, 0x67}).appendBytes(new byte[512]);
    assertEquals(200, api.send(io.vertx.core.http.HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", guest,
      webm, "video/webm").status());
    assertEquals(200, api.post("/api/v1/recordings/" + rid + "/complete", guest, null).status());
    Poll.until(() -> actions(id).equals(List.of("mute", "recording_start", "recording_stop")), "the recording's start and stop are audited");
    assertEquals(200, api.post(path(id, "/end"), host, null).status());
    String admin = api.token("Ada Admin", tenant, "admin");
    Api.Response audit = api.get(path(id, "/audit") + "?limit=3", admin);
    assertEquals(200, audit.status(), audit.body());
    assertEquals(3, audit.array("items").size());
    assertEquals("mute", audit.array("items").getJsonObject(0).getString("action"));
    assertEquals(rid, audit.array("items").getJsonObject(2).getJsonObject("details").getString("recordingId"));
    long next = audit.json().getLong("next");
    Api.Response rest = api.get(path(id, "/audit") + "?after=" + next, admin);
    assertEquals(List.of("end"), rest.array("items").stream().map(e -> ((JsonObject) e).getString("action")).toList());
    org.junit.jupiter.api.Assertions.assertNull(rest.json().getValue("next"));
    assertNotNull(rest.array("items").getJsonObject(0).getString("at"));
    assertEquals(403, api.get(path(id, "/audit"), guest).status(), "a participant cannot read it");

    // Append-only, enforced by PostgreSQL itself.
    io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
      .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(support.TestInfra.dbUrl())).using(server.vertx()).build();
    try {
      for (String sql : List.of("UPDATE meeting_audit SET action = 'nothing' WHERE meeting_id = '" + id + "'",
        "DELETE FROM meeting_audit WHERE meeting_id = '" + id + "'")) {
        Exception refused = assertThrows(Exception.class, () -> pool.query(sql).execute().await());
        assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
      }
    } finally {
      pool.close().await();
    }
    assertEquals(List.of("mute", "recording_start", "recording_stop", "end"), actions(id));
  }

  @Test
  @DisplayName("reactions reach everyone; hands come in the order raised; microphone and camera state is in presence")
  void reactionsHandsAndMediaState() {
    String id = meeting("People list", false, false);
    String ann = api.token("Ann Early", tenant);
    String bob = api.token("Bob Later", tenant);
    String annId = api.userId(ann);
    String bobId = api.userId(bob);
    assertEquals(200, api.join(ann, id).status());
    assertEquals(200, api.join(bob, id).status());
    MeetingSocket watcher = MeetingSocket.open(server.vertx(), server.port(), host, hostId, id, "events");
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), bob).await();
    try {
      a.request("meeting.reaction", new JsonObject().put("meetingId", id).put("emoji", "👏")).await();
      Poll.until(() -> watcher.on("events").stream().anyMatch(e -> "reaction".equals(e.getString("type"))
        && annId.equals(e.getString("userId")) && "👏".equals(e.getString("emoji")) && "Ann Early".equals(e.getString("name"))),
        "everyone sees Ann's reaction");

      // Bob raises first, then Ann; Bob lowers and raises again: he goes to the back of the queue.
      b.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", true)).await();
      Poll.until(() -> watcher.on("events").stream().anyMatch(e -> "hand".equals(e.getString("type"))), "the first hand");
      a.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", true)).await();
      b.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", false)).await();
      b.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", true)).await();
      a.request("meeting.media", new JsonObject().put("meetingId", id).put("audio", false).put("video", true)).await();
      JsonArray present = b.request("presence.ping", new JsonObject().put("meetingId", id)).await().getJsonArray("participants");
      List<String> hands = present.stream().map(JsonObject.class::cast).filter(p -> p.getBoolean("handRaised"))
        .sorted(java.util.Comparator.comparing(p -> java.time.Instant.parse(p.getString("handRaisedAt")))).map(p -> p.getString("userId")).toList();
      assertEquals(List.of(annId, bobId), hands, "in the order raised: Ann, then Bob's second hand");
      JsonObject annNow = present.stream().map(JsonObject.class::cast).filter(p -> annId.equals(p.getString("userId"))).findFirst().orElseThrow();
      assertEquals(false, annNow.getBoolean("audio"));
      assertEquals(true, annNow.getBoolean("video"));
      Poll.until(() -> watcher.on("events").stream().anyMatch(e -> "media".equals(e.getString("type")) && annId.equals(e.getString("userId"))
        && !e.getBoolean("audio") && e.getBoolean("video")), "everyone sees Ann's microphone go off");
    } finally {
      a.close().otherwiseEmpty().await();
      b.close().otherwiseEmpty().await();
      watcher.close();
    }
  }
}
