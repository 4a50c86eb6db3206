package collab;

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

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whiteboard: operations from two people get one gapless seq, reach everyone live and replay
 * the same for someone who comes late; clientId makes a retry harmless; undo takes one's own latest
 * drawing; pointers are live but never stored; the meeting's end renders the board to SVG and PNG.
 * Bad operations, strangers and floods are refused and store nothing.
 */
@DisplayName("Whiteboard: gapless ops, replay, undo, pointers, SVG and PNG at the end; bad input refused")
class WhiteboardTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String hostId;
  static String ann;
  static String annId;
  static String ben;
  static String benId;
  static String stranger;
  static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("collab", new JsonObject().put("whiteboard", new JsonObject()
      .put("maxPoints", 50).put("maxTextLength", 20).put("opsPerSecond", 0.01).put("opBurst", 40))));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("board");
    host = api.token("Hana Host", tenant);
    hostId = api.userId(host);
    ann = api.token("Ann Artist", tenant);
    annId = api.userId(ann);
    ben = api.token("Ben Builder", tenant);
    benId = api.userId(ben);
    stranger = api.token("Olga Other", TestServer.freshTenant("elsewhere"));
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  static String meeting(String title, String... tokens) {
    return api.meetingWith(host, title, tokens);
  }

  static JsonObject stroke(String color, double... points) {
    JsonArray p = new JsonArray();
    for (double v : points) {
      p.add(v);
    }
    return new JsonObject().put("type", "stroke").put("points", p).put("color", color).put("width", 6);
  }

  static JsonObject draw(BridgeClient socket, String meetingId, JsonObject op) {
    return draw(socket, meetingId, op, "c" + CLIENT_IDS.incrementAndGet());
  }

  static JsonObject draw(BridgeClient socket, String meetingId, JsonObject op, String clientId) {
    return socket.request("whiteboard.draw", new JsonObject().put("meetingId", meetingId).put("clientId", clientId).put("op", op)).await();
  }

  static int refused(BridgeClient socket, String address, JsonObject body) {
    return assertThrows(BridgeClient.BridgeError.class, () -> socket.request(address, body).await()).code;
  }

  static JsonArray history(String meetingId, String token, long after) {
    Api.Response r = api.get("/api/v1/meetings/" + meetingId + "/whiteboard?after=" + after, token);
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("ops");
  }

  static List<Long> seqs(List<JsonObject> ops) {
    return ops.stream().map(o -> o.getLong("seq")).sorted().toList();
  }

  @Test
  @DisplayName("two people draw at once: one gapless seq, everyone sees every op live, a late joiner replays the same board")
  void twoDrawAndALateJoinerSeesTheSame() {
    String id = meeting("Two draw", ann, ben);
    MeetingSocket a = MeetingSocket.open(server.vertx(), server.port(), ann, annId, id, "whiteboard");
    MeetingSocket b = MeetingSocket.open(server.vertx(), server.port(), ben, benId, id, "whiteboard");
    List<io.vertx.core.Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sends.add(a.bridge.request("whiteboard.draw", new JsonObject().put("meetingId", id).put("clientId", "a" + i)
        .put("op", stroke("#ff0000", 10 + i, 10, 20 + i, 20))));
      sends.add(b.bridge.request("whiteboard.draw", new JsonObject().put("meetingId", id).put("clientId", "b" + i)
        .put("op", new JsonObject().put("type", "shape").put("shape", "rect").put("x1", 100 + i).put("y1", 100).put("x2", 200)
          .put("y2", 150).put("color", "#0000ff").put("width", 2))));
    }
    io.vertx.core.Future.all(sends).await();
    List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList();
    Poll.until(() -> a.on("whiteboard").size() == 20 && b.on("whiteboard").size() == 20, "both see all 20 ops live");
    assertEquals(expected, seqs(a.on("whiteboard")), "seq is gapless across two senders");
    assertEquals(expected, seqs(b.on("whiteboard")));
    assertTrue(a.on("whiteboard").stream().allMatch(o -> "op".equals(o.getString("kind")) && o.getValue("clientId") == null));

    // the host comes late and rebuilds the board from the replay
    JsonArray replay = history(id, host, 0);
    assertEquals(20, replay.size());
    List<JsonObject> live = new ArrayList<>(a.on("whiteboard"));
    live.sort(java.util.Comparator.comparing(o -> o.getLong("seq")));
    for (int i = 0; i < 20; i++) {
      assertEquals(live.get(i).getJsonObject("op"), replay.getJsonObject(i).getJsonObject("op"), "op " + (i + 1) + " replays as it was sent live");
    }
    JsonArray tail = history(id, host, 15);
    assertEquals(List.of(16L, 17L, 18L, 19L, 20L), tail.stream().map(o -> ((JsonObject) o).getLong("seq")).toList());
    JsonObject page = api.get("/api/v1/meetings/" + id + "/whiteboard?after=0&limit=5", host).json();
    assertEquals(5L, page.getLong("lastSeq"));
    assertTrue(page.getBoolean("more"));

    // a retried op (same clientId) is stored once
    JsonObject again = draw(a.bridge, id, stroke("#ff0000", 10, 10, 20, 20), "a0");
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(sends.get(0).result().getLong("seq"), again.getLong("seq"), "the retry answers with the first send's seq");
    assertEquals(20, history(id, host, 0).size());

    // pointers are live only
    b.bridge.request("whiteboard.pointer", new JsonObject().put("meetingId", id).put("x", 300).put("y", 200.25)).await();
    Poll.until(() -> a.on("whiteboard").stream().anyMatch(o -> "pointer".equals(o.getString("kind"))
      && benId.equals(o.getString("userId")) && o.getDouble("x") == 300 && o.getDouble("y") == 200.3), "Ann sees Ben's pointer");
    assertEquals(20, history(id, host, 0).size(), "pointers are not stored");
    a.close();
    b.close();
  }

  @Test
  @DisplayName("undo takes one's own latest drawing (not someone else's); clear is the host's; the end renders SVG and PNG without what was undone")
  void undoClearAndRender() {
    String id = meeting("Undo and render", ann, ben);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    BridgeClient h = BridgeClient.connect(server.vertx(), server.port(), host).await();
    long first = draw(a, id, stroke("#ff0000", 100, 100, 300, 100)).getLong("seq");
    long second = draw(a, id, stroke("#00ff00", 100, 400, 300, 400)).getLong("seq");
    draw(b, id, new JsonObject().put("type", "shape").put("shape", "ellipse").put("x1", 800).put("y1", 400).put("x2", 1000)
      .put("y2", 600).put("color", "#0000ff").put("width", 4).put("fill", "#0000ff"));
    JsonObject undo = draw(a, id, new JsonObject().put("type", "undo"));
    assertEquals(second, undo.getJsonObject("op").getLong("target"), "Ann's undo takes her latest stroke, not Ben's ellipse");
    draw(a, id, new JsonObject().put("type", "text").put("x", 600).put("y", 800).put("text", "Plan <A> & B").put("color", "#222222").put("size", 40));
    assertEquals(403, refused(a, "whiteboard.draw", new JsonObject().put("meetingId", id).put("clientId", "clr").put("op",
      new JsonObject().put("type", "clear"))), "only the host or a co-host clears");

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    Poll.until(() -> api.get("/api/v1/meetings/" + id + "/files?kind=whiteboard", ann).array("items").size() == 2,
      "the board is stored as SVG and PNG with the meeting's files");
    JsonArray files = api.get("/api/v1/meetings/" + id + "/files?kind=whiteboard", ann).array("items");
    String svgId = null;
    String pngId = null;
    for (Object o : files) {
      JsonObject f = (JsonObject) o;
      if (f.getString("name").equals("whiteboard.svg")) {
        svgId = f.getString("id");
        assertEquals("image/svg+xml", f.getString("contentType"));
      } else {
        assertEquals("whiteboard.png", f.getString("name"));
        pngId = f.getString("id");
      }
    }
    String svg = api.get("/api/v1/files/" + svgId, ann).body();
    assertTrue(svg.startsWith("<svg") && svg.contains("stroke=\"#ff0000\"") && svg.contains("<ellipse"), svg);
    assertFalse(svg.contains("#00ff00"), "the undone stroke is not drawn");
    assertTrue(svg.contains("Plan &lt;A&gt; &amp; B"), "text is escaped");

    BufferedImage png = pngBytes(pngId);
    assertEquals(1600, png.getWidth());
    assertEquals(900, png.getHeight());
    assertEquals(0xff0000, png.getRGB(200, 100) & 0xffffff, "the red stroke is drawn");
    assertEquals(0x0000ff, png.getRGB(900, 500) & 0xffffff, "the filled ellipse is drawn");
    assertEquals(0xffffff, png.getRGB(200, 400) & 0xffffff, "the undone stroke is not");
    assertEquals(0xffffff, png.getRGB(1500, 50) & 0xffffff, "the rest is white");
    assertTrue(first < second);
    a.close().await();
    b.close().await();
    h.close().await();
  }

  static BufferedImage pngBytes(String fileId) {
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(server.vertx());
    try {
      io.vertx.core.buffer.Buffer bytes = client.get(server.port(), "127.0.0.1", "/api/v1/files/" + fileId)
        .putHeader("Authorization", "Bearer " + ann).send().await().body();
      return ImageIO.read(new ByteArrayInputStream(bytes.getBytes()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("a clear by the host empties the board; undo with nothing of one's own left is 409")
  void clearAndNothingToUndo() {
    String id = meeting("Clear", ann);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient h = BridgeClient.connect(server.vertx(), server.port(), host).await();
    draw(a, id, stroke("#ff0000", 1, 1, 2, 2));
    draw(h, id, new JsonObject().put("type", "clear"));
    assertEquals(409, refused(a, "whiteboard.draw", new JsonObject().put("meetingId", id).put("clientId", "u1")
      .put("op", new JsonObject().put("type", "undo"))), "the clear took Ann's stroke; nothing of hers is left to undo");
    assertEquals(2, history(id, ann, 0).size());
    a.close().await();
    h.close().await();
  }

  @Test
  @DisplayName("refused: bad ops (400), too many points and long text (413), strangers (403/404), ended (409), floods (429); nothing stored")
  void badInput() {
    String id = meeting("Guarded board", ann);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    JsonObject base = new JsonObject().put("meetingId", id);
    double[] tooMany = new double[102];
    Object[][] cases = {
      {base.copy().put("clientId", "x1"), 400},
      {base.copy().put("clientId", "x2").put("op", "stroke"), 400},
      {base.copy().put("clientId", "x3").put("op", new JsonObject().put("type", "paint")), 400},
      {base.copy().put("clientId", "x4").put("op", stroke("red", 1, 1)), 400},
      {base.copy().put("clientId", "x5").put("op", stroke("#ff0000", 1, 1, 2)), 400},
      {base.copy().put("clientId", "x6").put("op", stroke("#ff0000", -1, 1)), 400},
      {base.copy().put("clientId", "x7").put("op", stroke("#ff0000", 1601, 1)), 400},
      {base.copy().put("clientId", "x8").put("op", stroke("#ff0000", 1, 1).put("width", 0)), 400},
      {base.copy().put("clientId", "x9").put("op", new JsonObject().put("type", "shape").put("shape", "star").put("x1", 1).put("y1", 1)
        .put("x2", 2).put("y2", 2).put("color", "#000000").put("width", 1)), 400},
      {base.copy().put("clientId", "x10").put("op", stroke("#ff0000", tooMany)), 413},
      {base.copy().put("clientId", "x11").put("op", new JsonObject().put("type", "text").put("x", 1).put("y", 1)
        .put("text", "t".repeat(21)).put("color", "#000000").put("size", 12)), 413},
      {base.copy().put("clientId", "bad id!").put("op", stroke("#ff0000", 1, 1)), 400},
      {base.copy().put("clientId", "x12").put("op", stroke("#ff0000", 1, 1).put("points", new JsonArray().add("1").add(2))), 400},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], refused(a, "whiteboard.draw", (JsonObject) c[0]), c[0].toString());
    }
    assertEquals(400, refused(a, "whiteboard.pointer", base.copy().put("x", "left").put("y", 1)));
    assertEquals(400, refused(a, "whiteboard.pointer", base.copy().put("x", 5000).put("y", 1)));
    assertEquals(0, history(id, host, 0).size(), "nothing was stored");

    BridgeClient outsider = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    assertEquals(404, refused(outsider, "whiteboard.draw", base.copy().put("clientId", "o1").put("op", stroke("#ff0000", 1, 1))));
    assertEquals(404, api.get("/api/v1/meetings/" + id + "/whiteboard", stranger).status());
    assertEquals(401, api.get("/api/v1/meetings/" + id + "/whiteboard", null).status());
    assertEquals(400, api.get("/api/v1/meetings/" + id + "/whiteboard?after=-1", host).status());
    String notJoined = api.token("Nora Notjoined", tenant);
    assertEquals(403, api.get("/api/v1/meetings/" + id + "/whiteboard", notJoined).status());
    BridgeClient n = BridgeClient.connect(server.vertx(), server.port(), notJoined).await();
    assertEquals(403, refused(n, "whiteboard.draw", base.copy().put("clientId", "n1").put("op", stroke("#ff0000", 1, 1))));
    assertEquals(403, refused(n, "whiteboard.pointer", base.copy().put("x", 1).put("y", 1)));
    assertEquals(403, n.registerExpectingRefusal("meeting." + id + ".whiteboard").transform(ar ->
      io.vertx.core.Future.succeededFuture(ar.cause() instanceof BridgeClient.BridgeError e ? e.code : 0)).await());

    // 13 draw frames so far on this socket (pointers have their own rate), the burst is 40 refilled at 0.01/s
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      try {
        draw(a, id, stroke("#123456", i, i));
      } catch (BridgeClient.BridgeError e) {
        assertEquals(429, e.code);
        limited++;
      }
    }
    assertEquals(3, limited, "frames beyond the burst are refused");
    assertEquals(27, history(id, host, 0).size(), "only the accepted ops are stored");

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    BridgeClient late = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    assertEquals(409, refused(late, "whiteboard.draw", base.copy().put("clientId", "e1").put("op", stroke("#ff0000", 1, 1))));
    assertEquals(27, history(id, host, 0).size(), "history stays readable after the end, unchanged");
    a.close().await();
    outsider.close().await();
    n.close().await();
    late.close().await();
  }
}
