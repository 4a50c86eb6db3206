package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The host's control of a meeting in PostgreSQL: the lobby, removals, roles, the room's settings,
 * and the audit log that every one of them writes in the same transaction. Who may do what is
 * checked by the handlers ({@code MeetingAccess}); what the target's state allows is checked here,
 * under the meeting's row lock, so that it cannot race a join.
 */
public final class RoomRepository {

  private final Db db;

  public RoomRepository(Db db) {
    this.db = db;
  }

  /** Someone a control acted on. */
  public record Person(String userId, String name) {
  }

  /** A removal: who, and whether they were in the meeting at the time. */
  public record Removal(Person person, boolean wasPresent) {
  }

  /** A settings change: the meeting now, and whoever waiting was let in because the lobby was switched off. */
  public record SettingsChange(JsonObject meeting, List<Person> admitted) {
  }

  /** An entry of the audit log, as the actions write it. */
  public record AuditEntry(String action, String targetId, String targetName, JsonObject details) {
    public static AuditEntry of(String action, Person target, JsonObject details) {
      return new AuditEntry(action, target == null ? null : target.userId(), target == null ? null : target.name(),
        details == null ? new JsonObject() : details);
    }
  }

  /** Who waits in the lobby, first come first. */
  public Future<JsonArray> waiting(String tenant, UUID meetingId) {
    return db.write().preparedQuery(RoomSql.LIST_WAITING).execute(Tuple.of(meetingId, tenant))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(r -> out.add(new JsonObject().put("userId", r.getString("user_id")).put("name", r.getString("display_name"))
          .put("requestedAt", MeetingRepository.iso(r.getOffsetDateTime("requested_at")))));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** Lets someone in: one who waits, was denied or was removed (404 for anyone else). */
  public Future<Person> admit(Identity actor, UUID meetingId, String userId) {
    return inTransaction(conn -> admission(conn, meetingId, userId).compose(found -> {
      if (found == null) {
        return Future.failedFuture(ParleyException.notFound("nobody with id " + userId + " is waiting or was turned away"));
      }
      Person person = new Person(userId, found.getString("display_name"));
      return decide(conn, actor, meetingId, person, "admitted")
        .compose(v -> audit(conn, actor, meetingId, AuditEntry.of("admit", person, null)))
        .map(person);
    }));
  }

  /** Turns away someone who waits (404 unknown, 409 not waiting). */
  public Future<Person> deny(Identity actor, UUID meetingId, String userId) {
    return inTransaction(conn -> admission(conn, meetingId, userId).compose(found -> {
      if (found == null) {
        return Future.failedFuture(ParleyException.notFound("nobody with id " + userId + " is waiting"));
      }
      if (!"waiting".equals(found.getString("status"))) {
        return Future.failedFuture(ParleyException.conflict(userId + " is not waiting (" + found.getString("status") + ")"));
      }
      Person person = new Person(userId, found.getString("display_name"));
      return decide(conn, actor, meetingId, person, "denied")
        .compose(v -> audit(conn, actor, meetingId, AuditEntry.of("deny", person, null)))
        .map(person);
    }));
  }

  /**
   * Removes someone: out of the meeting now (if they were in it), and refused until a host admits
   * them again. The host cannot be removed; only the host can remove a co-host; nobody removes themselves.
   */
  public Future<Removal> remove(Identity actor, UUID meetingId, String userId) {
    if (actor.userId().equals(userId)) {
      return Future.failedFuture(ParleyException.badRequest("you cannot remove yourself; leave the meeting instead"));
    }
    return inTransaction(conn -> MeetingRepository.lockMeeting(conn, actor.tenant(), meetingId).compose(meeting ->
      participant(conn, meetingId, userId).compose(row -> admission(conn, meetingId, userId).compose(found -> {
        if (row == null && found == null) {
          return Future.failedFuture(ParleyException.notFound("nobody with id " + userId + " is in this meeting or its lobby"));
        }
        if (userId.equals(meeting.getString("hostId"))) {
          return Future.failedFuture(ParleyException.forbidden("the host cannot be removed"));
        }
        if (row != null && "cohost".equals(row.getString("role")) && !actor.userId().equals(meeting.getString("hostId"))) {
          return Future.failedFuture(ParleyException.forbidden("only the host can remove a co-host"));
        }
        boolean present = row != null && row.getValue("left_at") == null;
        Person person = new Person(userId, row != null ? row.getString("display_name") : found.getString("display_name"));
        Future<?> out = row == null ? Future.succeededFuture()
          : conn.preparedQuery(RoomSql.REMOVE_PARTICIPANT).execute(Tuple.of(meetingId, userId))
            .compose(v -> conn.preparedQuery(SqlQueries.CLOSE_SESSION).execute(Tuple.of(meetingId, userId)));
        return out.compose(v -> decide(conn, actor, meetingId, person, "removed"))
          .compose(v -> audit(conn, actor, meetingId, AuditEntry.of("remove", person, new JsonObject().put("wasPresent", present))))
          .map(new Removal(person, present));
      }))));
  }

  /** Makes a participant co-host or participant again; only the host's role cannot change (409). */
  public Future<Person> setRole(Identity actor, UUID meetingId, String userId, String role) {
    return inTransaction(conn -> MeetingRepository.lockMeeting(conn, actor.tenant(), meetingId).compose(meeting ->
      participant(conn, meetingId, userId).compose(row -> {
        if (row == null) {
          return Future.failedFuture(ParleyException.notFound("nobody with id " + userId + " has joined this meeting"));
        }
        if (userId.equals(meeting.getString("hostId"))) {
          return Future.failedFuture(ParleyException.conflict("the host's role cannot change"));
        }
        Person person = new Person(userId, row.getString("display_name"));
        return conn.preparedQuery(RoomSql.SET_ROLE).execute(Tuple.of(meetingId, userId, role))
          .compose(v -> audit(conn, actor, meetingId, AuditEntry.of("role", person,
            new JsonObject().put("role", role).put("previous", row.getString("role")))))
          .map(person);
      })));
  }

  /** Records a request to mute someone present (404 when they are not). */
  public Future<Person> mute(Identity actor, UUID meetingId, String userId, boolean audio, boolean video) {
    return inTransaction(conn -> participant(conn, meetingId, userId).compose(row -> {
      if (row == null || row.getValue("left_at") != null) {
        return Future.failedFuture(ParleyException.notFound("nobody with id " + userId + " is in this meeting now"));
      }
      Person person = new Person(userId, row.getString("display_name"));
      return audit(conn, actor, meetingId, AuditEntry.of("mute", person, new JsonObject().put("audio", audio).put("video", video)))
        .map(person);
    }));
  }

  /** Everyone present but the hosts, co-hosts and the actor: whom a mute-all mutes; recorded once. */
  public Future<List<Person>> muteAll(Identity actor, UUID meetingId, boolean audio, boolean video) {
    return inTransaction(conn -> conn.preparedQuery(RoomSql.PRESENT_PARTICIPANTS).execute(Tuple.of(meetingId, actor.tenant()))
      .compose(rows -> {
        List<Person> muted = new ArrayList<>();
        for (Row r : rows) {
          if ("participant".equals(r.getString("role")) && !actor.userId().equals(r.getString("user_id"))) {
            muted.add(new Person(r.getString("user_id"), r.getString("display_name")));
          }
        }
        return audit(conn, actor, meetingId, AuditEntry.of("mute_all", null,
          new JsonObject().put("audio", audio).put("video", video).put("count", muted.size()))).map(muted);
      }));
  }

  /**
   * Changes title, lobby and lock (null leaves one as it is), recording lock/unlock, lobby on/off and
   * retitle; switching the lobby off lets in everyone waiting.
   */
  public Future<SettingsChange> update(Identity actor, UUID meetingId, String title, Boolean lobby, Boolean locked) {
    return inTransaction(conn -> MeetingRepository.lockMeeting(conn, actor.tenant(), meetingId).compose(before -> {
      if ("ended".equals(before.getString("status"))) {
        return Future.failedFuture(ParleyException.conflict("meeting has ended"));
      }
      List<AuditEntry> entries = new ArrayList<>();
      if (locked != null && !locked.equals(before.getBoolean("locked"))) {
        entries.add(AuditEntry.of(locked ? "lock" : "unlock", null, null));
      }
      if (lobby != null && !lobby.equals(before.getBoolean("lobby"))) {
        entries.add(AuditEntry.of(lobby ? "lobby_on" : "lobby_off", null, null));
      }
      if (title != null && !title.equals(before.getString("title"))) {
        entries.add(AuditEntry.of("retitle", null, new JsonObject().put("title", title).put("previous", before.getString("title"))));
      }
      Future<List<Person>> admitted = Boolean.FALSE.equals(lobby) && Boolean.TRUE.equals(before.getBoolean("lobby"))
        ? conn.preparedQuery(RoomSql.ADMIT_ALL_WAITING).execute(Tuple.of(meetingId, actor.userId())).map(rows -> {
            List<Person> people = new ArrayList<>();
            rows.forEach(r -> people.add(new Person(r.getString("user_id"), r.getString("display_name"))));
            return people;
          })
        : Future.succeededFuture(List.of());
      return conn.preparedQuery(RoomSql.UPDATE_SETTINGS).execute(Tuple.of(meetingId, actor.tenant(), title, lobby, locked))
        .compose(v -> admitted)
        .compose(people -> {
          Future<Void> written = Future.succeededFuture();
          for (AuditEntry entry : entries) {
            written = written.compose(v -> audit(conn, actor, meetingId, entry));
          }
          for (Person p : people) {
            written = written.compose(v -> audit(conn, actor, meetingId, AuditEntry.of("admit", p,
              new JsonObject().put("lobbyOff", true))));
          }
          return written.compose(v -> conn.preparedQuery(SqlQueries.SELECT_MEETING).execute(Tuple.of(meetingId, actor.tenant())))
            .map(rows -> new SettingsChange(MeetingRepository.meetingJson(rows.iterator().next()), people));
        });
    }));
  }

  /** Appends one entry to the meeting's audit log on its own (for actions recorded outside this class). */
  public Future<Void> append(Identity actor, UUID meetingId, AuditEntry entry) {
    return inTransaction(conn -> audit(conn, actor, meetingId, entry));
  }

  /** The meeting's audit log, oldest first, after entry {@code after}: {@code {items, next}}. */
  public Future<JsonObject> auditLog(String tenant, UUID meetingId, long after, int limit) {
    return db.write().preparedQuery(RoomSql.LIST_AUDIT).execute(Tuple.of(tenant, meetingId, after, limit + 1))
      .map(rows -> {
        JsonArray items = new JsonArray();
        Long next = null;
        for (Row r : rows) {
          if (items.size() == limit) {
            next = items.getJsonObject(limit - 1).getLong("id");
            break;
          }
          JsonObject details = r.getJsonObject("details");
          items.add(new JsonObject().put("id", r.getLong("id")).put("at", MeetingRepository.iso(r.getOffsetDateTime("at")))
            .put("action", r.getString("action"))
            .put("actor", new JsonObject().put("userId", r.getString("actor_id")).put("name", r.getString("actor_name")))
            .put("target", r.getString("target_id") == null ? null
              : new JsonObject().put("userId", r.getString("target_id")).put("name", r.getString("target_name")))
            .put("details", details == null ? new JsonObject() : details));
        }
        return new JsonObject().put("items", items).put("next", next);
      })
      .recover(PgErrors::translate);
  }

  private <T> Future<T> inTransaction(java.util.function.Function<SqlConnection, Future<T>> work) {
    return db.write().withTransaction(work::apply).recover(PgErrors::translate);
  }

  private static Future<Row> participant(SqlConnection conn, UUID meetingId, String userId) {
    return conn.preparedQuery(RoomSql.SELECT_PARTICIPANT).execute(Tuple.of(meetingId, userId))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static Future<Row> admission(SqlConnection conn, UUID meetingId, String userId) {
    return conn.preparedQuery(RoomSql.SELECT_ADMISSION).execute(Tuple.of(meetingId, userId))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private static Future<Void> decide(SqlConnection conn, Identity actor, UUID meetingId, Person person, String status) {
    return conn.preparedQuery(RoomSql.DECIDE)
      .execute(Tuple.of(meetingId, actor.tenant(), person.userId(), person.name(), status, actor.userId())).mapEmpty();
  }

  private static Future<Void> audit(SqlConnection conn, Identity actor, UUID meetingId, AuditEntry entry) {
    return conn.preparedQuery(RoomSql.INSERT_AUDIT).execute(Tuple.of(meetingId, actor.tenant(), actor.userId(), actor.name(),
      entry.action(), entry.targetId(), entry.targetName(), entry.details())).mapEmpty();
  }
}
