package ai.stt;

import common.ParleyException;

/**
 * The Azure Speech SDK's recognition events mapped onto ours, with no SDK type in sight so that it
 * is tested without the cloud: {@code recognizing} is a partial, {@code recognized} with
 * {@code RecognizedSpeech} a final ({@code NoMatch} nothing), {@code canceled} with an error an
 * error. Offsets and durations are 100-ns ticks.
 */
public final class AzureSpeechEvents {

  private AzureSpeechEvents() {
  }

  /** What an event means for the listener. */
  public record Mapped(Kind kind, Segment segment, String error) {
  }

  public enum Kind { PARTIAL, FINAL, NOTHING, ERROR, END }

  public static Mapped recognizing(String text, long offsetTicks, long durationTicks, long receivedAtNanos) {
    return text == null || text.isBlank() ? nothing() : new Mapped(Kind.PARTIAL, segment(text, offsetTicks, durationTicks, receivedAtNanos), null);
  }

  public static Mapped recognized(String reason, String text, long offsetTicks, long durationTicks, long receivedAtNanos) {
    if (!"RecognizedSpeech".equals(reason) || text == null || text.isBlank()) {
      return nothing();
    }
    return new Mapped(Kind.FINAL, segment(text, offsetTicks, durationTicks, receivedAtNanos), null);
  }

  /** {@code reason} is EndOfStream or Error (or CancelledByUser); errors carry the SDK's details. */
  public static Mapped canceled(String reason, String errorCode, String details) {
    if ("EndOfStream".equals(reason)) {
      return new Mapped(Kind.END, null, null);
    }
    return new Mapped(Kind.ERROR, null, "azure speech " + (errorCode == null ? "error" : errorCode)
      + (details == null || details.isBlank() ? "" : ": " + details));
  }

  public static Mapped sessionStopped() {
    return new Mapped(Kind.END, null, null);
  }

  static Segment segment(String text, long offsetTicks, long durationTicks, long receivedAtNanos) {
    long start = offsetTicks / 10_000;
    return new Segment(text.trim(), start, start + durationTicks / 10_000, receivedAtNanos);
  }

  private static Mapped nothing() {
    return new Mapped(Kind.NOTHING, null, null);
  }

  /** Null when the settings can work, else what is missing, naming the configuration key. */
  public static String configurationProblem(String key, String region, String endpoint) {
    if (key == null || key.isBlank()) {
      return "ai.stt.azure.key is not set";
    }
    if ((region == null || region.isBlank()) && (endpoint == null || endpoint.isBlank())) {
      return "set ai.stt.azure.region (e.g. westeurope) or ai.stt.azure.endpoint";
    }
    return null;
  }

  static ParleyException unavailable(String problem) {
    return ParleyException.unavailable("speech recognition is not available: " + problem);
  }
}
