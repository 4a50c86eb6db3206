package handlers.storage;

import common.ParleyException;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Set;
import java.util.UUID;

/**
 * {@code parley.objects.list}: the complete recordings, shared files or exported transcripts of a
 * meeting ({@code kind}, shared files when absent), newest first, for its participants. Uploads in progress or broken are not listed.
 */
public final class ListObjectsHandler extends RequestHandler {

  private static final Set<String> KINDS = Set.of("recording", "file", "transcript");

  private final ObjectAccess access;

  public ListObjectsHandler(ObjectAccess access) {
    this.access = access;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String given = Inputs.optionalString(body, "kind", 20);
    String kind = given == null ? "file" : given;
    if (!KINDS.contains(kind)) {
      throw ParleyException.badRequest("kind must be recording, file or transcript");
    }
    int limit = (int) Inputs.longValue(body, "limit", 100, 1, 500);
    return access.meetings().requireMember(caller, meetingId)
      .compose(m -> access.objects().list(caller.tenant(), meetingId, kind, limit))
      .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(o -> (Object) o.toJson()).toList())));
  }
}
