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
 * Group commits for chat. Sends wait in one lane per meeting; a lane has at most one statement in
 * flight, so one meeting's sends are stored in their arrival order. When a statement slot is free
 * ({@code maxInFlight} per instance), every lane that has sends waiting and none in flight goes
 * into the next statement together, up to {@code maxBatch} rows: the sends to one meeting that
 * arrived while its last statement ran, and those of other meetings that arrived meanwhile, become
 * one multi-row statement and one commit ({@link ChatRepository#appendAll}: the same checks per
 * message, each meeting's counter moved once for its rows, so {@code seq} stays gapless and in
 * arrival order). Each send's future completes only once its own row is committed. A send that
 * arrives with its meeting's lane idle and a slot free goes at once, alone: no added latency.
 *
 * <p>One per chat verticle instance, confined to its event loop (create it in {@code start()}).
 */
public final class ChatGroupCommit {

  /** A send waiting for its statement. */
  record Pending(Identity sender, UUID meetingId, String clientId, String text, JsonObject moderation,
                 Promise<ChatRepository.Stored> result) {
  }

  private static final class Lane {
    final String key;
    final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    boolean inFlight;
    boolean ready;

    Lane(String key) {
      this.key = key;
    }
  }

  /**
   * What one statement did, for the meters: its rows, how many meetings they were for, and whether
   * it stored them itself (false: it failed, and each send was then stored by a statement of its own).
   */
  public interface Listener {
    void statement(int rows, int meetings, boolean stored);
  }

  private final ChatRepository chat;
  private final int maxBatch;
  private final int maxInFlight;
  private final Listener listener;
  private final Map<String, Lane> lanes = new HashMap<>();
  /** Lanes with sends waiting and no statement in flight, in the order their first send arrived. */
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private int inFlight;

  ChatGroupCommit(ChatRepository chat, int maxBatch, int maxInFlight, Listener listener) {
    this.chat = chat;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.listener = listener;
  }

  /** Stores one message (see {@link ChatRepository#append}); completes after its commit. */
  public Future<ChatRepository.Stored> append(Identity sender, UUID meetingId, String clientId, String text, JsonObject moderation) {
    Promise<ChatRepository.Stored> result = Promise.promise();
    // one lane per meeting and tenant: a meeting's rows are only ever in one statement at a time
    String key = meetingId + "/" + sender.tenant();
    Lane lane = lanes.computeIfAbsent(key, Lane::new);
    lane.waiting.add(new Pending(sender, meetingId, clientId, text, moderation, result));
    markReady(lane);
    pump();
    return result.future();
  }

  private void markReady(Lane lane) {
    if (!lane.inFlight && !lane.ready && !lane.waiting.isEmpty()) {
      lane.ready = true;
      ready.add(lane);
    }
  }

  /** Starts statements while a slot is free and some lane is ready. */
  private void pump() {
    while (inFlight < maxInFlight && !ready.isEmpty()) {
      List<Pending> batch = new ArrayList<>();
      List<Lane> taken = new ArrayList<>();
      while (batch.size() < maxBatch && !ready.isEmpty()) {
        Lane lane = ready.poll();
        lane.ready = false;
        lane.inFlight = true;
        taken.add(lane);
        while (batch.size() < maxBatch && !lane.waiting.isEmpty()) {
          batch.add(lane.waiting.poll());
        }
      }
      inFlight++;
      chat.appendAll(batch).onComplete(done -> {
        inFlight--;
        listener.statement(batch.size(), taken.size(), done.succeeded() && done.result());
        for (Lane lane : taken) {
          lane.inFlight = false;
          if (lane.waiting.isEmpty()) {
            lanes.remove(lane.key);
          } else {
            markReady(lane);
          }
        }
        pump();
      });
    }
  }
}
