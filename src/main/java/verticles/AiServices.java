package verticles;

import ai.AiPricing;
import ai.ContentSafety;
import ai.SpeechRecognizer;
import ai.Translator;

/** The configured AI providers, built once at start-up and shared by all verticles. */
public record AiServices(SpeechRecognizer stt, Translator translator, ContentSafety safety, ContentSafety builtInSafety,
                         AiPricing pricing) {

  void close() {
    stt.close();
    translator.close();
  }
}
