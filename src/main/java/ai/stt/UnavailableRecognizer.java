package ai.stt;

import ai.SpeechRecognizer;
import common.ParleyException;

/** Stands in for a provider that could not start: it says why, and refuses streams with 503. */
final class UnavailableRecognizer implements SpeechRecognizer {

  private final String provider;
  private final String problem;
  private final java.util.Set<String> languages;

  UnavailableRecognizer(String provider, String problem, java.util.Set<String> languages) {
    this.provider = provider;
    this.problem = problem;
    this.languages = languages;
  }

  @Override
  public java.util.Set<String> languages() {
    return languages;
  }

  @Override
  public boolean punctuates() {
    return false;
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public boolean supportsStreamRecognition() {
    return false;
  }

  @Override
  public boolean isConfiguredProperly() {
    return false;
  }

  @Override
  public String configurationProblem() {
    return problem;
  }

  @Override
  public RecognitionStream open(RecognitionRequest request, CaptionListener listener) {
    throw ParleyException.unavailable("speech recognition is not available: " + problem);
  }

  @Override
  public void close() {
  }
}
