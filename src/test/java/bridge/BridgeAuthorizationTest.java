package bridge;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Bridge authorisation: identity from the token, every REGISTER and SEND checked before any effect")
class BridgeAuthorizationTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String ann;
  static String ben;
  static String stranger;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("bridge", new JsonObject()
      .put("maxHandlersPerSocket", 4).put("maxFrameBytes", 8192)));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("bridge");
    ann = api.token("Ann", tenant);
    ben = api.token("Ben", tenant);
    stranger = api.token("Stranger", tenant);
    meetingId = api.createMeeting(ann, "Guarded");
    api.join(ann, meetingId);
    api.join(ben, meetingId);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  private static JsonObject chat(String text, String clientId) {
    return new JsonObject().put("meetingId", meetingId).put("text", text).put("clientId", clientId);
  }

  @Test
  @DisplayName("a socket without a token is refused with 401; a frame header 'authorization' signs it in")
  void tokenFromFrameHeader() {
    BridgeClient anon = BridgeClient.connect(server.vertx(), server.port(), null).await();
    assertEquals(401, assertThrows(BridgeClient.BridgeError.class,
      () -> anon.request("chat.send", chat("hi", "anon-1")).await()).code);
    JsonObject reply = anon.request("chat.send", chat("signed in by header", "hdr-1"),
      new JsonObject().put("authorization", "Bearer " + ann)).await();
    assertTrue(reply.getLong("seq") > 0);
    anon.request("presence.ping", new JsonObject().put("meetingId", meetingId)).await();
    anon.close().await();
  }

  @Test
  @DisplayName("frames written right behind the signing-in frame are answered, as the user it signed in")
  void framesBehindTheSignIn() {
    // The dev issuer's check completes at once; a check that must wait (an OIDC key to fetch) is
    // security.OidcAuthenticationTest's bridgeFramesWaitForAnAsyncSignIn.
    BridgeClient anon = BridgeClient.connect(server.vertx(), server.port(), null).await();
    // all three leave before the first one's token has been checked
    var first = anon.request("presence.ping", new JsonObject().put("meetingId", meetingId),
      new JsonObject().put("authorization", "Bearer " + ben));
    var second = anon.request("chat.send", chat("right behind the sign-in", "behind-1"));
    var third = anon.request("presence.ping", new JsonObject().put("meetingId", meetingId));
    first.await();
    JsonObject sent = second.await();
    third.await();
    assertTrue(sent.getLong("seq") > 0, sent.encode());
    JsonObject stored = api.get("/api/v1/meetings/" + meetingId + "/chat", ben).array("messages").stream().map(JsonObject.class::cast)
      .filter(m -> "behind-1".equals(m.getString("clientId"))).findFirst().orElseThrow();
    assertEquals(api.userId(ben), stored.getString("senderId"), "sent as the signed-in user: " + stored.encode());
    anon.close().await();
  }

  @Test
  @DisplayName("a refused sign-in (forged token) refuses the frames that waited for it with 401; another token on the same socket then signs in")
  void refusedSignIn() {
    BridgeClient anon = BridgeClient.connect(server.vertx(), server.port(), null).await();
    var forged = anon.request("presence.ping", new JsonObject().put("meetingId", meetingId),
      new JsonObject().put("authorization", "Bearer forged.token.here"));
    var waiting = anon.request("chat.send", chat("waits for a forged sign-in", "forged-1"));
    BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class, forged::await);
    assertEquals(401, refused.code);
    assertEquals(401, assertThrows(BridgeClient.BridgeError.class, waiting::await).code, "the frame behind it is refused too");
    assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat", ann).array("messages").stream().map(JsonObject.class::cast)
      .noneMatch(m -> "forged-1".equals(m.getString("clientId"))), "nothing was stored for the refused socket");
    JsonObject reply = anon.request("chat.send", chat("signed in at the second try", "forged-2"),
      new JsonObject().put("authorization", "Bearer " + ann)).await();
    assertTrue(reply.getLong("seq") > 0);
    anon.close().await();
  }

  @Test
  @DisplayName("an invalid token on the socket URL is refused at the handshake with 401")
  void badTokenAtHandshake() {
    UpgradeRejectedException refused = assertThrows(UpgradeRejectedException.class,
      () -> BridgeClient.connect(server.vertx(), server.port(), "forged.token.here").await());
    assertEquals(401, refused.getStatus(), "the upgrade is answered 401");
    JsonObject error = new JsonObject(refused.getBody()).getJsonObject("error");
    assertEquals("unauthorized", error.getString("code"), refused.getBody().toString());
  }

  @Test
  @DisplayName("someone who has not joined cannot register for or send to the meeting (403)")
  void notJoined() {
    BridgeClient s = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
      () -> s.registerExpectingRefusal("meeting." + meetingId + ".chat").await()).code);
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
      () -> s.request("presence.ping", new JsonObject().put("meetingId", meetingId)).await()).code);
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class, () -> s.request("signal.send",
      new JsonObject().put("meetingId", meetingId).put("to", api.userId(ann)).put("kind", "offer").put("data", "sdp")).await()).code);
    s.close().await();
  }

  @Test
  @DisplayName("nobody can register for another participant's signaling address")
  void othersSignaling() {
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
      () -> b.registerExpectingRefusal("meeting." + meetingId + ".signal." + api.userId(ann)).await()).code);
    b.close().await();
  }

  @Test
  @DisplayName("signaling reaches only its target, stamped with the real sender; an absent target is 404")
  void signalingDelivered() throws Exception {
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    String benId = api.userId(ben);
    b.register("meeting." + meetingId + ".signal." + benId, meetingId, inbox::add).await();
    a.request("signal.send", new JsonObject().put("meetingId", meetingId).put("to", benId).put("kind", "offer")
      .put("data", new JsonObject().put("sdp", "v=0")).put("from", "forged")).await();
    JsonObject signal = inbox.poll(5, TimeUnit.SECONDS);
    assertNotNull(signal);
    assertEquals(api.userId(ann), signal.getString("from"));
    assertEquals("offer", signal.getString("kind"));
    assertEquals(404, assertThrows(BridgeClient.BridgeError.class, () -> a.request("signal.send",
      new JsonObject().put("meetingId", meetingId).put("to", api.userId(stranger)).put("kind", "offer")).await()).code);
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class, () -> a.request("signal.send",
      new JsonObject().put("meetingId", meetingId).put("to", benId).put("kind", "launch")).await()).code);
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("a probe comes back to its sender only; a probe to someone else is 400 and reaches nobody")
  void probeGoesToOneself() throws Exception {
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    String annId = api.userId(ann);
    String benId = api.userId(ben);
    LinkedBlockingQueue<JsonObject> annInbox = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<JsonObject> benInbox = new LinkedBlockingQueue<>();
    a.register("meeting." + meetingId + ".signal." + annId, meetingId, annInbox::add).await();
    b.register("meeting." + meetingId + ".signal." + benId, meetingId, benInbox::add).await();
    BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class, () -> a.request("signal.send",
      new JsonObject().put("meetingId", meetingId).put("to", benId).put("kind", "probe").put("data", "p-1")).await());
    assertEquals(400, refused.code);
    a.request("signal.send", new JsonObject().put("meetingId", meetingId).put("to", annId).put("kind", "probe").put("data", "p-2")).await();
    JsonObject probe = annInbox.poll(5, TimeUnit.SECONDS);
    assertNotNull(probe, "the probe comes back");
    assertEquals("probe", probe.getString("kind"));
    assertEquals(annId, probe.getString("from"));
    assertEquals("p-2", probe.getValue("data"));
    assertNull(benInbox.poll(500, TimeUnit.MILLISECONDS), "the refused probe reached nobody");
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("clients cannot publish, nor reach internal addresses, nor exceed the handler cap")
  void deniedFrames() throws Exception {
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    a.writeRaw(new JsonObject().put("type", "publish").put("address", "chat.send").put("body", chat("pub", "p-1")).encode());
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class, () -> a.request("parley.meeting.create",
      new JsonObject().put("title", "sneaky").put("meetingId", meetingId), null).await()).code);
    a.writeRaw("{not json");
    a.register("meeting." + meetingId, meetingId, e -> { }).await();
    a.register("meeting." + meetingId + ".chat", meetingId, e -> { }).await();
    a.register("meeting." + meetingId + ".captions", meetingId, e -> { }).await();
    a.writeRaw(new JsonObject().put("type", "register").put("address", "meeting." + meetingId + ".signal." + api.userId(ann)).encode());
    // Four handlers now: one more pending reply is over the cap.
    a.writeRaw(new JsonObject().put("type", "send").put("address", "presence.ping")
      .put("body", new JsonObject().put("meetingId", meetingId)).put("replyAddress", "over-the-cap").encode());
    Poll.until(() -> a.generalErrors.toString().contains("max_handlers_reached"), "the handler cap is reported");
    String errors = a.generalErrors.toString();
    assertTrue(errors.contains("clients may not publish"), errors);
    assertTrue(errors.contains("invalid_json"), errors);
    assertTrue(errors.contains("max_handlers_reached"), errors);
    assertEquals(0, api.get("/api/v1/meetings?limit=100", ann).array("items").stream()
      .filter(m -> "sneaky".equals(((JsonObject) m).getString("title"))).count(), "nothing was created");
    assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", ann).array("messages").stream()
      .noneMatch(m -> "pub".equals(((JsonObject) m).getString("text"))), "the published chat had no effect");
    a.close().await();
  }

  @Test
  @DisplayName("a frame over the size limit is refused with 413 and stores nothing")
  void oversizedFrame() throws Exception {
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    String big = "z".repeat(20_000);
    BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", chat(big, "big-1")).await());
    assertEquals(413, refused.code, "an error frame with the contract's code, not a dropped socket or a timeout");
    assertTrue(refused.getMessage().contains("frame larger than 8192 bytes"), refused.getMessage());
    assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", ann).array("messages").stream()
      .noneMatch(m -> "big-1".equals(((JsonObject) m).getString("clientId"))));
    a.close().await();
  }
}
