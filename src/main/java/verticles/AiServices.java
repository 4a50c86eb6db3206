package verticles;

import ai.AiPricing;
import ai.ContentSafety;
import ai.SpeechRecognizer;
import ai.Summarizer;
import ai.SupportedLanguages;
import ai.Translator;

/**
 * The configured AI providers, built once at start-up and shared by all verticles, and what they
 * support together ({@code languages}). {@code summarizer} writes recaps; {@code offlineSummarizer}
 * (the extractive one, the same object when it is the configured one) writes them when the
 * configured provider fails. {@code localStt} is the local engine (Vosk) that captions fall back to
 * when a tenant's AI budget is spent: {@code stt} itself when that is Vosk, null when it could not
 * be loaded.
 */
public record AiServices(SpeechRecognizer stt, Translator translator, ContentSafety safety, ContentSafety builtInSafety,
                         AiPricing pricing, Summarizer summarizer, Summarizer offlineSummarizer, SupportedLanguages languages,
                         SpeechRecognizer localStt) {

  void close() {
    stt.close();
    if (localStt != null && localStt != stt) {
      localStt.close();
    }
    translator.close();
    summarizer.close();
    if (offlineSummarizer != summarizer) {
      offlineSummarizer.close();
    }
  }
}
