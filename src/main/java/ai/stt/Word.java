package ai.stt;

/** One recognised word and where it lies in the stream's audio, in milliseconds. */
public record Word(String text, long startMs, long endMs) {
}
