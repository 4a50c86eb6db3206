package ai;

import ai.summary.MeetingText;
import ai.summary.Recap;
import io.vertx.core.Future;

/**
 * A meeting's recap from its transcript and chat: key points, decisions, action items (who, what,
 * by when) and keywords. One class per provider, like {@link Translator}.
 */
public interface Summarizer {

  /** "extractive" or "azure", for metrics and usage. */
  String provider();

  /**
   * The recap of {@code meeting}. A meeting with nothing said or written gives an empty recap, not
   * a failure. A provider that is down fails with a 503 {@code ParleyException}, one that refuses
   * the work for now (rate limit) with 429.
   */
  Future<Recap> summarize(MeetingText meeting);

  /** Succeeds when the provider can be used now (readiness). */
  Future<Void> health();

  void close();
}
