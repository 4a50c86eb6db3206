package collab;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestInfra;
import support.MeetingSocket;
import support.Poll;
import support.TestServer;
import verticles.Parley;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Polls: the host asks, three people vote over the bridge (one vote each, changeable), everyone
 * sees live counts, closing stops votes, an anonymous poll keeps no voter ids, and the meeting's
 * end exports the results. Refusals (participants creating, other tenants, bad options, bad
 * choices, other meetings' and closed polls, floods) store nothing.
 */
@DisplayName("Polls: one changeable vote per person, live counts, close, anonymous, export; bad input refused")
class PollsTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String hostId;
  static String[] voters = new String[3];
  static String[] voterIds = new String[3];
  static String stranger;
  static Pool pg;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("collab", new JsonObject()
      .put("polls", new JsonObject().put("maxOptions", 4).put("votesPerSecond", 0.01).put("voteBurst", 10))));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("polls");
    host = api.token("Hana Host", tenant);
    hostId = api.userId(host);
    for (int i = 0; i < 3; i++) {
      voters[i] = api.token("Voter " + i, tenant);
      voterIds[i] = api.userId(voters[i]);
    }
    stranger = api.token("Olga Other", TestServer.freshTenant("elsewhere"));
    pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestInfra.dbUrl())).using(server.vertx()).build();
  }

  /** The first column of every row, as text. */
  static List<String> query(String sql) {
    return pg.query(sql).execute().await().stream().map((Row r) -> String.valueOf(r.getValue(0))).toList();
  }

  @AfterAll
  static void stop() {
    api.close();
    pg.close().await();
    server.stop().await();
  }

  static String meetingWithEveryone(String title) {
    String id = api.createMeeting(host, title);
    assertEquals(200, api.join(host, id).status());
    for (String v : voters) {
      assertEquals(200, api.join(v, id).status());
    }
    return id;
  }

  static JsonObject create(String meetingId, JsonObject body) {
    Api.Response r = api.post("/api/v1/meetings/" + meetingId + "/polls", host, body);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static JsonObject vote(BridgeClient socket, String meetingId, String pollId, Integer... choices) {
    return socket.request("poll.vote", new JsonObject().put("meetingId", meetingId).put("pollId", pollId)
      .put("choices", new JsonArray(List.of((Object[]) choices)))).await();
  }

  static int voteRefused(BridgeClient socket, JsonObject body) {
    return assertThrows(BridgeClient.BridgeError.class, () -> socket.request("poll.vote", body).await()).code;
  }

  static JsonObject get(String meetingId, String pollId, String token) {
    Api.Response r = api.get("/api/v1/meetings/" + meetingId + "/polls/" + pollId, token);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  @DisplayName("votes cast at once: each moves the poll's revision, and the announcement with the highest revision holds the final counts, whatever order they arrive in")
  void votesAtOnceAreOrderedByRevision() {
    String id = meetingWithEveryone("Poll voted on at once");
    MeetingSocket watcher = MeetingSocket.open(server.vertx(), server.port(), host, hostId, id, "events");
    BridgeClient[] sockets = new BridgeClient[3];
    for (int i = 0; i < 3; i++) {
      sockets[i] = BridgeClient.connect(server.vertx(), server.port(), voters[i]).await();
    }
    JsonObject poll = create(id, new JsonObject().put("question", "Ship on Friday?").put("options", new JsonArray().add("Yes").add("No")));
    String pid = poll.getString("id");
    assertEquals(0L, poll.getLong("revision"));
    for (int round = 0; round < 3; round++) { // 3 votes each: within the class's burst of 10
      List<io.vertx.core.Future<JsonObject>> votes = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int choice = (i + round) % 3 == 2 ? 1 : 0;
        votes.add(sockets[i].request("poll.vote", new JsonObject().put("meetingId", id).put("pollId", pid)
          .put("choices", new JsonArray().add(choice))));
      }
      io.vertx.core.Future.all(votes).await();
    }
    JsonObject finalPoll = get(id, pid, host);
    assertEquals(9L, finalPoll.getLong("revision"), "nine votes, nine revisions");
    Poll.until(() -> watcher.on("events").stream().filter(e -> "poll".equals(e.getString("type"))
      && pid.equals(e.getJsonObject("poll").getString("id"))).count() >= 10, "the poll and every vote were announced");
    List<JsonObject> events = watcher.on("events").stream().filter(e -> "poll".equals(e.getString("type"))
      && pid.equals(e.getJsonObject("poll").getString("id"))).map(e -> e.getJsonObject("poll")).toList();
    // (two announcements may share a revision: a read that ran after the next vote's commit)
    JsonObject newest = events.stream().max(java.util.Comparator.comparingLong(e -> e.getLong("revision"))).orElseThrow();
    assertEquals(9L, newest.getLong("revision"));
    assertEquals(finalPoll.getJsonArray("counts"), newest.getJsonArray("counts"), "the newest announcement is the final count");
    assertEquals(new JsonArray().add(2).add(1), finalPoll.getJsonArray("counts"));
    for (BridgeClient s : sockets) {
      s.close().await();
    }
    watcher.close();
  }

  @Test
  @DisplayName("three voters: live counts for everyone, a changed vote replaces the first, closing refuses votes, results exported")
  void threeVoters() {
    String id = meetingWithEveryone("Poll with three voters");
    MeetingSocket watcher = MeetingSocket.open(server.vertx(), server.port(), host, hostId, id, "events");
    BridgeClient[] sockets = new BridgeClient[3];
    for (int i = 0; i < 3; i++) {
      sockets[i] = BridgeClient.connect(server.vertx(), server.port(), voters[i]).await();
    }
    JsonObject poll = create(id, new JsonObject().put("question", "Lunch?").put("options", new JsonArray().add("Pizza").add("Soup").add("Salad")));
    String pid = poll.getString("id");
    assertEquals("open", poll.getString("status"));
    assertEquals(new JsonArray().add(0).add(0).add(0), poll.getJsonArray("counts"));

    assertEquals(new JsonArray().add(0), vote(sockets[0], id, pid, 0).getJsonArray("mine"));
    vote(sockets[1], id, pid, 0);
    vote(sockets[2], id, pid, 1);
    JsonObject changed = vote(sockets[1], id, pid, 2); // changes their mind
    assertEquals(new JsonArray().add(1).add(1).add(1), changed.getJsonArray("counts"));
    assertEquals(3L, changed.getLong("voters"), "a changed vote replaces the first one");

    Poll.until(() -> watcher.on("events").stream().anyMatch(e -> "poll".equals(e.getString("type"))
        && new JsonArray().add(1).add(1).add(1).equals(e.getJsonObject("poll").getJsonArray("counts"))),
      "the host sees the live counts");
    assertTrue(watcher.on("events").stream().filter(e -> "poll".equals(e.getString("type")))
      .allMatch(e -> e.getJsonObject("poll").getValue("mine") == null), "live events carry nobody's own choices");

    JsonObject asHost = get(id, pid, host);
    assertEquals(3, asHost.getJsonArray("votes").size(), "the host sees who chose what in a named poll");
    JsonObject asVoter = get(id, pid, voters[1]);
    assertEquals(new JsonArray().add(2), asVoter.getJsonArray("mine"));
    assertNull(asVoter.getValue("votes"), "a participant does not see others' choices");

    assertEquals(403, api.post("/api/v1/meetings/" + id + "/polls/" + pid + "/close", voters[0], null).status());
    Api.Response closed = api.post("/api/v1/meetings/" + id + "/polls/" + pid + "/close", host, null);
    assertEquals(200, closed.status(), closed.body());
    assertEquals("closed", closed.json().getString("status"));
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/polls/" + pid + "/close", host, null).status(), "closing again is harmless");
    assertEquals(409, voteRefused(sockets[0], new JsonObject().put("meetingId", id).put("pollId", pid)
      .put("choices", new JsonArray().add(1))));
    assertEquals(new JsonArray().add(1).add(1).add(1), get(id, pid, host).getJsonArray("counts"), "the refused vote changed nothing");
    Poll.until(() -> watcher.on("events").stream().anyMatch(e -> "poll".equals(e.getString("type"))
      && "closed".equals(e.getString("action"))), "everyone hears that it closed");

    JsonObject open = create(id, new JsonObject().put("question", "Again next week?").put("options", new JsonArray().add("Yes").add("No")));
    vote(sockets[0], id, open.getString("id"), 0);
    assertEquals(2, api.get("/api/v1/meetings/" + id + "/polls", voters[2]).array("items").size());
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    Poll.until(() -> api.get("/api/v1/meetings/" + id + "/files?kind=polls", host).array("items").size() == 1,
      "the results are exported with the meeting's files");
    JsonObject file = api.get("/api/v1/meetings/" + id + "/files?kind=polls", host).array("items").getJsonObject(0);
    assertEquals("polls.json", file.getString("name"));
    JsonObject exported = api.get("/api/v1/files/" + file.getString("id"), host).json();
    JsonArray polls = exported.getJsonArray("polls");
    assertEquals(2, polls.size());
    assertEquals(new JsonArray().add(1).add(1).add(1), polls.getJsonObject(0).getJsonArray("counts"));
    assertEquals("closed", polls.getJsonObject(1).getString("status"), "the meeting's end closed the open poll");
    assertEquals(1, polls.getJsonObject(1).getJsonArray("votes").size());
    for (BridgeClient s : sockets) {
      s.close().await();
    }
    watcher.close();
  }

  @Test
  @DisplayName("an anonymous poll counts one vote per person and stores no voter ids; multiple choice takes several")
  void anonymous() {
    String id = meetingWithEveryone("Anonymous poll");
    JsonObject poll = create(id, new JsonObject().put("question", "Which days suit you?").put("anonymous", true).put("multiple", true)
      .put("options", new JsonArray().add("Mon").add("Tue").add("Wed")));
    String pid = poll.getString("id");
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), voters[0]).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), voters[1]).await();
    vote(a, id, pid, 0, 2);
    vote(a, id, pid, 1, 2);
    JsonObject after = vote(b, id, pid, 2);
    assertEquals(new JsonArray().add(0).add(1).add(2), after.getJsonArray("counts"));
    assertEquals(2L, after.getLong("voters"));
    assertEquals(new JsonArray().add(2), after.getJsonArray("mine"), "a voter still sees their own choice while it is open");
    assertNull(get(id, pid, host).getValue("votes"), "nobody, not even the host, sees who chose what");

    List<String> stored = query("SELECT voter || ' ' || coalesce(voter_name, '-') FROM poll_votes WHERE poll_id = '" + pid + "'");
    assertEquals(2, stored.size());
    for (String row : stored) {
      for (int i = 0; i < 3; i++) {
        assertTrue(!row.contains(voterIds[i]) && !row.contains("Voter"), "no voter id or name is stored: " + row);
      }
    }
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/polls/" + pid + "/close", host, null).status());
    assertEquals(List.of("true"), query("SELECT (voter_salt IS NULL) FROM polls WHERE id = '" + pid + "'"),
      "closing erased the salt");
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("refused: participants creating or closing (403), other tenants (404), no token (401), bad questions and options; nothing stored")
  void badCreates() {
    String id = meetingWithEveryone("Guarded polls");
    String path = "/api/v1/meetings/" + id + "/polls";
    JsonObject good = new JsonObject().put("question", "Q?").put("options", new JsonArray().add("a").add("b"));
    assertEquals(403, api.post(path, voters[0], good).status());
    assertEquals("not_found", api.post(path, stranger, good).errorCode());
    assertEquals(404, api.get(path, stranger).status());
    assertEquals(401, api.post(path, null, good).status());
    Object[][] cases = {
      {new JsonObject().put("options", new JsonArray().add("a").add("b")), 400},
      {new JsonObject().put("question", "Q?"), 400},
      {good.copy().put("options", new JsonArray().add("only one")), 400},
      {good.copy().put("options", new JsonArray().add("a").add("b").add("c").add("d").add("e")), 400},
      {good.copy().put("options", new JsonArray().add("a").add("a")), 400},
      {good.copy().put("options", new JsonArray().add("a").add(3)), 400},
      {good.copy().put("options", new JsonArray().add("a").add("  ")), 400},
      {good.copy().put("anonymous", "yes"), 400},
      {good.copy().put("question", "q".repeat(301)), 413},
      {good.copy().put("options", new JsonArray().add("a").add("b".repeat(201))), 413},
    };
    for (Object[] c : cases) {
      Api.Response r = api.post(path, host, (JsonObject) c[0]);
      assertEquals(c[1], r.status(), c[0] + ": " + r.body());
    }
    assertEquals(415, api.send(HttpMethod.POST, path, host, io.vertx.core.buffer.Buffer.buffer("question=Q"), "text/plain").status());
    assertEquals(404, api.post("/api/v1/meetings/not-a-uuid/polls", host, good).status());
    assertEquals(0, api.get(path, host).array("items").size(), "nothing was stored");
    assertEquals(404, api.get(path + "/not-a-uuid", host).status());
    assertEquals(404, api.get(path + "/6b0b7c4e-0000-4000-8000-000000000000", host).status());
    assertEquals(404, api.post(path + "/6b0b7c4e-0000-4000-8000-000000000000/close", host, null).status());

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
    assertEquals(409, api.post(path, host, good).status(), "no polls in an ended meeting");
    assertEquals(0, api.get(path, host).array("items").size());
  }

  @Test
  @DisplayName("refused votes: bad choices (400), another meeting's poll and unknown polls (404), not present (403), floods (429); nothing counted")
  void badVotes() {
    String id = meetingWithEveryone("Votes refused");
    String other = meetingWithEveryone("The other meeting");
    String pid = create(id, new JsonObject().put("question", "One?").put("options", new JsonArray().add("a").add("b"))).getString("id");
    String otherPid = create(other, new JsonObject().put("question", "Two?").put("options", new JsonArray().add("a").add("b"))).getString("id");
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), voters[0]).await();
    JsonObject base = new JsonObject().put("meetingId", id).put("pollId", pid);
    Object[][] cases = {
      {base.copy().put("choices", new JsonArray()), 400},
      {base.copy().put("choices", new JsonArray().add(2)), 400},
      {base.copy().put("choices", new JsonArray().add(-1)), 400},
      {base.copy().put("choices", new JsonArray().add("0")), 400},
      {base.copy().put("choices", new JsonArray().add(0).add(1)), 400},
      {base.copy(), 400},
      {new JsonObject().put("meetingId", id).put("choices", new JsonArray().add(0)), 400},
      {base.copy().put("pollId", "nope").put("choices", new JsonArray().add(0)), 404},
      {base.copy().put("pollId", otherPid).put("choices", new JsonArray().add(0)), 404},
    };
    for (Object[] c : cases) {
      assertEquals(c[1], voteRefused(a, (JsonObject) c[0]), c[0].toString());
    }
    BridgeClient outsider = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    assertEquals(404, voteRefused(outsider, base.copy().put("choices", new JsonArray().add(0))), "another tenant's meeting");
    assertEquals(0L, get(id, pid, host).getLong("voters"), "nothing was counted");
    assertEquals(0L, get(other, otherPid, host).getLong("voters"), "nothing was counted in the other meeting");

    assertEquals(200, api.post("/api/v1/meetings/" + id + "/leave", voters[2], null).status());
    BridgeClient gone = BridgeClient.connect(server.vertx(), server.port(), voters[2]).await();
    assertEquals(403, voteRefused(gone, base.copy().put("choices", new JsonArray().add(0))), "someone who left");

    // the burst is 10 votes per socket, refilled at 0.01/s (the refused ones above count too: 9 on one socket)
    BridgeClient flood = BridgeClient.connect(server.vertx(), server.port(), voters[1]).await();
    int limited = 0;
    for (int i = 0; i < 12; i++) {
      try {
        vote(flood, id, pid, i % 2);
      } catch (BridgeClient.BridgeError e) {
        assertEquals(429, e.code);
        limited++;
      }
    }
    assertEquals(2, limited, "the 11th and 12th votes of one socket are refused");
    assertEquals(1L, get(id, pid, host).getLong("voters"), "one person, one vote");
    a.close().await();
    outsider.close().await();
    gone.close().await();
    flood.close().await();
  }
}
