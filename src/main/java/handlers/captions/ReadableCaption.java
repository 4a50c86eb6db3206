package handlers.captions;

import ai.stt.Punctuator;
import ai.stt.Word;
import data.MeetingRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A final caption's text made readable ({@link Punctuator}) with the names of everyone who has
 * joined its meeting, unless its recogniser punctuates by itself ({@code punctuated: true}). The
 * names are cached per meeting for a few seconds; if they cannot be read the caption is still made
 * readable, without them.
 */
final class ReadableCaption {

  private static final Logger LOG = LoggerFactory.getLogger(ReadableCaption.class);
  private static final long NAMES_TTL_MS = 5_000;

  private record Names(long until, List<String> names) {
  }

  private final MeetingRepository meetings;
  private final Punctuator punctuator;
  private final Map<UUID, Names> names = new ConcurrentHashMap<>();

  ReadableCaption(MeetingRepository meetings, Punctuator punctuator) {
    this.meetings = meetings;
    this.punctuator = punctuator;
  }

  Future<String> apply(String tenant, UUID meetingId, JsonObject in) {
    String text = in.getString("text", "");
    if (in.getBoolean("punctuated", false) || text.isBlank()) {
      return Future.succeededFuture(text);
    }
    List<Word> words = words(in.getJsonArray("words"));
    return names(tenant, meetingId)
      .otherwise(err -> {
        LOG.debug("Names of meeting {} unavailable for its captions: {}", meetingId, err.getMessage());
        return List.of();
      })
      .map(known -> punctuator.format(text, words, known));
  }

  private Future<List<String>> names(String tenant, UUID meetingId) {
    Names cached = names.get(meetingId);
    long now = System.currentTimeMillis();
    if (cached != null && cached.until() > now) {
      return Future.succeededFuture(cached.names());
    }
    return meetings.participantNames(tenant, meetingId).map(list -> {
      if (names.size() > 10_000) {
        names.clear();
      }
      names.put(meetingId, new Names(now + NAMES_TTL_MS, List.copyOf(list)));
      return list;
    });
  }

  /** {@code [[word, startMs, endMs], ...]} as the audio handler sends them; empty when absent or malformed. */
  static List<Word> words(JsonArray json) {
    List<Word> out = new ArrayList<>();
    if (json == null) {
      return out;
    }
    try {
      for (int i = 0; i < json.size(); i++) {
        JsonArray w = json.getJsonArray(i);
        out.add(new Word(w.getString(0), w.getLong(1), w.getLong(2)));
      }
    } catch (RuntimeException malformed) {
      return List.of();
    }
    return out;
  }
}
