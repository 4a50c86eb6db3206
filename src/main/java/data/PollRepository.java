package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Polls and their votes ({@link CollabSql}). Results are counted by PostgreSQL from the votes, so
 * every instance and node answers the same; an anonymous poll stores a salted hash per voter while
 * it is open and no voter ids at all (the salt is erased when it closes).
 */
public final class PollRepository {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Db db;

  public PollRepository(Db db) {
    this.db = db;
  }

  /** The new poll, or 404 when the meeting is not the caller tenant's, 409 when it has ended. */
  public Future<JsonObject> create(Identity caller, UUID meetingId, String question, List<String> options,
                                   boolean anonymous, boolean multiple) {
    UUID id = UUID.randomUUID();
    Buffer salt = null;
    if (anonymous) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      salt = Buffer.buffer(bytes);
    }
    return db.write().preparedQuery(CollabSql.INSERT_POLL).execute(Tuple.from(new Object[]{
        id, meetingId, caller.tenant(), question, new JsonArray(new ArrayList<>(options)), anonymous, multiple,
        caller.userId(), salt}))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(ParleyException.conflict("meeting has ended"))
        : get(caller.tenant(), meetingId, id, caller.userId()).map(Optional::get))
      .recover(PgErrors::translate);
  }

  /**
   * Records {@code userId}'s choices, replacing their earlier vote: true, or false when the poll is
   * not an open poll of that meeting (the caller tells 404 from 409 by reading it).
   */
  public Future<Boolean> vote(String tenant, UUID meetingId, UUID pollId, String userId, String name, int[] choices) {
    Integer[] boxed = new Integer[choices.length];
    for (int i = 0; i < choices.length; i++) {
      boxed[i] = choices[i];
    }
    return db.write().preparedQuery(CollabSql.VOTE).execute(Tuple.of(pollId, meetingId, tenant, userId, name, boxed))
      .map(rows -> rows.size() > 0)
      .recover(PgErrors::translate);
  }

  /** True when this call closed it; false when it was closed already or is not that meeting's. */
  public Future<Boolean> close(String tenant, UUID meetingId, UUID pollId, String by) {
    return db.write().preparedQuery(CollabSql.CLOSE_POLL).execute(Tuple.of(pollId, meetingId, tenant, by))
      .map(rows -> rows.size() > 0)
      .recover(PgErrors::translate);
  }

  /** Closes every open poll of a meeting (its end); how many were open. */
  public Future<Integer> closeAll(String tenant, UUID meetingId) {
    return db.write().preparedQuery(CollabSql.CLOSE_ALL_POLLS).execute(Tuple.of(meetingId, tenant))
      .map(rows -> rows.rowCount())
      .recover(PgErrors::translate);
  }

  /** One poll with its results and {@code viewer}'s choices ({@code mine}); empty when it is not that meeting's. */
  public Future<Optional<JsonObject>> get(String tenant, UUID meetingId, UUID pollId, String viewer) {
    return polls(tenant, meetingId, pollId, viewer).map(list -> list.stream().findFirst());
  }

  /** A meeting's polls, oldest first, with their results. Read from the primary (a vote is read back at once). */
  public Future<List<JsonObject>> list(String tenant, UUID meetingId, String viewer) {
    return polls(tenant, meetingId, null, viewer);
  }

  /** Who voted what in a named poll, in the order they voted; empty for an anonymous one. */
  public Future<JsonArray> namedVotes(UUID pollId) {
    return db.write().preparedQuery(CollabSql.NAMED_VOTES).execute(Tuple.of(pollId))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(r -> out.add(new JsonObject().put("userId", r.getString("voter")).put("name", r.getString("voter_name"))
          .put("choices", new JsonArray(List.of((Object[]) r.getArrayOfIntegers("choices"))))));
        return out;
      })
      .recover(PgErrors::translate);
  }

  private Future<List<JsonObject>> polls(String tenant, UUID meetingId, UUID pollId, String viewer) {
    return db.write().preparedQuery(CollabSql.POLLS).execute(Tuple.of(tenant, meetingId, pollId, viewer))
      .map(rows -> {
        List<JsonObject> out = new ArrayList<>();
        rows.forEach(r -> out.add(pollJson(r)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  private static JsonObject pollJson(Row r) {
    JsonArray options = (JsonArray) r.getValue("options");
    JsonObject perOption = (JsonObject) r.getValue("counts");
    JsonArray counts = new JsonArray();
    for (int i = 0; i < options.size(); i++) {
      Object n = perOption.getValue(String.valueOf(i));
      counts.add(n instanceof Number number ? number.longValue() : 0L);
    }
    Integer[] mine = r.getArrayOfIntegers("mine");
    return new JsonObject()
      .put("id", r.getUUID("id").toString())
      .put("meetingId", r.getUUID("meeting_id").toString())
      .put("question", r.getString("question"))
      .put("options", options)
      .put("anonymous", r.getBoolean("anonymous"))
      .put("multiple", r.getBoolean("multiple"))
      .put("status", r.getString("status"))
      .put("createdBy", r.getString("created_by"))
      .put("createdAt", MeetingRepository.iso(r.getOffsetDateTime("created_at")))
      .put("closedAt", MeetingRepository.iso(r.getOffsetDateTime("closed_at")))
      .put("revision", r.getLong("revision"))
      .put("voters", r.getLong("voters"))
      .put("counts", counts)
      .put("mine", mine == null ? null : new JsonArray(List.of((Object[]) mine)));
  }
}
