package handlers.recap;

import ai.Summarizer;
import ai.Translator;
import ai.summary.Recap;
import common.Languages;
import common.ParleyException;
import data.RecapRepository;
import data.RecapRepository.MeetingInfo;
import handlers.AiUsage;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code parley.recap.get}: {@code {meetingId, lang?}} -> the meeting's recap, for its members
 * (present or past). 409 while the meeting is live; {@code status: pending} while the recap is being
 * written; a meeting that ended without one (it ended before recaps existed, or writing it failed)
 * gets it written (and exported) now. With {@code lang} the texts come back translated (metered like chat
 * translation), or untranslated with {@code translationError} when the translator fails.
 */
public final class GetRecapHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RecapRepository recaps;
  private final RecapWriter writer;
  private final Translator translator;
  private final AiUsage usage;

  public GetRecapHandler(MeetingAccess access, RecapRepository recaps, Summarizer summarizer, Summarizer offline,
                         Translator translator, AiUsage usage, ParleyMetrics metrics, MeetingExports exports) {
    this.access = access;
    this.recaps = recaps;
    this.writer = new RecapWriter(recaps, summarizer, offline, usage, metrics, exports);
    this.translator = translator;
    this.usage = usage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String lang = body.getValue("lang") == null ? null : Languages.normalise(Inputs.optionalString(body, "lang", 35));
    return access.requireMember(caller, id)
      .compose(m -> recaps.meeting(caller.tenant(), id))
      .compose(found -> {
        MeetingInfo meeting = found.orElseThrow(() -> ParleyException.notFound("meeting not found"));
        if (!meeting.ended()) {
          return Future.failedFuture(ParleyException.conflict("the recap is written when the meeting ends"));
        }
        return recaps.get(caller.tenant(), id).compose(stored -> {
          if (stored.isPresent() && stored.get().ready()) {
            return Future.succeededFuture(ready(id, stored.get().recap(), stored.get().updatedAt().toInstant().toString()));
          }
          if (stored.isPresent()) {
            return Future.succeededFuture(pending(id));
          }
          return writer.write(caller.tenant(), id, meeting)
            .map(recap -> recap.map(r -> ready(id, r, java.time.Instant.now().toString())).orElseGet(() -> pending(id)));
        });
      })
      .compose(reply -> lang == null || !"ready".equals(reply.getString("status")) || lang.equals(reply.getString("lang"))
        ? Future.succeededFuture(reply) : translate(caller, id, reply, lang));
  }

  private static JsonObject pending(UUID id) {
    return new JsonObject().put("meetingId", id.toString()).put("status", "pending");
  }

  private static JsonObject ready(UUID id, Recap recap, String generatedAt) {
    return recap.toJson().put("meetingId", id.toString()).put("status", "ready").put("generatedAt", generatedAt);
  }

  /** Every key point, decision, task and context into {@code lang}, in parallel; keywords stay as they are. */
  private Future<JsonObject> translate(Identity caller, UUID meetingId, JsonObject reply, String lang) {
    String from = reply.getString("lang") == null ? "en" : reply.getString("lang");
    List<JsonObject> holders = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (String list : List.of("keyPoints", "decisions")) {
      reply.getJsonArray(list, new JsonArray()).forEach(p -> {
        holders.add((JsonObject) p);
        fields.add("text");
      });
    }
    reply.getJsonArray("actionItems", new JsonArray()).forEach(a -> {
      holders.add((JsonObject) a);
      fields.add("task");
      if (((JsonObject) a).getString("context") != null) {
        holders.add((JsonObject) a);
        fields.add("context");
      }
    });
    List<Future<Map<String, String>>> calls = new ArrayList<>();
    for (int i = 0; i < holders.size(); i++) {
      calls.add(translator.translate(holders.get(i).getString(fields.get(i)), from, List.of(lang)));
    }
    return Future.join(calls).transform(ar -> {
      long characters = 0;
      String error = null;
      for (int i = 0; i < holders.size(); i++) {
        Future<Map<String, String>> call = calls.get(i);
        if (call.succeeded() && call.result().containsKey(lang)) {
          characters += holders.get(i).getString(fields.get(i)).length();
          holders.get(i).put(fields.get(i), call.result().get(lang));
        } else if (error == null) {
          error = call.failed() ? call.cause().getMessage() : "no " + from + "->" + lang + " translation";
        }
      }
      if (characters > 0) {
        usage.record(caller.tenant(), meetingId, "translation", translator.provider(), characters, "characters");
      }
      if (error != null) {
        reply.put("translationError", error);
      } else {
        reply.put("lang", lang).put("translatedFrom", from);
      }
      return Future.succeededFuture(reply);
    });
  }
}
