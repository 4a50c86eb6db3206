package ai;

import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;

/**
 * Speech-to-text, one class per provider (in the spirit of jigasi's TranscriptionService): ask
 * what it can do, then open a stream per speaker. Implementations never recognise on an event
 * loop; listener callbacks arrive on the Vert.x context that opened the stream, in order.
 */
public interface SpeechRecognizer {

  /** "vosk" or "azure", for metrics and usage. */
  String provider();

  /** Partial results while speech goes on (as opposed to one result per utterance). */
  boolean supportsStreamRecognition();

  /** False when the provider cannot work as configured; {@link #configurationProblem()} says why. */
  boolean isConfiguredProperly();

  /** Null when configured properly, else one line for logs, readiness and close reasons. */
  String configurationProblem();

  /**
   * The languages it recognises, as {@link common.Languages#normalise} gives them (for a provider
   * that could not start: those it was configured for).
   */
  java.util.Set<String> languages();

  /**
   * True when its final text already has sentence case and punctuation (Azure's display text);
   * false when it gives bare lower-case words (Vosk), which the readable-captions step then
   * punctuates ({@link ai.stt.Punctuator}).
   */
  boolean punctuates();

  /**
   * Opens a stream for one speaker.
   *
   * @throws common.ParleyException 400 when the language is not supported
   */
  RecognitionStream open(RecognitionRequest request, CaptionListener listener);

  /** Releases the model and the worker threads. */
  void close();
}
