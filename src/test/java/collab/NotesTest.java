package collab;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.MeetingSocket;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared notes against the real parts on both sides: the updates are made by the web client's
 * own vendored Automerge (its ESM and wasm, run under Node by {@code notes/automerge-tool.mjs}),
 * applied by the server's Automerge (Java bindings) and read back by the JavaScript one. Two people
 * typing at once keep both texts; the seq is gapless; a retry is harmless; a late joiner loads the
 * same text; the end writes notes.md. Bad updates, strangers and floods are refused and store nothing.
 */
@DisplayName("Shared notes: Automerge updates from JS merged in Java and back, gapless, replayed, notes.md at the end; bad input refused")
class NotesTest {

  static final Path VENDOR = Path.of("src/main/resources/webroot/js/vendor/automerge").toAbsolutePath();
  static final Path TOOL = Path.of("src/test/resources/notes/automerge-tool.mjs").toAbsolutePath();

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String ann;
  static String annId;
  static String ben;
  static String benId;
  static String stranger;

  @BeforeAll
  static void start() {
    boolean node;
    try {
      node = new ProcessBuilder("node", "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      node = false;
    }
    if (!node) {
      System.out.println("[notes] SKIPPED: node is not installed (the updates are made by the web client's Automerge under Node)");
    }
    Assumptions.assumeTrue(node, "node is needed");
    server = TestServer.start(new JsonObject().put("collab", new JsonObject().put("notes", new JsonObject()
      .put("maxUpdateBytes", 2048).put("maxTextLength", 400).put("updatesPerSecond", 0.01).put("updateBurst", 40))));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("notes");
    host = api.token("Hana Host", tenant);
    ann = api.token("Ann Author", tenant);
    annId = api.userId(ann);
    ben = api.token("Ben Writer", tenant);
    benId = api.userId(ben);
    stranger = api.token("Olga Other", TestServer.freshTenant("elsewhere"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      api.close();
      server.stop().await();
    }
  }

  static String meeting(String title, String... tokens) {
    return api.meetingWith(host, title, tokens);
  }

  /** Runs the web client's Automerge under Node (see automerge-tool.mjs). */
  static JsonObject automerge(JsonObject request) {
    try {
      Process p = new ProcessBuilder("node", TOOL.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      p.getOutputStream().write(request.copy().put("vendor", VENDOR.toString()).encode().getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node finished");
      assertEquals(0, p.exitValue(), out);
      return new JsonObject(out);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static JsonObject splice(int at, String insert) {
    return new JsonObject().put("at", at).put("insert", insert);
  }

  static JsonObject state(String meetingId, String token) {
    Api.Response r = api.get("/api/v1/meetings/" + meetingId + "/notes/state", token);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static JsonArray history(String meetingId, String token, long after) {
    Api.Response r = api.get("/api/v1/meetings/" + meetingId + "/notes?after=" + after, token);
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("updates");
  }

  static Future<JsonObject> send(BridgeClient socket, String meetingId, String clientId, String update) {
    return socket.request("notes.update", new JsonObject().put("meetingId", meetingId).put("clientId", clientId).put("update", update));
  }

  static int refused(BridgeClient socket, String meetingId, String clientId, Object update) {
    return assertThrows(BridgeClient.BridgeError.class, () -> socket.request("notes.update",
      new JsonObject().put("meetingId", meetingId).put("clientId", clientId).put("update", update)).await()).code;
  }

  @Test
  @DisplayName("two people type at once (JS Automerge): both texts survive in Java, gapless seq, live to both, a late joiner loads the same text, notes.md at the end")
  void twoTypeAtOnce() {
    String id = meeting("Two type", ann, ben);
    JsonObject start = state(id, ann);
    assertEquals(0L, start.getLong("seq"));
    assertEquals("", start.getString("text"));
    MeetingSocket a = MeetingSocket.open(server.vertx(), server.port(), ann, annId, id, "notes");
    MeetingSocket b = MeetingSocket.open(server.vertx(), server.port(), ben, benId, id, "notes");

    // both start from the same state and type at the same place at the same time
    JsonObject made = automerge(new JsonObject().put("state", start.getString("state"))
      .put("edits", new JsonArray().add(splice(0, "Ann: agenda first\n")).add(splice(0, "Ben: budget is due\n"))));
    String annUpdate = made.getJsonArray("changes").getString(0);
    String benUpdate = made.getJsonArray("changes").getString(1);
    List<Future<JsonObject>> sends = List.of(send(a.bridge, id, "ann-1", annUpdate), send(b.bridge, id, "ben-1", benUpdate));
    Future.all(sends).await();
    assertEquals(List.of(1L, 2L), sends.stream().map(f -> f.result().getLong("seq")).sorted().toList(), "one gapless seq for both");
    Poll.until(() -> a.on("notes").size() == 2 && b.on("notes").size() == 2, "both see both updates live");
    JsonObject live = a.on("notes").get(0);
    assertEquals("update", live.getString("kind"));
    assertTrue(List.of(annUpdate, benUpdate).contains(live.getString("update")), "the update is published as sent");
    assertTrue(List.of(annId, benId).contains(live.getString("senderId")));

    // Java merged them as JavaScript does: nobody's typing is lost
    String merged = made.getString("merged");
    assertTrue(merged.contains("Ann: agenda first\n") && merged.contains("Ben: budget is due\n"), merged);
    JsonObject late = state(id, host);
    assertEquals(2L, late.getLong("seq"));
    assertEquals(merged, late.getString("text"), "the server's Automerge holds the same text");

    // and back: the document Java saved loads in JavaScript, and Ben goes on typing on top of it
    JsonObject reread = automerge(new JsonObject().put("state", late.getString("state"))
      .put("edits", new JsonArray().add(splice(merged.length(), "Hana: thanks all"))));
    assertEquals(merged, reread.getString("text"), "JavaScript reads the document Java saved");
    assertEquals(3L, send(b.bridge, id, "ben-2", reread.getJsonArray("changes").getString(0)).await().getLong("seq"));
    String finalText = merged + "Hana: thanks all";
    assertEquals(finalText, state(id, ann).getString("text"));

    // replay: the first state plus every update after 0 gives the same text; after=2 gives the rest
    JsonArray all = history(id, host, 0);
    assertEquals(3, all.size());
    JsonArray updates = new JsonArray();
    all.forEach(u -> updates.add(((JsonObject) u).getString("update")));
    assertEquals(finalText, automerge(new JsonObject().put("state", start.getString("state")).put("apply", updates)).getString("text"));
    assertEquals(List.of(3L), history(id, host, 2).stream().map(u -> ((JsonObject) u).getLong("seq")).toList());
    JsonObject page = api.get("/api/v1/meetings/" + id + "/notes?after=0&limit=2", host).json();
    assertEquals(2L, page.getLong("lastSeq"));
    assertTrue(page.getBoolean("more"));

    // a retry (same clientId) is stored once and answers with the first seq
    JsonObject again = send(a.bridge, id, "ann-1", annUpdate).await();
    assertTrue(again.getBoolean("duplicate"));
    assertEquals(sends.get(0).result().getLong("seq"), again.getLong("seq"));
    assertEquals(3, history(id, host, 0).size());

    // the end writes the text as notes.md with the meeting's files
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    Poll.until(() -> api.get("/api/v1/meetings/" + id + "/files?kind=notes", ann).array("items").size() == 1,
      "notes.md is listed with the meeting's files");
    JsonObject file = api.get("/api/v1/meetings/" + id + "/files?kind=notes", ann).array("items").getJsonObject(0);
    assertEquals("notes.md", file.getString("name"));
    assertEquals("text/markdown", file.getString("contentType"));
    assertEquals(finalText + "\n", api.get("/api/v1/files/" + file.getString("id"), ben).body());
    assertEquals(finalText, state(id, ben).getString("text"), "the notes stay readable after the end");
    a.close();
    b.close();
  }

  @Test
  @DisplayName("refused and not stored: not base64 / not Automerge / nothing new (400), another object or key (400), too big (413), missing deps (400); strangers, 401/403/404, ended (409), floods (429)")
  void badInput() {
    String id = meeting("Guarded notes", ann);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    String base = state(id, ann).getString("state");
    JsonObject made = automerge(new JsonObject().put("state", base).put("edits", new JsonArray()
      .add(new JsonObject().put("replaceText", "a new text object"))
      .add(new JsonObject().put("setKey", "other"))
      .add(splice(0, "x".repeat(401)))));
    JsonArray bad = made.getJsonArray("changes");
    // two edits in a row, the second depending on the first
    JsonArray chain = automerge(new JsonObject().put("state", base).put("chain", true)
      .put("edits", new JsonArray().add(splice(0, "first ")).add(splice(6, "second")))).getJsonArray("changes");
    Object[][] cases = {
      {null, 400},
      {42, 400},
      {"", 400},
      {"not base64!", 400},
      {Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)), 400},
      {bad.getString(0), 400},
      {bad.getString(1), 400},
      {bad.getString(2), 413},
      {Base64.getEncoder().encodeToString(new byte[2049]), 413},
      {chain.getString(1), 400},
    };
    int n = 0;
    for (Object[] c : cases) {
      assertEquals(c[1], refused(a, id, "x" + n++, c[0]), String.valueOf(c[0]));
    }
    assertEquals(400, refused(a, id, "bad id!", chain.getString(0)));
    assertEquals(0, history(id, host, 0).size(), "nothing was stored");
    assertEquals("", state(id, host).getString("text"));

    // the good edits still go in after all that (in order), and a repeat of one in a new update adds nothing
    assertEquals(1L, send(a, id, "good-1", chain.getString(0)).await().getLong("seq"));
    assertEquals(2L, send(a, id, "good-2", chain.getString(1)).await().getLong("seq"));
    assertEquals(400, refused(a, id, "good-3", chain.getString(1)), "the same changes under a new clientId add nothing");
    assertEquals("first second", state(id, host).getString("text"));

    BridgeClient outsider = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    assertEquals(404, refused(outsider, id, "o1", chain.getString(0)));
    assertEquals(404, api.get("/api/v1/meetings/" + id + "/notes", stranger).status());
    assertEquals(404, api.get("/api/v1/meetings/" + id + "/notes/state", stranger).status());
    assertEquals(401, api.get("/api/v1/meetings/" + id + "/notes", null).status());
    assertEquals(401, api.get("/api/v1/meetings/" + id + "/notes/state", null).status());
    assertEquals(400, api.get("/api/v1/meetings/" + id + "/notes?after=-1", host).status());
    String notJoined = api.token("Nora Notjoined", tenant);
    assertEquals(403, api.get("/api/v1/meetings/" + id + "/notes/state", notJoined).status());
    BridgeClient stray = BridgeClient.connect(server.vertx(), server.port(), notJoined).await();
    assertEquals(403, refused(stray, id, "n1", chain.getString(0)));
    assertEquals(403, stray.registerExpectingRefusal("meeting." + id + ".notes").transform(ar ->
      Future.succeededFuture(ar.cause() instanceof BridgeClient.BridgeError e ? e.code : 0)).await());
    assertEquals(2, history(id, host, 0).size(), "strangers stored nothing");

    // 14 update frames so far on this socket; the burst is 40, refilled at 0.01/s
    List<String> more = new ArrayList<>();
    JsonArray edits = new JsonArray();
    for (int i = 0; i < 30; i++) {
      edits.add(splice(12 + i, "."));
    }
    automerge(new JsonObject().put("state", state(id, ann).getString("state")).put("chain", true).put("edits", edits))
      .getJsonArray("changes").forEach(c -> more.add((String) c));
    int limited = 0;
    for (int i = 0; i < more.size(); i++) {
      try {
        send(a, id, "dot-" + i, more.get(i)).await();
      } catch (BridgeClient.BridgeError e) {
        assertEquals(429, e.code);
        limited++;
      }
    }
    assertEquals(4, limited, "frames beyond the burst are refused");
    assertEquals(28, history(id, host, 0).size(), "only the accepted updates are stored");

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    BridgeClient after = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    assertEquals(409, refused(after, id, "e1", more.get(29)));
    assertEquals(28, history(id, host, 0).size(), "the history stays readable after the end, unchanged");
    a.close().await();
    outsider.close().await();
    stray.close().await();
    after.close().await();
  }
}
