package handlers.chat;

import ai.SupportedLanguages;
import data.ChatRepository;
import handlers.AiBudget;
import handlers.AiUsage;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.chat.history}: {@code {meetingId, after?, limit?, lang?, from?}} -> messages with
 * {@code seq > after} in order, and {@code lastSeq} to continue from. Members (present or past)
 * only. With {@code lang}, each message also carries {@code translation} (from {@code from},
 * default English); if the translator fails the messages come back untranslated with
 * {@code translationError}, as they do while the tenant's AI budget is spent. A pair this server
 * cannot translate is a 400 saying what {@code from} translates into.
 */
public final class ListChatHandler extends RequestHandler {

  private final MeetingAccess access;
  private final ChatRepository chat;
  private final int maxPage;
  private final ai.Translator translator;
  private final AiUsage usage;
  private final SupportedLanguages languages;
  private final AiBudget budget;

  public ListChatHandler(MeetingAccess access, ChatRepository chat, int maxPage, ai.Translator translator,
                         AiUsage usage, SupportedLanguages languages, AiBudget budget) {
    this.languages = languages;
    this.budget = budget;
    this.access = access;
    this.chat = chat;
    this.maxPage = maxPage;
    this.translator = translator;
    this.usage = usage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    long after = Inputs.longValue(body, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) Inputs.longValue(body, "limit", Math.min(100, maxPage), 1, maxPage);
    String lang = body.getValue("lang") == null ? null : common.Languages.normalise(Inputs.optionalString(body, "lang", 35));
    String from = body.getValue("from") == null ? "en" : common.Languages.normalise(Inputs.optionalString(body, "from", 35));
    return access.requireMember(caller, id)
      .compose(m -> lang == null ? Future.succeededFuture() : languages.requireTranslation(from, lang))
      .compose(m -> chat.history(caller.tenant(), id, after, limit))
      .compose(messages -> lang == null ? Future.succeededFuture(messages) : budget.status(caller.tenant())
        .compose(status -> status.translationPaused() ? Future.succeededFuture(paused(messages))
          : translate(caller, id, messages, from, lang)))
      .map(messages -> {
        long last = messages.isEmpty() ? after : messages.getJsonObject(messages.size() - 1).getLong("seq");
        return new JsonObject().put("messages", messages).put("lastSeq", last).put("more", messages.size() == limit);
      });
  }

  private static io.vertx.core.json.JsonArray paused(io.vertx.core.json.JsonArray messages) {
    messages.forEach(m -> ((JsonObject) m).put("translationError", "translation is paused: this month's AI budget is spent"));
    return messages;
  }

  private Future<io.vertx.core.json.JsonArray> translate(Identity caller, UUID meetingId, io.vertx.core.json.JsonArray messages,
                                                         String from, String lang) {
    java.util.List<Future<java.util.Map<String, String>>> calls = new java.util.ArrayList<>();
    messages.forEach(m -> calls.add(translator.translate(((JsonObject) m).getString("text"), from, java.util.List.of(lang))));
    return Future.join(calls).transform(ar -> {
      long characters = 0;
      for (int i = 0; i < messages.size(); i++) {
        JsonObject message = messages.getJsonObject(i);
        Future<java.util.Map<String, String>> call = calls.get(i);
        if (call.succeeded() && call.result().containsKey(lang)) {
          message.put("translation", new JsonObject().put("lang", lang).put("text", call.result().get(lang)));
          characters += message.getString("text").length();
        } else {
          message.put("translationError", call.failed() ? call.cause().getMessage() : "no " + from + "->" + lang + " translation");
        }
      }
      if (characters > 0) {
        usage.record(caller.tenant(), meetingId, "translation", translator.provider(), characters, "characters");
      }
      return Future.succeededFuture(messages);
    });
  }
}
