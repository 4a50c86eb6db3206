package data;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Group commits for chat: while one statement for a meeting is in flight, the sends to that meeting
 * that arrive meanwhile wait, and are then stored together by one multi-row statement
 * ({@link ChatRepository#appendAll}: the same checks per message, one {@code seq} increment for the
 * lot, so still gapless and in arrival order). Each send's future completes only once its own row
 * is committed. A send that arrives with nothing in flight goes at once, alone: no added latency.
 *
 * <p>One per chat verticle instance, confined to its event loop (create it in {@code start()}).
 */
public final class ChatGroupCommit {

  /** A send waiting for its statement. */
  record Pending(Identity sender, UUID meetingId, String clientId, String text, JsonObject moderation,
                 Promise<ChatRepository.Stored> result) {
  }

  private static final class Lane {
    final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    boolean inFlight;
  }

  private final ChatRepository chat;
  private final int maxBatch;
  private final Map<String, Lane> lanes = new HashMap<>();

  ChatGroupCommit(ChatRepository chat, int maxBatch) {
    this.chat = chat;
    this.maxBatch = maxBatch;
  }

  /** Stores one message (see {@link ChatRepository#append}); completes after its commit. */
  public Future<ChatRepository.Stored> append(Identity sender, UUID meetingId, String clientId, String text, JsonObject moderation) {
    Promise<ChatRepository.Stored> result = Promise.promise();
    // one lane per meeting and tenant: a statement only ever covers one meeting row of one tenant
    String key = meetingId + "/" + sender.tenant();
    Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
    lane.waiting.add(new Pending(sender, meetingId, clientId, text, moderation, result));
    if (!lane.inFlight) {
      next(key, lane);
    }
    return result.future();
  }

  private void next(String key, Lane lane) {
    if (lane.waiting.isEmpty()) {
      lanes.remove(key);
      return;
    }
    List<Pending> batch = new ArrayList<>(Math.min(maxBatch, lane.waiting.size()));
    while (batch.size() < maxBatch && !lane.waiting.isEmpty()) {
      batch.add(lane.waiting.poll());
    }
    lane.inFlight = true;
    chat.appendAll(batch).onComplete(done -> {
      lane.inFlight = false;
      next(key, lane);
    });
  }
}
