package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/** Meetings and their membership in PostgreSQL, always scoped by tenant. */
public final class MeetingRepository {

  private final Db db;

  public MeetingRepository(Db db) {
    this.db = db;
  }

  /**
   * What a caller is to a meeting; {@code exists} is false for unknown ids and other tenants' ids.
   * {@code role} is host, cohost or participant (null for someone who never joined); {@code admission}
   * is the lobby's word on them (waiting, admitted, denied, removed) or null.
   */
  public record Membership(boolean exists, String status, String hostId, boolean member, boolean present, String role,
                           String admission) {
    public boolean ended() {
      return "ended".equals(status);
    }

    /** The meeting's host, or a co-host: who may run the room. */
    public boolean runsRoom(String userId) {
      return userId.equals(hostId) || "cohost".equals(role);
    }
  }

  /**
   * What a join came to: in the meeting ({@code meeting} with the caller's {@code role}; {@code started}
   * when this join started it), or {@code waiting} in its lobby (then {@code meeting} is the bare meeting).
   */
  public record Joined(JsonObject meeting, boolean started, boolean waiting) {
  }

  public Future<JsonObject> create(Identity caller, String title, OffsetDateTime scheduledAt, boolean lobby, boolean locked) {
    UUID id = UUID.randomUUID();
    return db.write().withTransaction(conn -> upsertCaller(conn, caller)
        .compose(v -> conn.preparedQuery(SqlQueries.INSERT_MEETING)
          .execute(Tuple.of(id, caller.tenant(), title, caller.userId(), scheduledAt, lobby, locked))))
      .map(rows -> meetingJson(rows.iterator().next()).put("participants", new JsonArray()))
      .recover(PgErrors::translate);
  }

  public Future<JsonObject> get(String tenant, UUID id) {
    return db.write().withConnection(conn -> conn.preparedQuery(SqlQueries.SELECT_MEETING).execute(Tuple.of(id, tenant))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ParleyException.notFound("meeting not found"));
          }
          JsonObject meeting = meetingJson(rows.iterator().next());
          return withParticipants(conn, tenant, id, meeting);
        }))
      .recover(PgErrors::translate);
  }

  public Future<JsonObject> list(String tenant, String status, int limit, String cursor) {
    OffsetDateTime afterCreated = null;
    UUID afterId = null;
    if (cursor != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
        afterCreated = OffsetDateTime.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        return Future.failedFuture(ParleyException.badRequest("cursor is not one this server issued"));
      }
    }
    Tuple args = Tuple.of(tenant, limit + 1, afterCreated, afterId, status);
    return db.read(client -> client.preparedQuery(SqlQueries.LIST_MEETINGS).execute(args))
      .map(rows -> {
        JsonArray items = new JsonArray();
        String next = null;
        int i = 0;
        for (Row row : rows) {
          if (i++ == limit) {
            JsonObject last = items.getJsonObject(items.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(
              (last.getString("createdAt") + "|" + last.getString("id")).getBytes(StandardCharsets.UTF_8));
            break;
          }
          items.add(meetingJson(row).put("participantsPresent", row.getLong("present")));
        }
        return new JsonObject().put("items", items).put("nextCursor", next);
      })
      .recover(PgErrors::translate);
  }

  /**
   * Joins (or re-joins) the caller; starts a scheduled meeting. The host and co-hosts always get in;
   * anyone else not present already is refused when removed (403) or the meeting is locked (423),
   * and waits in the lobby when it is on and they have not been admitted (at most {@code maxWaiting}
   * people wait at once: 429); someone sent from it to a breakout room comes back past the lock and
   * the lobby. A breakout room lets in the main meeting's host and co-hosts and those sent to it
   * (403 for anyone else). Fails 409 on an ended meeting.
   */
  public Future<Joined> join(Identity caller, UUID id, int maxWaiting) {
    return db.write().withTransaction(conn -> lockMeeting(conn, caller.tenant(), id)
        .compose(meeting -> {
          if ("ended".equals(meeting.getString("status"))) {
            return Future.failedFuture(ParleyException.conflict("meeting has ended"));
          }
          boolean scheduled = "scheduled".equals(meeting.getString("status"));
          if (meeting.getString("parentId") != null) {
            return BreakoutRepository.roleInRoom(conn, caller, id, UUID.fromString(meeting.getString("parentId")))
              .compose(role -> enter(conn, caller, id, role, scheduled));
          }
          return conn.preparedQuery(RoomSql.STANDING).execute(Tuple.of(id, caller.userId())).compose(rows -> {
            Row standing = rows.iterator().next();
            boolean present = standing.getValue("left_at") == null && Boolean.TRUE.equals(standing.getBoolean("member"));
            String admission = standing.getString("admission");
            String role = caller.userId().equals(meeting.getString("hostId")) ? "host"
              : "cohost".equals(standing.getString("role")) ? "cohost" : "participant";
            if ("participant".equals(role)) {
              if ("removed".equals(admission)) {
                return Future.failedFuture(ParleyException.forbidden("a host removed you from this meeting; only a host can let you back in"));
              }
              boolean locked = meeting.getBoolean("locked");
              if (!present && (locked || meeting.getBoolean("lobby") && !"admitted".equals(admission))) {
                // someone sent to a breakout room comes back past the lock and the lobby
                return BreakoutRepository.wasSentOut(conn, id, caller.userId()).compose(back -> back
                  ? enter(conn, caller, id, role, scheduled)
                  : locked ? Future.failedFuture(ParleyException.locked("this meeting is locked: a host has closed it to new arrivals"))
                  : waitInLobby(conn, caller, id, meeting, "waiting".equals(admission), maxWaiting));
              }
            }
            return enter(conn, caller, id, role, scheduled);
          });
        }))
      .recover(PgErrors::translate);
  }

  private static Future<Joined> enter(SqlConnection conn, Identity caller, UUID id, String role, boolean scheduled) {
    Tuple who = Tuple.of(id, caller.tenant(), caller.userId());
    return upsertCaller(conn, caller)
      .compose(v -> conn.preparedQuery(SqlQueries.UPSERT_PARTICIPANT)
        .execute(Tuple.of(id, caller.tenant(), caller.userId(), caller.name(), role)))
      .compose(v -> conn.preparedQuery(SqlQueries.OPEN_SESSION).execute(who))
      .compose(v -> conn.preparedQuery(SqlQueries.START_MEETING).execute(Tuple.of(id)))
      .compose(v -> conn.preparedQuery(SqlQueries.SELECT_MEETING).execute(Tuple.of(id, caller.tenant())))
      .compose(rows -> withParticipants(conn, caller.tenant(), id, meetingJson(rows.iterator().next())))
      .map(json -> new Joined(json.put("role", role), scheduled, false));
  }

  private static Future<Joined> waitInLobby(SqlConnection conn, Identity caller, UUID id, JsonObject meeting,
                                           boolean waitingAlready, int maxWaiting) {
    Future<Void> room = waitingAlready ? Future.succeededFuture()
      : conn.preparedQuery(RoomSql.COUNT_WAITING).execute(Tuple.of(id)).compose(rows -> rows.iterator().next().getLong("n") >= maxWaiting
        ? Future.failedFuture(ParleyException.rateLimited("the lobby is full (" + maxWaiting + " waiting); try again later"))
        : Future.succeededFuture());
    return room
      .compose(v -> conn.preparedQuery(RoomSql.KNOCK).execute(Tuple.of(id, caller.tenant(), caller.userId(), caller.name())))
      .map(v -> new Joined(meeting, false, true));
  }

  public Future<JsonObject> leave(Identity caller, UUID id) {
    return db.write().withTransaction(conn -> lockMeeting(conn, caller.tenant(), id)
        .compose(meeting -> conn.preparedQuery(SqlQueries.LEAVE_PARTICIPANT).execute(Tuple.of(id, caller.tenant(), caller.userId()))
          .compose(rows -> {
            if (rows.rowCount() == 0) {
              return Future.failedFuture(ParleyException.conflict("you are not in this meeting"));
            }
            return conn.preparedQuery(SqlQueries.CLOSE_SESSION).execute(Tuple.of(id, caller.userId()));
          })
          .map(v -> meeting)))
      .recover(PgErrors::translate);
  }

  /** Ends the meeting (an audit entry); only its host may. Everyone still present is marked as having left. */
  public Future<JsonObject> end(Identity caller, UUID id) {
    return db.write().withTransaction(conn -> lockMeeting(conn, caller.tenant(), id)
        .compose(meeting -> {
          if (!caller.userId().equals(meeting.getString("hostId"))) {
            return Future.failedFuture(ParleyException.forbidden("only the host can end the meeting"));
          }
          if ("ended".equals(meeting.getString("status"))) {
            return Future.failedFuture(ParleyException.conflict("meeting has already ended"));
          }
          Tuple byId = Tuple.of(id);
          return conn.preparedQuery(SqlQueries.END_MEETING).execute(byId)
            .compose(v -> conn.preparedQuery(RoomSql.INSERT_AUDIT).execute(Tuple.of(id, caller.tenant(), caller.userId(),
              caller.name(), "end", null, null, new JsonObject())))
            .compose(v -> conn.preparedQuery(SqlQueries.LEAVE_ALL).execute(byId))
            .compose(v -> conn.preparedQuery(SqlQueries.CLOSE_ALL_SESSIONS).execute(byId))
            .compose(v -> conn.preparedQuery(SqlQueries.SELECT_MEETING).execute(Tuple.of(id, caller.tenant())))
            .compose(rows -> withParticipants(conn, caller.tenant(), id, meetingJson(rows.iterator().next())));
        }))
      .recover(PgErrors::translate);
  }

  public Future<Membership> membership(String tenant, UUID id, String userId) {
    return db.write().preparedQuery(SqlQueries.MEMBERSHIP).execute(Tuple.of(id, tenant, userId))
      .map(rows -> {
        if (rows.size() == 0) {
          return new Membership(false, null, null, false, false, null, null);
        }
        Row row = rows.iterator().next();
        boolean member = Boolean.TRUE.equals(row.getBoolean("member"));
        return new Membership(true, row.getString("status"), row.getString("host_id"), member,
          member && row.getValue("left_at") == null, row.getString("role"), row.getString("admission"));
      })
      .recover(PgErrors::translate);
  }

  /** The display names of everyone who has joined the meeting. */
  public Future<java.util.List<String>> participantNames(String tenant, UUID id) {
    return db.write().preparedQuery(SqlQueries.PARTICIPANT_NAMES).execute(Tuple.of(id, tenant))
      .map(rows -> {
        java.util.List<String> out = new java.util.ArrayList<>();
        rows.forEach(r -> out.add(r.getString("display_name")));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** The ids of a tenant's live meetings. */
  public Future<java.util.List<UUID>> liveMeetings(String tenant) {
    return db.write().preparedQuery(SqlQueries.LIVE_MEETINGS_OF_TENANT).execute(Tuple.of(tenant))
      .map(rows -> {
        java.util.List<UUID> out = new java.util.ArrayList<>();
        rows.forEach(r -> out.add(r.getUUID("id")));
        return out;
      })
      .recover(PgErrors::translate);
  }

  public Future<Long> countLive() {
    return db.read(client -> client.query(SqlQueries.COUNT_LIVE_MEETINGS).execute()).map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Per tenant: live meetings and participants present in them (for the tenant gauges). */
  public record TenantLive(String tenant, long meetings, long participants) {
  }

  public Future<java.util.List<TenantLive>> liveByTenant() {
    return db.read(client -> client.query(SqlQueries.LIVE_BY_TENANT).execute()).map(rows -> {
      java.util.List<TenantLive> out = new java.util.ArrayList<>();
      rows.forEach(r -> out.add(new TenantLive(r.getString("tenant_id"), r.getLong("live"), r.getLong("present"))));
      return out;
    });
  }

  static Future<RowSet<Row>> upsertCaller(SqlConnection conn, Identity caller) {
    return conn.preparedQuery(SqlQueries.UPSERT_TENANT).execute(Tuple.of(caller.tenant()))
      .compose(v -> conn.preparedQuery(SqlQueries.UPSERT_USER).execute(Tuple.of(caller.tenant(), caller.userId(),
        caller.name(), caller.email(), caller.locale(), caller.roles().toArray(new String[0]))));
  }

  static Future<JsonObject> lockMeeting(SqlConnection conn, String tenant, UUID id) {
    return conn.preparedQuery(SqlQueries.SELECT_MEETING_FOR_UPDATE).execute(Tuple.of(id, tenant))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(ParleyException.notFound("meeting not found"))
        : Future.succeededFuture(meetingJson(rows.iterator().next())));
  }

  static Future<JsonObject> withParticipants(SqlConnection conn, String tenant, UUID id, JsonObject meeting) {
    Tuple args = Tuple.of(id, tenant);
    return conn.preparedQuery(SqlQueries.SELECT_PARTICIPANTS).execute(args)
      .compose(participants -> conn.preparedQuery(SqlQueries.SELECT_SESSIONS).execute(args)
        .map(sessions -> {
          JsonArray list = new JsonArray();
          for (Row p : participants) {
            String userId = p.getString("user_id");
            JsonArray visits = new JsonArray();
            for (Row s : sessions) {
              if (userId.equals(s.getString("user_id"))) {
                visits.add(new JsonObject().put("joinedAt", iso(s.getOffsetDateTime("joined_at")))
                  .put("leftAt", iso(s.getOffsetDateTime("left_at"))));
              }
            }
            list.add(new JsonObject()
              .put("userId", userId)
              .put("name", p.getString("display_name"))
              .put("role", p.getString("role"))
              .put("joinedAt", iso(p.getOffsetDateTime("joined_at")))
              .put("leftAt", iso(p.getOffsetDateTime("left_at")))
              .put("visits", visits));
          }
          return meeting.put("participants", list);
        }));
  }

  static JsonObject meetingJson(Row row) {
    return new JsonObject()
      .put("id", row.getUUID("id").toString())
      .put("title", row.getString("title"))
      .put("hostId", row.getString("host_id"))
      .put("status", row.getString("status"))
      .put("scheduledAt", iso(row.getOffsetDateTime("scheduled_at")))
      .put("startedAt", iso(row.getOffsetDateTime("started_at")))
      .put("endedAt", iso(row.getOffsetDateTime("ended_at")))
      .put("createdAt", iso(row.getOffsetDateTime("created_at")))
      .put("lobby", row.getBoolean("lobby"))
      .put("locked", row.getBoolean("locked"))
      // a breakout room's main meeting (the queries that list meetings do not read it)
      .put("parentId", row.getColumnIndex("parent_id") < 0 || row.getUUID("parent_id") == null ? null
        : row.getUUID("parent_id").toString());
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
