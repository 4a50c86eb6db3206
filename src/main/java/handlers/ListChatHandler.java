package handlers;

import data.ChatRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.chat.history}: {@code {meetingId, after?, limit?}} -> messages with {@code seq > after}
 * in order, and {@code lastSeq} to continue from. Members (present or past) only.
 */
public final class ListChatHandler extends RequestHandler {

  private final MeetingAccess access;
  private final ChatRepository chat;
  private final int maxPage;

  public ListChatHandler(MeetingAccess access, ChatRepository chat, int maxPage) {
    this.access = access;
    this.chat = chat;
    this.maxPage = maxPage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    long after = Inputs.longValue(body, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) Inputs.longValue(body, "limit", Math.min(100, maxPage), 1, maxPage);
    return access.requireMember(caller, id)
      .compose(m -> chat.history(caller.tenant(), id, after, limit))
      .map(messages -> {
        long last = messages.isEmpty() ? after : messages.getJsonObject(messages.size() - 1).getLong("seq");
        return new JsonObject().put("messages", messages).put("lastSeq", last).put("more", messages.size() == limit);
      });
  }
}
