package media;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media signaling through Parley into a real Janus (managed by the server), with a real Chromium
 * SDP offer: what reaches Janus, what is refused before it does, and what happens when Janus dies.
 * Two media instances, so requests are also forwarded to the room's owner. What Janus holds is
 * read from Janus itself ({@link JanusProbe}).
 */
@DisplayName("Media over the bridge into Janus: publish, checks before Janus, kick on leave, end, Janus down")
class MediaSignalingTest {

  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static Parley server;
  static Path dataDir;
  static Api api;
  static JanusProbe janus;
  static Redis redis;
  static String tenant;
  static String ada;
  static String ben;
  static String cy;
  static String dan;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("media");
    JsonObject config = TestServer.config(new JsonObject().put("media", TestServer.janusMedia())
      .put("verticles", new JsonObject().put("media", new JsonObject().put("instances", 2))));
    dataDir = Path.of(config.getJsonObject("data").getString("dir"));
    server = Parley.start(config, spans).await();
    api = new Api(server.vertx(), server.port());
    janus = new JanusProbe(server.vertx(), dataDir);
    redis = Redis.createClient(server.vertx(), TestInfra.redisUrl());
    tenant = TestServer.freshTenant("media");
    ada = api.token("Ada", tenant);
    ben = api.token("Ben", tenant);
    cy = api.token("Cy", tenant);
    dan = api.token("Dan", tenant);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      janus.close();
      redis.close();
      api.close();
      server.stop().await();
    }
  }

  static String meeting(String host, String... others) {
    String id = api.createMeeting(host, "Media");
    api.join(host, id);
    for (String other : others) {
      api.join(other, id);
    }
    return id;
  }

  static BridgeClient bridge(String token) {
    return BridgeClient.connect(server.vertx(), server.port(), token).await();
  }

  static JsonObject offer() {
    return new JsonObject().put("type", "offer").put("sdp", JanusSupport.publisherOffer());
  }

  static JsonObject publish(BridgeClient client, String meetingId, String kind) {
    return client.request("media.publish", new JsonObject().put("meetingId", meetingId).put("kind", kind).put("jsep", offer())).await();
  }

  static int refused(BridgeClient client, String address, JsonObject body) {
    return assertThrows(BridgeClient.BridgeError.class, () -> client.request(address, body).await()).code;
  }

  static Response placement(String meetingId) {
    return redis.send(Request.cmd(Command.HGETALL).arg("parley:{" + tenant + ":" + meetingId + "}:media")).await();
  }

  @Test
  @DisplayName("a publish gets Janus's answer; the meeting's room exists in Janus with that feed, placed in Redis; its secret never leaves the server")
  void publishReachesJanus() {
    String id = meeting(ada, ben);
    BridgeClient a = bridge(ada);
    JsonObject reply = publish(a, id, "camera");
    assertEquals("answer", reply.getJsonObject("jsep").getString("type"), reply.encode());
    assertTrue(reply.getJsonObject("jsep").getString("sdp").contains("a=candidate:"), "Janus's candidates are in its answer");
    assertTrue(reply.getString("connection").matches("[A-Za-z0-9_-]{16}"), reply.encode());
    long feedId = reply.getLong("feedId");

    JsonObject room = janus.roomOf(id);
    assertNotNull(room, "Janus holds a room for the meeting: " + janus.rooms());
    assertTrue(janus.participants(room.getLong("room")).contains(feedId), "Ada's feed is a participant of that room");
    Response placed = placement(id);
    assertEquals(String.valueOf(room.getLong("room")), placed.get("room").toString());
    assertEquals("managed", placed.get("server").toString());
    String secret = placed.get("secret").toString();
    assertFalse(reply.encode().contains(secret), "the room's secret is not in the reply");

    // Ben's requests may be handled by the other media instance: they reach the same room
    BridgeClient b = bridge(ben);
    JsonObject bens = publish(b, id, "camera");
    assertTrue(janus.participants(room.getLong("room")).contains(bens.getLong("feedId")));
    assertEquals(1, janus.rooms().stream().filter(r -> ("parley " + id).equals(r.getString("description"))).count(),
      "one room per meeting");
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("three people publishing and subscribing at the same moment into a new meeting all get through, into one room")
  void simultaneousFirstRequests() {
    String id = meeting(ada, ben, cy);
    List<BridgeClient> clients = List.of(bridge(ada), bridge(ben), bridge(cy));
    List<io.vertx.core.Future<JsonObject>> requests = new java.util.ArrayList<>();
    for (BridgeClient client : clients) {
      requests.add(client.request("media.publish", new JsonObject().put("meetingId", id).put("kind", "camera").put("jsep", offer())));
      requests.add(client.request("media.subscribe", new JsonObject().put("meetingId", id).put("restart", true)));
    }
    io.vertx.core.Future.join(requests).otherwiseEmpty().await();
    for (io.vertx.core.Future<JsonObject> request : requests) {
      assertTrue(request.succeeded(), "every first request succeeds: " + request.cause());
    }
    long roomId = janus.roomOf(id).getLong("room");
    assertEquals(1, janus.rooms().stream().filter(r -> ("parley " + id).equals(r.getString("description"))).count(),
      "one room for the meeting: " + janus.rooms());
    List<Long> feeds = List.of(requests.get(0).result().getLong("feedId"), requests.get(2).result().getLong("feedId"),
      requests.get(4).result().getLong("feedId"));
    assertTrue(janus.participants(roomId).containsAll(feeds), "the three feeds are in that room: " + janus.participants(roomId));
    clients.forEach(c -> c.close().await());
  }

  @Test
  @DisplayName("at most a camera and a screen per person: publishing a kind again replaces it, any other kind is 400")
  void cameraAndScreen() {
    String id = meeting(ada);
    BridgeClient a = bridge(ada);
    long camera = publish(a, id, "camera").getLong("feedId");
    long screen = publish(a, id, "screen").getLong("feedId");
    long roomId = janus.roomOf(id).getLong("room");
    assertTrue(janus.participants(roomId).containsAll(List.of(camera, screen)));
    assertEquals(400, refused(a, "media.publish", new JsonObject().put("meetingId", id).put("kind", "projector").put("jsep", offer())));
    long again = publish(a, id, "camera").getLong("feedId");
    Poll.until(() -> {
      List<Long> now = janus.participants(roomId);
      return now.contains(again) && now.contains(screen) && !now.contains(camera) && now.size() == 3;
    }, "Janus holds Ada's new camera and her screen (and the monitor), not the old camera " + camera + ": "
      + janus.participants(roomId) + " (new " + again + ", screen " + screen + ")");
    a.close().await();
  }

  @Test
  @DisplayName("malformed, oversized, unauthorised and cross-tenant requests are refused before anything reaches Janus")
  void refusedBeforeJanus() {
    String id = meeting(ada, ben);
    BridgeClient a = bridge(ada);
    String big = "v=0\r\n" + "a=x".repeat(9000);
    assertEquals(413, refused(a, "media.publish", new JsonObject().put("meetingId", id).put("kind", "camera")
      .put("jsep", new JsonObject().put("type", "offer").put("sdp", big))));
    assertEquals(400, refused(a, "media.publish", new JsonObject().put("meetingId", id).put("kind", "camera")
      .put("jsep", new JsonObject().put("type", "answer").put("sdp", JanusSupport.publisherOffer()))));
    assertEquals(400, refused(a, "media.publish", new JsonObject().put("meetingId", id).put("kind", "camera")
      .put("jsep", new JsonObject().put("type", "offer").put("sdp", "hello"))));
    assertEquals(400, refused(a, "media.publish", new JsonObject().put("meetingId", id).put("kind", "camera")));
    assertEquals(400, refused(a, "media.subscribe", new JsonObject().put("meetingId", id).put("feeds", "all")));
    assertEquals(400, refused(a, "media.trickle", new JsonObject().put("meetingId", id).put("connection", "x y")));
    assertEquals(400, refused(a, "media.configure", new JsonObject().put("meetingId", id).put("connection", "abc")
      .put("layers", new io.vertx.core.json.JsonArray().add(new JsonObject().put("feedId", 1).put("substream", 7)))));
    // someone who has not joined, and a member of another meeting
    BridgeClient c = bridge(cy);
    for (String address : List.of("media.publish", "media.subscribe", "media.answer", "media.trickle", "media.configure",
      "media.unpublish", "media.report")) {
      assertEquals(403, refused(c, address, new JsonObject().put("meetingId", id).put("kind", "camera").put("jsep", offer())),
        address + " from someone not in the meeting");
    }
    String other = meeting(dan);
    BridgeClient d = bridge(dan);
    assertEquals(403, refused(d, "media.publish", new JsonObject().put("meetingId", id).put("kind", "camera").put("jsep", offer())));
    // another tenant's meeting is not found
    String stranger = api.token("Eve", TestServer.freshTenant("other"));
    BridgeClient e = bridge(stranger);
    assertEquals(404, refused(e, "media.publish", new JsonObject().put("meetingId", other).put("kind", "camera").put("jsep", offer())));
    assertNull(janus.roomOf(id), "nothing of this meeting reached Janus");
    assertEquals(0, placement(id).size(), "and no room was placed");
    assertNull(janus.roomOf(other));
    for (BridgeClient client : List.of(a, c, d, e)) {
      client.close().await();
    }
  }

  @Test
  @DisplayName("feeds and connections are checked: forged, foreign and own feed ids are 404; another person's connection is 403")
  void feedsAndConnections() {
    String id = meeting(ada, ben);
    String other = meeting(dan);
    BridgeClient a = bridge(ada);
    BridgeClient b = bridge(ben);
    BridgeClient d = bridge(dan);
    JsonObject adas = publish(a, id, "camera");
    JsonObject dans = publish(d, other, "camera");
    long roomId = janus.roomOf(id).getLong("room");
    int before = janus.participants(roomId).size();
    JsonObject subscribe = new JsonObject().put("meetingId", id);
    assertEquals(404, refused(b, "media.subscribe", subscribe.copy().put("feeds", new io.vertx.core.json.JsonArray().add(123456789))),
      "a forged feed id");
    assertEquals(404, refused(b, "media.subscribe", subscribe.copy().put("feeds", new io.vertx.core.json.JsonArray()
      .add(dans.getLong("feedId")))), "a feed of another meeting");
    assertEquals(404, refused(a, "media.subscribe", subscribe.copy().put("feeds", new io.vertx.core.json.JsonArray()
      .add(adas.getLong("feedId")))), "one's own feed");
    JsonObject trickle = new JsonObject().put("meetingId", id).put("connection", adas.getString("connection"))
      .put("candidate", new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host").put("sdpMid", "0")
        .put("sdpMLineIndex", 0));
    assertEquals(403, refused(b, "media.trickle", trickle), "Ben trickling on Ada's connection");
    assertEquals(403, refused(b, "media.unpublish", new JsonObject().put("meetingId", id).put("connection", adas.getString("connection"))));
    assertEquals(403, refused(b, "media.configure", new JsonObject().put("meetingId", id).put("connection", adas.getString("connection"))
      .put("audio", false)));
    assertEquals(404, refused(b, "media.trickle", trickle.copy().put("connection", "unknownconnection")));
    assertEquals(404, refused(d, "media.trickle", trickle.copy().put("meetingId", other)), "Ada's connection named in another meeting");
    assertEquals(403, refused(b, "media.answer", new JsonObject().put("meetingId", id).put("connection", adas.getString("connection"))
      .put("jsep", new JsonObject().put("type", "answer").put("sdp", "v=0\r\n"))), "an answer on Ada's connection");
    assertEquals(before, janus.participants(roomId).size(), "none of it changed the room");
    // Ada's own trickle and switches are accepted
    a.request("media.trickle", trickle).await();
    a.request("media.trickle", new JsonObject().put("meetingId", id).put("connection", adas.getString("connection")).put("completed", true))
      .await();
    assertEquals(new JsonObject().put("audioModerated", false).put("videoModerated", false),
      a.request("media.configure", new JsonObject().put("meetingId", id).put("connection", adas.getString("connection"))
        .put("video", false)).await());
    // nothing is published yet (no media flowed): nothing to subscribe to, no connection made
    JsonObject nothing = b.request("media.subscribe", new JsonObject().put("meetingId", id)).await();
    assertTrue(nothing.getJsonArray("streams").isEmpty() && nothing.getValue("connection") == null, nothing.encode());
    for (BridgeClient client : List.of(a, b, d)) {
      client.close().await();
    }
  }

  @Test
  @DisplayName("someone who leaves, or whose access is revoked, is out of Janus's room at once; the end destroys the room")
  void leaveRevokeEnd() {
    String id = meeting(ada, ben, cy);
    BridgeClient a = bridge(ada);
    BridgeClient b = bridge(ben);
    BridgeClient c = bridge(cy);
    long adaFeed = publish(a, id, "camera").getLong("feedId");
    long benFeed = publish(b, id, "camera").getLong("feedId");
    long cyFeed = publish(c, id, "screen").getLong("feedId");
    long roomId = janus.roomOf(id).getLong("room");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    a.register("meeting." + id + ".media", id, events::add).await();
    assertTrue(a.generalErrors.isEmpty(), "the bridge accepts the registration: " + a.generalErrors);

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/leave", ben, null).status());
    Poll.until(Duration.ofSeconds(5), () -> !janus.participants(roomId).contains(benFeed), "Ben's feed is kicked out of the room");
    Poll.until(() -> events.stream().anyMatch(e -> "closed".equals(e.getString("type")) && api.userId(ben).equals(e.getString("userId"))),
      "the others hear that Ben's connection closed");

    server.vertx().eventBus().publish("parley.bridge.revoke", new JsonObject().put("tenant", tenant).put("meetingId", id)
      .put("userId", api.userId(cy)).put("reason", "removed"));
    Poll.until(Duration.ofSeconds(5), () -> !janus.participants(roomId).contains(cyFeed), "Cy's feed is kicked when revoked");
    assertTrue(janus.participants(roomId).contains(adaFeed), "Ada keeps hers");

    JsonObject enforced = server.vertx().eventBus().<JsonObject>request("parley.media.mute", new JsonObject().put("tenant", tenant)
      .put("meetingId", id).put("userId", api.userId(ada)).put("audio", true)).await().body();
    assertEquals(new JsonObject(), enforced, "the room's owner took the mute");

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", ada, null).status());
    Poll.until(Duration.ofSeconds(5), () -> janus.roomOf(id) == null, "the room is destroyed in Janus");
    Poll.until(() -> placement(id).size() == 0, "and its placement forgotten");
    for (BridgeClient client : List.of(a, b, c)) {
      client.close().await();
    }
  }

  @Test
  @DisplayName("a publish is traced: the bridge frame's span, the media.publish service span, and a media.join span under it")
  void traced() {
    String id = meeting(ada);
    BridgeClient a = bridge(ada);
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    a.request("media.publish", new JsonObject().put("meetingId", id).put("kind", "camera").put("jsep", offer()),
      new JsonObject().put("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")).await();
    Poll.until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("media.join") && s.getTraceId().equals(traceId)),
      "a media.join span in the frame's trace");
    List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    SpanData join = trace.stream().filter(s -> s.getName().equals("media.join")).findFirst().orElseThrow();
    SpanData parent = trace.stream().filter(s -> s.getSpanId().equals(join.getParentSpanId())).findFirst().orElseThrow(
      () -> new AssertionError("media.join's parent is in the trace: " + trace));
    assertEquals(io.opentelemetry.api.trace.SpanKind.SERVER, parent.getKind(), "its parent is a service span: " + names(trace));
    assertTrue(parent.getAttributes().asMap().values().stream().anyMatch(v -> "media.publish".equals(String.valueOf(v))),
      "the media.publish service span: " + parent.getAttributes());
    assertTrue(trace.stream().anyMatch(s -> s.getName().equals("bridge media.publish")), "under the gateway's frame span");
    a.close().await();
  }

  private static List<String> names(List<SpanData> trace) {
    return trace.stream().map(s -> s.getName() + "(" + s.getKind() + ")").toList();
  }

  @Test
  @DisplayName("Janus killed: requests answer 503 with a clear message, the pages are told to reset, and media works again once it is back")
  void janusDown() {
    String id = meeting(ada, ben);
    BridgeClient a = bridge(ada);
    BridgeClient b = bridge(ben);
    publish(a, id, "camera");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    b.register("meeting." + id + ".media", id, events::add).await();
    long pid = janus.pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Poll.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "Janus is gone");
    BridgeClient.BridgeError down = assertThrows(BridgeClient.BridgeError.class, () -> publish(b, id, "camera"));
    assertEquals(503, down.code, down.getMessage());
    assertTrue(down.getMessage().contains("media server") || down.getMessage().contains("moved"), down.getMessage());
    Poll.until(() -> events.stream().anyMatch(e -> "reset".equals(e.getString("type"))), "the pages are told to publish again");
    Poll.until(Duration.ofSeconds(30), () -> {
      try {
        return publish(b, id, "camera").getLong("feedId") > 0;
      } catch (BridgeClient.BridgeError notYet) {
        return false;
      }
    }, "publishing works again once Janus is back");
    assertNotNull(janus.roomOf(id), "in a new room");
    assertTrue(api.get("/health/ready", null).json().getJsonObject("checks").getJsonObject("media").getString("status").equals("up"));
    a.close().await();
    b.close().await();
  }
}
