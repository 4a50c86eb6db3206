package ai.stt;

import java.util.List;

/**
 * Recognised text over {@code [startMs, endMs]} of the stream's audio. {@code audioReceivedAtNanos}
 * is {@link System#nanoTime()} when the newest audio this result covers was written to the stream,
 * so that caption latency (audio received to caption published) can be measured. {@code words}
 * holds each word's timing when the recogniser gives it (Vosk's finals), else it is empty.
 */
public record Segment(String text, long startMs, long endMs, long audioReceivedAtNanos, List<Word> words) {

  public Segment {
    words = words == null ? List.of() : List.copyOf(words);
  }

  public Segment(String text, long startMs, long endMs, long audioReceivedAtNanos) {
    this(text, startMs, endMs, audioReceivedAtNanos, List.of());
  }
}
