package ai.stt;

/**
 * Recognised text over {@code [startMs, endMs]} of the stream's audio. {@code audioReceivedAtNanos}
 * is {@link System#nanoTime()} when the newest audio this result covers was written to the stream,
 * so that caption latency (audio received to caption published) can be measured.
 */
public record Segment(String text, long startMs, long endMs, long audioReceivedAtNanos) {
}
