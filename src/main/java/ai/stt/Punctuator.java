package ai.stt;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Readable captions from a recogniser that gives bare lower-case words (Vosk's small English model
 * has no punctuation model): sentence case, end punctuation, and the meeting's participants' names
 * as they are written. Deterministic, English only, and it never changes, adds or drops a word:
 * only the case of letters changes and {@code .} or {@code ?} is appended to the last word of a
 * sentence, so the recogniser's word error rate is unchanged.
 *
 * <p>How it decides, in order:
 * <ol>
 *   <li><b>Sentences.</b> A caption ends a sentence (the recogniser finalises after a silence). Inside
 *   it, a pause of at least {@code sentencePauseMs} between two words (from the word timings) ends
 *   one too: in read and conversational English, pauses between sentences are typically 300 ms and
 *   more, those at commas and between words shorter. No sentence ends on a word that cannot end
 *   one (an article, a possessive, a conjunction, "of", "to", "very", "I", a hesitation such as
 *   "um"): a pause there is a hesitation. Without timings only the caption's end is a boundary.</li>
 *   <li><b>Questions</b> end with {@code ?}: after leading discourse words ("so", "okay", "and",
 *   "hey") and a vocative name, a sentence that starts with an inverted auxiliary and a subject
 *   ("can you", "is the build", "do we", "have you"), with "why", "who" or "whose", with a wh-word
 *   followed by an auxiliary ("what do", "where is", "how much", "which version are"), with "any
 *   questions"-style openers or "anyone", or that ends with a tag ("isn't it", "don't you").
 *   Everything else ends with {@code .}. No exclamation marks: nothing in bare words tells them apart.</li>
 *   <li><b>Casing:</b> the first word of each sentence; "I" and its contractions; days of the week,
 *   months (not the verbs "may" and "march") and language and nationality words; and each word of
 *   a participant's display name, as it is written ("María", "McKenzie"), matched without accents or
 *   case. A name that is also a common word ("Will", "Grace", "Mark") is capitalised only where it
 *   reads as a name: after a greeting or thanks ("thanks will"), after "ask", "tell" or "ping", next
 *   to another word of the same person's name, or as a vocative before a question.</li>
 * </ol>
 * Text that already has a capital letter or punctuation (another provider's, or a caption made
 * readable before) is returned as it is.
 */
public final class Punctuator {

  private static final Pattern ALREADY_FORMATTED = Pattern.compile("[A-Z.?!,;:]");

  /** Words after which a pause is a hesitation, not the end of a sentence. */
  private static final Set<String> NEVER_LAST = Set.of("a", "an", "the", "my", "your", "our", "their", "and", "or", "but",
    "because", "if", "than", "of", "to", "very", "i", "um", "uh", "er", "erm", "hmm", "whose", "every", "each");

  /** Leading words skipped before a sentence's question test ("so can you", "okay what now"). */
  private static final Set<String> DISCOURSE = Set.of("so", "and", "but", "okay", "ok", "well", "also", "then", "now", "hey",
    "hi", "hello", "alright", "um", "uh", "oh", "yeah", "yes", "no", "sorry", "actually", "just", "right", "quick", "question",
    "anyway", "listen", "look", "guys", "folks", "everyone", "everybody", "team", "good", "morning", "afternoon", "evening");

  private static final Set<String> AUX_ANY_SUBJECT = Set.of("is", "are", "was", "were", "am", "does", "did", "can", "could",
    "will", "would", "should", "has", "isn't", "aren't", "wasn't", "weren't", "doesn't", "didn't", "can't", "couldn't",
    "won't", "wouldn't", "shouldn't", "hasn't");
  /** Auxiliaries that start a question only with a pronoun after them ("do you", but "do the dishes"). */
  private static final Set<String> AUX_PRONOUN_SUBJECT = Set.of("do", "don't", "have", "haven't", "had", "hadn't", "may",
    "might", "shall", "must");
  private static final Set<String> PRONOUNS = Set.of("i", "you", "we", "they", "he", "she", "it", "there", "anyone",
    "anybody", "someone", "somebody", "everyone", "everybody", "y'all", "you all", "we've", "you've");
  private static final Set<String> SUBJECT_STARTS = Set.of("this", "that", "these", "those", "the", "a", "an", "my",
    "your", "our", "their", "his", "her", "its", "any", "anything", "something", "everything", "all", "some", "both");
  private static final Set<String> AUXILIARIES;

  static {
    java.util.HashSet<String> aux = new java.util.HashSet<>(AUX_ANY_SUBJECT);
    aux.addAll(AUX_PRONOUN_SUBJECT);
    AUXILIARIES = Set.copyOf(aux);
  }

  private static final Set<String> WH_ALWAYS = Set.of("why", "who", "whose", "whom", "who's", "what's", "where's", "how's",
    "when's", "which's");
  private static final Set<String> WH = Set.of("what", "where", "when", "which", "how");
  private static final Set<String> HOW_QUESTIONS = Set.of("much", "many", "long", "often", "far", "about", "come", "soon",
    "old", "big", "late", "early");
  private static final Set<String> WHAT_QUESTIONS = Set.of("about", "if", "else", "now", "next");
  private static final Set<String> OPENER_NOUNS = Set.of("questions", "question", "thoughts", "comments", "ideas",
    "objections", "updates", "concerns", "volunteers", "takers", "feedback", "blockers", "news");
  private static final List<List<String>> TAGS = List.of(List.of("isn't", "it"), List.of("aren't", "you"),
    List.of("aren't", "we"), List.of("aren't", "they"), List.of("don't", "you"), List.of("don't", "we"),
    List.of("don't", "they"), List.of("doesn't", "it"), List.of("won't", "you"), List.of("won't", "it"),
    List.of("can't", "we"), List.of("can't", "you"), List.of("didn't", "you"), List.of("didn't", "we"),
    List.of("wasn't", "it"), List.of("haven't", "you"), List.of("or", "not"));

  private static final Map<String, String> ALWAYS_CAPITALISED = new HashMap<>();

  static {
    for (String w : List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
      "February", "April", "June", "July", "August", "September", "October", "November", "December", "English", "Spanish",
      "French", "German", "Italian", "Portuguese", "Catalan", "Chinese", "Japanese", "Dutch", "Russian", "Polish",
      "European", "American", "British", "Canadian", "Christmas", "Easter", "Internet")) {
      ALWAYS_CAPITALISED.put(w.toLowerCase(Locale.ROOT), w);
    }
  }

  /**
   * Given names that are also everyday English words: capitalised only where they read as a name.
   * Kept small on purpose: it lists words a meeting says often ("will", "may", "mark").
   */
  private static final Set<String> COMMON_WORD_NAMES = Set.of("will", "may", "mark", "bill", "grace", "hope", "joy",
    "faith", "rose", "june", "april", "august", "summer", "dawn", "drew", "frank", "gene", "pat", "sue", "ray", "max",
    "art", "chase", "lane", "wade", "reed", "sky", "rob", "jack", "penny", "ruby", "amber", "holly", "ivy", "jade",
    "pearl", "sandy", "daisy", "iris", "sunny", "don", "guy", "page", "miles", "victor", "norm", "skip", "buck", "cliff",
    "dean", "earl", "grant", "hunter", "king", "kit", "long", "love", "major", "price", "rich", "stone", "white", "young",
    "brown", "green", "black", "baker", "cook", "hall", "wood", "bell", "cash", "glen", "carol", "angel", "autumn",
    "river", "star");
  /** Words after which a common-word name reads as a name ("thanks will", "ask mark"). */
  private static final Set<String> NAME_CONTEXT = Set.of("hi", "hey", "hello", "thanks", "bye", "ask", "asked", "tell",
    "told", "ping", "cc", "dear", "welcome", "congratulations", "congrats", "sorry");

  /** The meeting's names: each name word as written, by its folded form, and the words of the same person's name. */
  private record Names(Map<String, String> spelled, Map<String, Set<String>> sameName) {

    boolean contains(String token) {
      return spelled.containsKey(token);
    }

    /** Two words of one person's name, one after the other ("will turner"). */
    boolean samePerson(String first, String second) {
      return second != null && !first.equals(second) && sameName.getOrDefault(first, Set.of()).contains(second);
    }
  }

  private final long sentencePauseMs;

  /** @param sentencePauseMs a pause at least this long between two words ends a sentence */
  public Punctuator(long sentencePauseMs) {
    this.sentencePauseMs = sentencePauseMs;
  }

  /**
   * @param text  the recogniser's final text (lower-case words separated by spaces)
   * @param words its words with timings, or empty; ignored unless they are the text's words
   * @param names the meeting's participants' display names
   */
  public String format(String text, List<Word> words, Collection<String> names) {
    if (text == null || text.isBlank() || ALREADY_FORMATTED.matcher(text).find()) {
      return text;
    }
    String[] tokens = text.trim().split("\\s+");
    long[] pauses = pauses(tokens, words);
    Map<String, String> spelled = new HashMap<>();
    Map<String, Set<String>> sameName = new HashMap<>();
    names(names, spelled, sameName);
    Names known = new Names(spelled, sameName);

    List<int[]> sentences = sentences(tokens, pauses);
    String[] out = new String[tokens.length];
    for (int[] s : sentences) {
      for (int i = s[0]; i < s[1]; i++) {
        out[i] = cased(tokens, i, s, known);
      }
      out[s[0]] = capitalised(out[s[0]]);
      out[s[1] - 1] = out[s[1] - 1] + (isQuestion(tokens, s[0], s[1], known) ? "?" : ".");
    }
    return String.join(" ", out);
  }

  /** The pause after each word in ms, or -1 where unknown (no timings, or they are not the text's words). */
  private static long[] pauses(String[] tokens, List<Word> words) {
    long[] out = new long[tokens.length];
    java.util.Arrays.fill(out, -1);
    if (words == null || words.size() != tokens.length) {
      return out;
    }
    for (int i = 0; i < tokens.length; i++) {
      if (!words.get(i).text().equals(tokens[i])) {
        java.util.Arrays.fill(out, -1);
        return out;
      }
      if (i + 1 < tokens.length) {
        out[i] = Math.max(0, words.get(i + 1).startMs() - words.get(i).endMs());
      }
    }
    return out;
  }

  private List<int[]> sentences(String[] tokens, long[] pauses) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < tokens.length - 1; i++) {
      boolean pause = pauses[i] >= sentencePauseMs && !NEVER_LAST.contains(tokens[i]);
      if (pause) {
        out.add(new int[]{start, i + 1});
        start = i + 1;
      }
    }
    out.add(new int[]{start, tokens.length});
    return out;
  }

  private static void names(Collection<String> names, Map<String, String> spelled, Map<String, Set<String>> sameName) {
    if (names == null) {
      return;
    }
    for (String name : names) {
      if (name == null) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (String part : name.trim().split("[\\s]+")) {
        String word = part.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        if (word.length() >= 2 && word.chars().allMatch(c -> Character.isLetter(c) || c == '\'' || c == '-')) {
          parts.add(word);
        }
      }
      Set<String> keys = new java.util.HashSet<>();
      for (String word : parts) {
        keys.add(fold(word));
      }
      for (String word : parts) {
        String key = fold(word);
        spelled.putIfAbsent(key, word);
        sameName.computeIfAbsent(key, k -> new java.util.HashSet<>()).addAll(keys);
      }
    }
  }

  /** Lower case without accents: how the recogniser spells a name ("María" is heard as "maria"). */
  static String fold(String word) {
    return Normalizer.normalize(word, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
  }

  private static String cased(String[] tokens, int i, int[] sentence, Names known) {
    String token = tokens[i];
    if (token.equals("i") || token.startsWith("i'")) {
      return "I" + token.substring(1);
    }
    String base = token;
    String suffix = "";
    if (token.endsWith("'s") && token.length() > 2) {
      base = token.substring(0, token.length() - 2);
      suffix = "'s";
    }
    String name = known.spelled().get(base);
    if (name != null && (!COMMON_WORD_NAMES.contains(base) || readsAsName(tokens, i, sentence, known))) {
      return name + suffix;
    }
    String always = ALWAYS_CAPITALISED.get(base);
    return always != null ? always + suffix : token;
  }

  /** A name that is also a word: after a greeting or "ask", next to another part of the name, or vocative before a question. */
  private static boolean readsAsName(String[] tokens, int i, int[] sentence, Names known) {
    String base = tokens[i].endsWith("'s") ? tokens[i].substring(0, tokens[i].length() - 2) : tokens[i];
    if (i > 0) {
      String before = tokens[i - 1];
      String twoBefore = i > 1 ? tokens[i - 2] : "";
      if (NAME_CONTEXT.contains(before) || before.equals("you") && twoBefore.equals("thank")
        || (before.equals("and") || before.equals("with")) && known.contains(twoBefore) || known.samePerson(base, before)) {
        return true;
      }
    }
    if (i + 1 < tokens.length && known.samePerson(base, tokens[i + 1])) {
      return true;
    }
    // "will did you finish the slides": a vocative at the start, then a question that does not need it
    return i == sentence[0] && i + 2 < sentence[1] && startsQuestion(tokens, i + 1, sentence[1], known);
  }

  private static String capitalised(String token) {
    if (token.isEmpty() || !Character.isLetter(token.charAt(0))) {
      return token;
    }
    return token.substring(0, 1).toUpperCase(Locale.ROOT) + token.substring(1);
  }

  private static boolean isQuestion(String[] tokens, int from, int to, Names names) {
    int n = to - from;
    for (List<String> tag : TAGS) {
      if (n > tag.size() + 1 && endsWith(tokens, to, tag)) {
        return true;
      }
    }
    int i = from;
    int skipped = 0;
    while (i < to - 1 && skipped < 4 && (DISCOURSE.contains(tokens[i]) || names.contains(tokens[i]))) {
      i++;
      skipped++;
    }
    return startsQuestion(tokens, i, to, names) || (skipped > 0 && startsQuestion(tokens, from, to, names));
  }

  private static boolean endsWith(String[] tokens, int to, List<String> tag) {
    for (int k = 0; k < tag.size(); k++) {
      if (!tokens[to - tag.size() + k].equals(tag.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the words from {@code i} open a question. */
  private static boolean startsQuestion(String[] tokens, int i, int to, Names names) {
    if (i >= to) {
      return false;
    }
    String first = tokens[i];
    String second = i + 1 < to ? tokens[i + 1] : null;
    String third = i + 2 < to ? tokens[i + 2] : null;
    if (WH_ALWAYS.contains(first)) {
      return true;
    }
    if (WH.contains(first)) {
      if (second == null) {
        return true; // "what" / "when" on their own
      }
      if (AUXILIARIES.contains(second)) {
        return true;
      }
      if (first.equals("how") && HOW_QUESTIONS.contains(second)) {
        return true;
      }
      if (first.equals("what") && WHAT_QUESTIONS.contains(second)) {
        return true;
      }
      // "what time is it", "which version are we using": a noun, then the auxiliary
      return (first.equals("what") || first.equals("which")) && third != null && AUXILIARIES.contains(third)
        && !PRONOUNS.contains(second);
    }
    if (names.samePerson(first, second)) {
      return false; // "will turner is here": a name, not an auxiliary
    }
    if (second != null && (AUX_ANY_SUBJECT.contains(first) && (PRONOUNS.contains(second) || SUBJECT_STARTS.contains(second)
      || names.contains(second)) || AUX_PRONOUN_SUBJECT.contains(first) && (PRONOUNS.contains(second)
      || names.contains(second)))) {
      return true;
    }
    if ((first.equals("any") && second != null && OPENER_NOUNS.contains(second))
      || (first.equals("anyone") || first.equals("anybody") || first.equals("anything"))) {
      return true;
    }
    return false;
  }
}
