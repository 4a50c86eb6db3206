package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Breakout rooms ({@link BreakoutSql}): each is a child meeting of the meeting it was opened from,
 * same tenant and host. Opening them moves the people sent there out of the main meeting (they join
 * the room from their page); closing ends the rooms, and those people come back.
 */
public final class BreakoutRepository {

  /** One room asked for: its name and who goes there (user ids of people in the meeting). */
  public record Plan(String name, List<String> userIds) {
  }

  /** A person moved: from the main meeting to {@code roomId}, or out of a room that closed. */
  public record Moved(String userId, String name, UUID roomId) {
  }

  /** What opening came to: the rooms (as {@link #list} shows them) and who was moved out of the main meeting. */
  public record Opened(JsonArray rooms, List<Moved> moved) {
  }

  /** A room that ended (its countdown was over, or its main meeting ended) and who was in it then. */
  public record Closed(UUID roomId, UUID parentId, String tenant, String title, String startedAt, String endedAt,
                       List<Moved> people) {
  }

  /** A room whose countdown started: it closes at {@code closesAt}. */
  public record Closing(UUID roomId, UUID parentId, String tenant, String closesAt) {
  }

  private final Db db;

  public BreakoutRepository(Db db) {
    this.db = db;
  }

  /**
   * Opens rooms in a live, non-breakout meeting with none open (409 otherwise): the rooms as
   * planned ({@code auto == 0}) or {@code auto} rooms with everyone present but the host and
   * co-hosts shared out in turn. Everyone named must be in the meeting now (400 naming those who
   * are not) and in one room only (400). The people sent to a room leave the main meeting.
   */
  public Future<Opened> open(Identity caller, UUID parentId, List<Plan> plans, int auto, Integer durationMinutes) {
    return db.write().withTransaction(conn -> MeetingRepository.lockMeeting(conn, caller.tenant(), parentId)
        .compose(parent -> {
          if (parent.getString("parentId") != null) {
            return Future.failedFuture(ParleyException.conflict("this is a breakout room: it cannot have breakout rooms of its own"));
          }
          if ("ended".equals(parent.getString("status"))) {
            return Future.failedFuture(ParleyException.conflict("meeting has ended"));
          }
          return conn.preparedQuery(BreakoutSql.COUNT_OPEN).execute(Tuple.of(parentId)).compose(count -> {
            if (count.iterator().next().getLong("n") > 0) {
              return Future.failedFuture(ParleyException.conflict("breakout rooms are open already: close them first"));
            }
            return conn.preparedQuery(BreakoutSql.PRESENT).execute(Tuple.of(parentId));
          }).compose(present -> {
            Map<String, String> names = new LinkedHashMap<>();
            List<String> assignable = new ArrayList<>();
            for (Row row : present) {
              names.put(row.getString("user_id"), row.getString("display_name"));
              if (!"host".equals(row.getString("role")) && !"cohost".equals(row.getString("role"))
                && !row.getString("user_id").equals(parent.getString("hostId"))) {
                assignable.add(row.getString("user_id"));
              }
            }
            List<Plan> rooms = auto > 0 ? shareOut(auto, assignable) : plans;
            checkNamed(rooms, names.keySet());
            return insertRooms(conn, caller, parent, rooms, names, durationMinutes);
          });
        }))
      .recover(PgErrors::translate);
  }

  private static List<Plan> shareOut(int count, List<String> people) {
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < people.size(); i++) {
      members.get(i % count).add(people.get(i));
    }
    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      plans.add(new Plan("Room " + (i + 1), members.get(i)));
    }
    return plans;
  }

  private static void checkNamed(List<Plan> rooms, Set<String> present) {
    Set<String> seen = new LinkedHashSet<>();
    Set<String> absent = new LinkedHashSet<>();
    Set<String> twice = new LinkedHashSet<>();
    for (Plan plan : rooms) {
      for (String userId : plan.userIds()) {
        if (!present.contains(userId)) {
          absent.add(userId);
        } else if (!seen.add(userId)) {
          twice.add(userId);
        }
      }
    }
    if (!absent.isEmpty()) {
      throw ParleyException.badRequest("not in the meeting now: " + String.join(", ", absent));
    }
    if (!twice.isEmpty()) {
      throw ParleyException.badRequest("sent to more than one room: " + String.join(", ", twice));
    }
  }

  private Future<Opened> insertRooms(SqlConnection conn, Identity caller, JsonObject parent, List<Plan> rooms,
                                     Map<String, String> names, Integer durationMinutes) {
    UUID parentId = UUID.fromString(parent.getString("id"));
    List<Tuple> roomRows = new ArrayList<>();
    List<Tuple> assignments = new ArrayList<>();
    List<Tuple> leaving = new ArrayList<>();
    List<Tuple> sessions = new ArrayList<>();
    List<Moved> moved = new ArrayList<>();
    for (Plan plan : rooms) {
      UUID roomId = UUID.randomUUID();
      roomRows.add(Tuple.of(roomId, caller.tenant(), plan.name(), parent.getString("hostId"), parentId, durationMinutes));
      for (String userId : plan.userIds()) {
        assignments.add(Tuple.of(roomId, parentId, caller.tenant(), userId, names.get(userId)));
        leaving.add(Tuple.of(parentId, caller.tenant(), userId));
        sessions.add(Tuple.of(parentId, userId));
        moved.add(new Moved(userId, names.get(userId), roomId));
      }
    }
    Future<?> done = conn.preparedQuery(BreakoutSql.INSERT_ROOM).executeBatch(roomRows);
    if (!assignments.isEmpty()) {
      done = done.compose(v -> conn.preparedQuery(BreakoutSql.INSERT_ASSIGNMENT).executeBatch(assignments))
        .compose(v -> conn.preparedQuery(SqlQueries.LEAVE_PARTICIPANT).executeBatch(leaving))
        .compose(v -> conn.preparedQuery(SqlQueries.CLOSE_SESSION).executeBatch(sessions));
    }
    return done
      .compose(v -> conn.preparedQuery(RoomSql.INSERT_AUDIT).execute(Tuple.of(parentId, caller.tenant(), caller.userId(),
        caller.name(), "breakouts.open", null, null, new JsonObject().put("rooms", rooms.size()).put("moved", moved.size())
          .put("durationMinutes", durationMinutes))))
      .compose(v -> rooms(conn, caller.tenant(), parentId))
      .map(listed -> new Opened(listed.getJsonArray("rooms"), moved));
  }

  /**
   * The meeting's rooms, oldest first, each {@code {id, name, status, endsAt, closesAt, assigned:
   * [{userId, name}], present: [{userId, name, role}]}}, and who is in the main meeting now.
   */
  public Future<JsonObject> list(String tenant, UUID parentId) {
    return db.write().withConnection(conn -> rooms(conn, tenant, parentId)).recover(PgErrors::translate);
  }

  private static Future<JsonObject> rooms(SqlConnection conn, String tenant, UUID parentId) {
    return conn.preparedQuery(BreakoutSql.ROOMS).execute(Tuple.of(parentId, tenant)).compose(roomRows ->
      conn.preparedQuery(BreakoutSql.ASSIGNMENTS).execute(Tuple.of(parentId)).compose(assigned ->
        conn.preparedQuery(BreakoutSql.PRESENT_IN_ROOMS).execute(Tuple.of(parentId)).compose(inRooms ->
          conn.preparedQuery(BreakoutSql.PRESENT).execute(Tuple.of(parentId)).map(inMain -> {
            JsonArray rooms = new JsonArray();
            for (Row r : roomRows) {
              UUID id = r.getUUID("id");
              JsonArray sent = new JsonArray();
              assigned.forEach(a -> {
                if (id.equals(a.getUUID("room_id"))) {
                  sent.add(new JsonObject().put("userId", a.getString("user_id")).put("name", a.getString("display_name")));
                }
              });
              JsonArray here = new JsonArray();
              inRooms.forEach(p -> {
                if (id.equals(p.getUUID("meeting_id"))) {
                  here.add(person(p));
                }
              });
              rooms.add(new JsonObject().put("id", id.toString()).put("name", r.getString("title"))
                .put("status", r.getString("status")).put("endsAt", iso(r.getOffsetDateTime("breakout_ends_at")))
                .put("closesAt", iso(r.getOffsetDateTime("breakout_closes_at"))).put("endedAt", iso(r.getOffsetDateTime("ended_at")))
                .put("assigned", sent).put("present", here));
            }
            JsonArray main = new JsonArray();
            inMain.forEach(p -> main.add(person(p)));
            return new JsonObject().put("meetingId", parentId.toString()).put("rooms", rooms).put("main", main);
          }))));
  }

  private static JsonObject person(Row p) {
    return new JsonObject().put("userId", p.getString("user_id")).put("name", p.getString("display_name")).put("role", p.getString("role"));
  }

  /** The ids of the meeting's open rooms. */
  public Future<List<UUID>> openRooms(String tenant, UUID parentId) {
    return db.write().preparedQuery(BreakoutSql.OPEN_ROOMS).execute(Tuple.of(parentId, tenant))
      .map(rows -> {
        List<UUID> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getUUID("id")));
        return ids;
      })
      .recover(PgErrors::translate);
  }

  /** A host closes all: every open room closes {@code seconds} from now (or sooner, if closing already); 409 with none open. */
  public Future<List<Closing>> startClosing(Identity caller, UUID parentId, int seconds) {
    return db.write().preparedQuery(BreakoutSql.START_CLOSING).execute(Tuple.of(parentId, caller.tenant(), seconds))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(ParleyException.conflict("no breakout rooms are open"));
        }
        List<Closing> out = new ArrayList<>();
        rows.forEach(r -> out.add(new Closing(r.getUUID("id"), parentId, caller.tenant(), iso(r.getOffsetDateTime("breakout_closes_at")))));
        return Future.succeededFuture(out);
      })
      .recover(PgErrors::translate);
  }

  /** Rooms whose time ran out start their countdown of {@code seconds}. */
  public Future<List<Closing>> startDueCountdowns(int seconds) {
    return db.write().preparedQuery(BreakoutSql.COUNTDOWN_DUE).execute(Tuple.of(seconds))
      .map(rows -> {
        List<Closing> out = new ArrayList<>();
        rows.forEach(r -> out.add(new Closing(r.getUUID("id"), r.getUUID("parent_id"), r.getString("tenant_id"),
          iso(r.getOffsetDateTime("breakout_closes_at")))));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** Ends the rooms whose countdown is over or whose main meeting ended; everyone in them leaves them. */
  public Future<List<Closed>> endDue() {
    return db.write().withTransaction(conn -> conn.query(BreakoutSql.END_DUE).execute().compose(ended -> {
        if (ended.size() == 0) {
          return Future.succeededFuture(List.<Closed>of());
        }
        List<UUID> ids = new ArrayList<>();
        ended.forEach(r -> ids.add(r.getUUID("id")));
        UUID[] array = ids.toArray(new UUID[0]);
        return conn.preparedQuery(BreakoutSql.LEAVE_ROOMS).execute(Tuple.of(array)).compose(left ->
          conn.preparedQuery(BreakoutSql.CLOSE_ROOM_SESSIONS).execute(Tuple.of(array)).map(v -> {
            List<Closed> out = new ArrayList<>();
            for (Row r : ended) {
              List<Moved> people = new ArrayList<>();
              left.forEach(p -> {
                if (r.getUUID("id").equals(p.getUUID("meeting_id"))) {
                  people.add(new Moved(p.getString("user_id"), p.getString("display_name"), r.getUUID("id")));
                }
              });
              out.add(new Closed(r.getUUID("id"), r.getUUID("parent_id"), r.getString("tenant_id"), r.getString("title"),
                iso(r.getOffsetDateTime("started_at")), iso(r.getOffsetDateTime("ended_at")), people));
            }
            return out;
          }));
      }))
      .recover(PgErrors::translate);
  }

  /**
   * Who may join a room and as what: the main meeting's host (host), its co-hosts (cohost), and
   * those sent there (participant); anyone else is refused (403).
   */
  static Future<String> roleInRoom(SqlConnection conn, Identity caller, UUID roomId, UUID parentId) {
    return conn.preparedQuery(BreakoutSql.ROOM_STANDING).execute(Tuple.of(roomId, parentId, caller.userId())).compose(rows -> {
      Row row = rows.iterator().next();
      if (caller.userId().equals(row.getString("host_id"))) {
        return Future.succeededFuture("host");
      }
      if ("cohost".equals(row.getString("parent_role"))) {
        return Future.succeededFuture("cohost");
      }
      if (Boolean.TRUE.equals(row.getBoolean("assigned"))) {
        return Future.succeededFuture("participant");
      }
      return Future.failedFuture(ParleyException.forbidden("this breakout room is for the people sent to it (and the hosts)"));
    });
  }

  /** Whether {@code userId} was sent from this meeting to one of its rooms: they come back past its lobby and lock. */
  static Future<Boolean> wasSentOut(SqlConnection conn, UUID parentId, String userId) {
    return conn.preparedQuery(BreakoutSql.WAS_SENT_OUT).execute(Tuple.of(parentId, userId))
      .map(rows -> Boolean.TRUE.equals(rows.iterator().next().getBoolean("sent")));
  }

  private static String iso(OffsetDateTime t) {
    return MeetingRepository.iso(t);
  }
}
