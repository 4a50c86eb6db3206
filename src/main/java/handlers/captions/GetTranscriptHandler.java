package handlers.captions;

import data.TranscriptRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code parley.transcript.get}: a meeting's final caption segments, in order. Members only. */
public final class GetTranscriptHandler extends RequestHandler {

  private final MeetingAccess access;
  private final TranscriptRepository transcripts;

  public GetTranscriptHandler(MeetingAccess access, TranscriptRepository transcripts) {
    this.access = access;
    this.transcripts = transcripts;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireMember(caller, id)
      .compose(m -> transcripts.segments(caller.tenant(), id))
      .map(segments -> new JsonObject().put("meetingId", id.toString()).put("segments", segments));
  }
}
