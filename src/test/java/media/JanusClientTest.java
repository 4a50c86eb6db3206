package media;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Poll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Janus managed by Parley: loopback API with a secret, the VideoRoom client, supervision")
class JanusClientTest {

  static Vertx vertx;
  static Context ctx;
  static JanusProcess janus;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("janus");
    vertx = Vertx.vertx();
    ctx = vertx.getOrCreateContext();
    janus = JanusSupport.start(vertx);
  }

  @AfterAll
  static void stop() {
    if (janus != null) {
      janus.stop();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Runs a Janus conversation on one event loop (the client is confined to its context) and waits for it. */
  static <T> T on(Supplier<Future<T>> op) {
    return JanusSupport.on(ctx, op);
  }

  static JanusClient connect(String secret) {
    return on(() -> JanusClient.connect(vertx, janus.url(), secret, 5000));
  }

  @Test
  @DisplayName("the API listens on 127.0.0.1 only, answers only requests with the secret, and offers only VideoRoom over WebSockets")
  void loopbackAndSecret() throws Exception {
    int port = Integer.parseInt(janus.url().substring(janus.url().lastIndexOf(':') + 1));
    List<String> listening = Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
      .map(String::trim).map(l -> l.split("\\s+"))
      .filter(f -> f[3].equals("0A") && Integer.parseInt(f[1].split(":")[1], 16) == port)
      .map(f -> f[1].split(":")[0]).toList();
    assertEquals(List.of("0100007F"), listening, "Janus's API socket is bound to 127.0.0.1 and nothing else");
    assertTrue(Files.readAllLines(Path.of("/proc/net/tcp6")).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
      .noneMatch(f -> f[3].equals("0A") && Integer.parseInt(f[1].split(":")[1], 16) == port), "and not on IPv6");

    JanusClient anonymous = connect(null);
    JanusException refused = assertThrows(JanusException.class, () -> on(() -> anonymous.createSession(25_000)));
    assertEquals(403, refused.code(), refused.getMessage());
    JanusClient wrong = connect("not-the-secret");
    assertEquals(403, assertThrows(JanusException.class, () -> on(() -> wrong.createSession(25_000))).code());
    on(anonymous::close);
    on(wrong::close);

    JanusClient client = connect(janus.apiSecret());
    JsonObject info = on(client::info);
    assertEquals(List.of("janus.plugin.videoroom"), List.copyOf(info.getJsonObject("plugins").fieldNames()), info.encode());
    assertEquals(List.of("janus.transport.websockets"), List.copyOf(info.getJsonObject("transports").fieldNames()));
    assertFalse(info.getBoolean("api_secret") == null || !info.getBoolean("api_secret"), "Janus says an API secret is set");
    on(client::close);
  }

  @Test
  @DisplayName("rooms need the admin key; a publisher joins with an SDP offer and gets an answer; moderate, kick and destroy work")
  void videoRoom() {
    JanusClient client = connect(janus.apiSecret());
    JanusSession session = on(() -> client.createSession(25_000));
    VideoRoom admin = on(() -> VideoRoom.attach(session));
    long room = 4242;
    VideoRoom.RoomSettings noKey = new VideoRoom.RoomSettings("t", "room-secret", null, 10, 512_000, 10, true, 50, 40, "vp8");
    assertEquals(429, assertThrows(JanusException.class, () -> on(() -> admin.create(room, noKey))).code(),
      "without the admin key Janus refuses to create a room (missing element)");
    VideoRoom.RoomSettings wrongKey = new VideoRoom.RoomSettings("t", "room-secret", "guess", 10, 512_000, 10, true, 50, 40, "vp8");
    assertEquals(433, assertThrows(JanusException.class, () -> on(() -> admin.create(room, wrongKey))).code(),
      "nor with a wrong one (unauthorized)");
    VideoRoom.RoomSettings settings = new VideoRoom.RoomSettings("t", "room-secret", janus.adminKey(), 10, 512_000, 10, true, 50, 40,
      "vp8");
    on(() -> admin.create(room, settings));
    assertTrue(on(() -> admin.exists(room)));

    VideoRoom publisher = on(() -> VideoRoom.attach(session));
    JanusReply joined = on(() -> publisher.joinPublisher(room, 77, "Ada"));
    assertEquals("joined", joined.data().getString("videoroom"), joined.data().encode());
    JanusReply published = on(() -> publisher.publish(new JsonObject().put("type", "offer").put("sdp", JanusSupport.publisherOffer()),
      null));
    assertEquals("answer", published.jsep().getString("type"), "Janus answers the offer");
    assertTrue(published.jsep().getString("sdp").contains("a=candidate:"), "with its own candidates (half trickle)");
    assertTrue(published.jsep().getString("sdp").contains("127.0.0.1"), "rewritten to the configured 1:1 NAT address");

    JsonArray participants = on(() -> admin.listParticipants(room));
    assertEquals(77L, participants.getJsonObject(0).getLong("id"));
    on(() -> admin.moderate(room, "room-secret", 77, "0", true));
    assertEquals(433, assertThrows(JanusException.class, () -> on(() -> admin.kick(room, "wrong", 77))).code(),
      "kick needs the room's secret");
    on(() -> admin.kick(room, "room-secret", 77));
    Poll.until(() -> on(() -> admin.listParticipants(room)).isEmpty(), "the kicked publisher leaves the room");

    on(() -> admin.destroy(room, "room-secret"));
    assertFalse(on(() -> admin.exists(room)));
    VideoRoom late = on(() -> VideoRoom.attach(session));
    assertEquals(JanusException.NO_SUCH_ROOM, assertThrows(JanusException.class,
      () -> on(() -> late.joinPublisher(room, 78, "Ben"))).code());
    on(session::destroy);
    on(client::close);
  }

  @Test
  @DisplayName("killed, Janus is started again by itself with new secrets; the old secret no longer works")
  void supervised() {
    JanusClient client = connect(janus.apiSecret());
    String oldSecret = janus.apiSecret();
    long oldPid = janus.pid();
    int restarts = janus.restarts();
    ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
    assertTrue(client.closed().await().length() > 0, "the open API connection sees Janus go");
    Poll.until(Duration.ofSeconds(30), () -> janus.available() && janus.pid() != oldPid, "Janus runs again");
    assertEquals(restarts + 1, janus.restarts());
    assertNotEquals(oldSecret, janus.apiSecret(), "a new API secret at every start");
    assertEquals(Long.toString(janus.pid()), readPid(), "the pid file names the new process");
    JanusClient stale = connect(oldSecret);
    assertEquals(403, assertThrows(JanusException.class, () -> on(() -> stale.createSession(25_000))).code());
    on(stale::close);
    JanusClient fresh = connect(janus.apiSecret());
    JanusSession session = on(() -> fresh.createSession(25_000));
    assertTrue(session.id() > 0);
    on(fresh::close);
  }

  private static String readPid() {
    try {
      return Files.readString(janus.folder().resolve("janus.pid")).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("the generated configuration is owner-only and holds the run's secrets")
  void configFiles() throws Exception {
    Path main = janus.folder().resolve("janus.jcfg");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(main)));
    String text = Files.readString(main);
    assertTrue(text.contains("api_secret = \"" + janus.apiSecret() + "\""));
    assertTrue(text.contains("libjanus_http.so"), "the HTTP transport is disabled");
    String ws = Files.readString(janus.folder().resolve("janus.transport.websockets.jcfg"));
    assertTrue(ws.contains("ws_ip = \"127.0.0.1\"") && ws.contains("admin_ws = false"), ws);
  }
}
