package meeting;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.TestServer;
import verticles.Parley;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Meetings: create, list, read, join, leave and end")
class MeetingLifecycleTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static String guest;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("life");
    host = api.token("Hana Host", tenant);
    guest = api.token("Gus Guest", tenant);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("the creator is host; joining starts the meeting and records participants with join times")
  void createJoinAndRead() {
    Api.Response created = api.post("/api/v1/meetings", host, new JsonObject().put("title", "Design review")
      .put("scheduledAt", "2030-01-31T09:00:00Z"));
    assertEquals(201, created.status());
    JsonObject meeting = created.json();
    assertEquals("scheduled", meeting.getString("status"));
    assertEquals(api.userId(host), meeting.getString("hostId"));
    assertEquals("2030-01-31T09:00:00Z", meeting.getString("scheduledAt"));
    String id = meeting.getString("id");

    Api.Response joined = api.join(host, id);
    assertEquals(200, joined.status());
    assertEquals("host", joined.json().getString("role"));
    assertEquals("live", joined.json().getString("status"));
    assertNotNull(joined.json().getString("startedAt"));

    assertEquals("participant", api.join(guest, id).json().getString("role"));
    JsonObject read = api.get("/api/v1/meetings/" + id, guest).json();
    JsonArray participants = read.getJsonArray("participants");
    assertEquals(2, participants.size());
    for (Object p : participants) {
      JsonObject participant = (JsonObject) p;
      assertNotNull(participant.getString("joinedAt"));
      assertNull(participant.getString("leftAt"));
      assertEquals(1, participant.getJsonArray("visits").size());
    }
  }

  @Test
  @DisplayName("leaving records the leave time, and re-joining opens a second visit")
  void leaveAndRejoin() {
    String id = api.createMeeting(host, "Retro");
    api.join(host, id);
    api.join(guest, id);
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/leave", guest, null).status());
    JsonObject guestRow = participant(id, api.userId(guest));
    assertNotNull(guestRow.getString("leftAt"));

    assertEquals(409, api.post("/api/v1/meetings/" + id + "/leave", guest, null).status(), "cannot leave twice");
    api.join(guest, id);
    guestRow = participant(id, api.userId(guest));
    assertNull(guestRow.getString("leftAt"));
    assertEquals(2, guestRow.getJsonArray("visits").size());
  }

  @Test
  @DisplayName("only the host can end a meeting; an ended meeting cannot be joined or ended again")
  void onlyHostEnds() {
    String id = api.createMeeting(host, "Planning");
    api.join(host, id);
    api.join(guest, id);
    Api.Response byGuest = api.post("/api/v1/meetings/" + id + "/end", guest, null);
    assertEquals(403, byGuest.status());
    assertEquals("forbidden", byGuest.errorCode());

    Api.Response ended = api.post("/api/v1/meetings/" + id + "/end", host, null);
    assertEquals(200, ended.status());
    assertEquals("ended", ended.json().getString("status"));
    assertNotNull(ended.json().getString("endedAt"));
    ended.json().getJsonArray("participants").forEach(p -> assertNotNull(((JsonObject) p).getString("leftAt")));

    assertEquals(409, api.join(guest, id).status());
    assertEquals(409, api.post("/api/v1/meetings/" + id + "/end", host, null).status());
  }

  @Test
  @DisplayName("the list pages with a cursor, newest first, without repeats, and filters by status")
  void listPagesAndFilters() {
    String pager = api.token("Pat Pager", TestServer.freshTenant("pages"));
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(api.createMeeting(pager, "Meeting " + i));
    }
    String live = created.get(2);
    api.join(pager, live);

    Set<String> seen = new HashSet<>();
    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response page = api.get("/api/v1/meetings?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), pager);
      assertEquals(200, page.status());
      for (Object item : page.array("items")) {
        assertTrue(seen.add(((JsonObject) item).getString("id")), "no meeting is listed twice");
        listed.add(((JsonObject) item).getString("id"));
      }
      cursor = page.json().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(new HashSet<>(created), seen);
    assertEquals(3, pages);
    List<String> newestFirst = new ArrayList<>(created);
    Collections.reverse(newestFirst);
    assertEquals(newestFirst, listed, "newest first, across the pages");

    JsonArray liveOnly = api.get("/api/v1/meetings?status=live", pager).array("items");
    assertEquals(1, liveOnly.size());
    assertEquals(live, liveOnly.getJsonObject(0).getString("id"));
    assertEquals(1L, liveOnly.getJsonObject(0).getLong("participantsPresent"));
  }

  @Test
  @DisplayName("the participants endpoint shows who is present now")
  void participantsPresentNow() {
    String id = api.createMeeting(host, "Presence");
    api.join(host, id);
    api.join(guest, id);
    JsonArray present = api.get("/api/v1/meetings/" + id + "/participants", host).array("participants");
    assertEquals(2, present.size());
    api.post("/api/v1/meetings/" + id + "/leave", guest, null);
    present = api.get("/api/v1/meetings/" + id + "/participants", host).array("participants");
    assertEquals(1, present.size());
    assertEquals(api.userId(host), present.getJsonObject(0).getString("userId"));
  }

  private JsonObject participant(String meetingId, String userId) {
    for (Object p : api.get("/api/v1/meetings/" + meetingId, host).json().getJsonArray("participants")) {
      if (userId.equals(((JsonObject) p).getString("userId"))) {
        return (JsonObject) p;
      }
    }
    throw new AssertionError("no participant " + userId);
  }
}
