package handlers.storage;

import common.ParleyException;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import data.ServerRecordingRepository;
import data.ServerRecordingRepository.ServerRecording;
import data.StoredObjectRepository.StoredObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code parley.objects.list}: the complete recordings, shared files or what its end exported
 * (transcripts, poll results, the whiteboard) of a meeting ({@code kind}, shared files when absent), newest first, for its participants. Uploads in progress or broken are not listed;
 * recordings the server makes are, from the moment they start (recording, processing, ready, failed).
 */
public final class ListObjectsHandler extends RequestHandler {

  private static final Set<String> KINDS = Set.of("recording", "file", "transcript", "polls", "whiteboard", "notes");

  private final ObjectAccess access;
  private final ServerRecordingRepository serverRecordings;

  /** {@code serverRecordings} null: only uploaded recordings are listed. */
  public ListObjectsHandler(ObjectAccess access, ServerRecordingRepository serverRecordings) {
    this.access = access;
    this.serverRecordings = serverRecordings;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String given = Inputs.optionalString(body, "kind", 20);
    String kind = given == null ? "file" : given;
    if (!KINDS.contains(kind)) {
      throw ParleyException.badRequest("kind must be recording, file, transcript, polls, whiteboard or notes");
    }
    int limit = (int) Inputs.longValue(body, "limit", 100, 1, 500);
    return access.meetings().requireMember(caller, meetingId)
      .compose(m -> access.objects().list(caller.tenant(), meetingId, kind, limit))
      .compose(list -> "recording".equals(kind) && serverRecordings != null
        ? serverRecordings.list(caller.tenant(), meetingId, limit).map(server -> withServerRecordings(list, server, limit))
        : Future.succeededFuture(new JsonArray(list.stream().map(o -> (Object) o.toJson()).toList())))
      .map(items -> new JsonObject().put("items", items));
  }

  /**
   * One list of a meeting's recordings: uploaded ones, and those the server makes, whatever their
   * status (a ready one is its stored file with the server's fields); newest first.
   */
  private static JsonArray withServerRecordings(List<StoredObject> stored, List<ServerRecording> server, int limit) {
    Map<UUID, ServerRecording> byId = new HashMap<>();
    server.forEach(r -> byId.put(r.id(), r));
    List<JsonObject> all = new ArrayList<>();
    for (StoredObject o : stored) {
      ServerRecording r = byId.remove(o.id());
      all.add(r == null ? o.toJson() : r.toJson(o.toJson()));
    }
    // not ready yet (or its file was deleted by the lifecycle: then it is not listed)
    byId.values().stream().filter(r -> !"ready".equals(r.status())).forEach(r -> all.add(r.toJson()));
    all.sort(Comparator.comparing((JsonObject j) -> j.getString("createdAt", "")).reversed());
    return new JsonArray(all.stream().limit(limit).map(j -> (Object) j).toList());
  }
}
