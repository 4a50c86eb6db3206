package handlers.captions;

import ai.SupportedLanguages;
import data.TranscriptRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.transcript.get}: {@code {meetingId, lang?}} -> a meeting's final caption segments,
 * in order. Members only; a {@code lang} this server cannot caption or translate into is a 400
 * listing those it can.
 */
public final class GetTranscriptHandler extends RequestHandler {

  private final MeetingAccess access;
  private final TranscriptRepository transcripts;
  private final SupportedLanguages languages;

  public GetTranscriptHandler(MeetingAccess access, TranscriptRepository transcripts, SupportedLanguages languages) {
    this.languages = languages;
    this.access = access;
    this.transcripts = transcripts;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String lang = Inputs.optionalString(body, "lang", 35);
    return access.requireMember(caller, id)
      .compose(m -> lang == null ? Future.succeededFuture() : languages.requireCaptionLanguage(lang))
      .compose(m -> transcripts.segments(caller.tenant(), id))
      .map(segments -> new JsonObject().put("meetingId", id.toString()).put("segments", segments));
  }
}
