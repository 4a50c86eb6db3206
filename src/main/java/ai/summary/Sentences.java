package ai.summary;

import ai.summary.MeetingText.Utterance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Sentences of a meeting and the word-level helpers the extractive summarizer uses. English. */
final class Sentences {

  /** One sentence of one utterance; {@code utterance} is the utterance's position in the meeting. */
  record Sentence(int utterance, String speaker, String text, Instant at, String source) {
  }

  private Sentences() {
  }

  private static final Pattern SPLIT = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{L}\\p{N}\"'])");

  /** Each utterance split at sentence ends (a caption without punctuation is one sentence). */
  static List<Sentence> of(List<Utterance> utterances) {
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < utterances.size(); i++) {
      Utterance u = utterances.get(i);
      if (u.text() == null || u.text().isBlank()) {
        continue;
      }
      for (String s : SPLIT.split(u.text().replace('’', '\'').replaceAll("\\s+", " ").strip())) {
        if (!s.isBlank()) {
          out.add(new Sentence(i, u.speaker(), s.strip(), u.at(), u.source()));
        }
      }
    }
    return out;
  }

  /** Lower case, curly apostrophes straightened, everything but letters, digits, spaces and apostrophes removed. */
  static String plain(String s) {
    return s.toLowerCase(Locale.ROOT).replace('’', '\'').replaceAll("[^\\p{L}\\p{N}' ]+", " ").replaceAll("\\s+", " ").strip();
  }

  static final Set<String> STOP = Set.of(
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "can't",
    "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during",
    "each", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he",
    "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i",
    "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "let's", "me",
    "more", "most", "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other",
    "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "shan't", "she", "she'd", "she'll", "she's",
    "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we'd", "we'll", "we're",
    "we've", "were", "weren't", "what", "what's", "when", "when's", "where", "where's", "which", "while", "who",
    "who's", "whom", "why", "why's", "will", "with", "won't", "would", "wouldn't", "you", "you'd", "you'll", "you're",
    "you've", "your", "yours", "yourself", "yourselves", "ok", "okay", "yes", "yeah", "yep", "sure", "just", "really",
    "um", "uh", "like", "well", "oh", "gonna", "right", "thanks", "thank", "please", "hi", "hello", "hey", "let", "us",
    "get", "got", "go", "going", "make", "one", "two", "three", "now", "think", "want", "need", "know", "see", "thing",
    "things", "lot", "bit", "maybe", "actually", "good", "great", "fine", "anyway", "everyone", "guys", "today",
    "tomorrow", "week", "next", "last", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "morning", "afternoon", "way", "still", "much", "back", "time", "said", "say", "done", "yet", "already", "though",
    "even", "something", "anything", "everything", "someone", "anyone", "people", "day");

  /** Content words, lower case, crudely singular ("emails" and "email" are one word). */
  static List<String> contentWords(String s) {
    List<String> out = new ArrayList<>();
    for (String w : plain(s).split(" ")) {
      if (w.length() > 1 && !STOP.contains(w)) {
        out.add(stem(w));
      }
    }
    return out;
  }

  static String stem(String w) {
    String s = w.endsWith("'s") ? w.substring(0, w.length() - 2) : w.replace("'", "");
    if (s.length() > 3 && s.endsWith("ies")) {
      return s.substring(0, s.length() - 3) + "y";
    }
    if (s.length() > 3 && s.endsWith("s") && !s.endsWith("ss") && !s.endsWith("us") && !s.endsWith("is")) {
      return s.substring(0, s.length() - 1);
    }
    return s;
  }

  /**
   * A rough root for comparing words, not for showing them: "writing", "write" and "written" are
   * "writ"; "investigation" and "investigate" are "investigat".
   */
  static String root(String word) {
    String w = stem(word);
    for (String suffix : new String[] {"ation", "ition", "ing", "ion", "ed", "en"}) {
      if (w.length() > suffix.length() + 3 && w.endsWith(suffix)) {
        w = w.substring(0, w.length() - suffix.length());
        break;
      }
    }
    if (w.length() > 3 && w.endsWith("e")) {
      w = w.substring(0, w.length() - 1);
    }
    if (w.length() > 3 && w.charAt(w.length() - 1) == w.charAt(w.length() - 2)) {
      w = w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static final Pattern QUESTION_START = Pattern.compile(
    "^(?:can|could|would|do|does|did|is|are|was|were|have|has|how|what|why|when|where|who|which|should|shall|will|any|anyone)\\b",
    Pattern.CASE_INSENSITIVE);

  /** Ends with a question mark, or (a caption has no punctuation) starts like a question. */
  static boolean isQuestion(String text) {
    String t = text.strip();
    return t.endsWith("?") || !t.matches(".*[.!]$") && QUESTION_START.matcher(t).find();
  }

  static int words(String text) {
    String p = plain(text);
    return p.isEmpty() ? 0 : p.split(" ").length;
  }
}
