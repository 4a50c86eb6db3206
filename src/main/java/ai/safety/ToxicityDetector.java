package ai.safety;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds toxic language with curated word lists and phrase rules ({@link Lexicon}).
 *
 * <p>The text is first normalised word by word (case, apostrophes, leetspeak such as {@code 1d10t},
 * elongations such as {@code idiooooot}); every rule then runs over the normalised text, anchored
 * on word boundaries, so "Scunthorpe", "Essex" or "assassin's creed" never match a shorter word.
 * Context comes from the rules themselves (a threat needs a person as its object: "kill you", not
 * "kill the process") and from {@link Lexicon#SAFE_PHRASES}, which cancel findings they overlap.
 *
 * <p>Each rule is tried only where the normalised text holds something it can start with
 * ({@link StartIndex}: a prefix tree over the first characters of every rule, walked once per
 * word), so a message that contains none of a rule's first words never runs that rule.
 *
 * <p>Thread-safe; linear in the text length; allocation is a few arrays per call.
 */
public final class ToxicityDetector {

  private record CompiledRule(ToxicCategory category, int severity, Pattern pattern, boolean profanity, Pattern trigger) {}

  private static final String BOUNDARY_BEFORE = "(?<![\\p{L}\\p{N}])";
  private static final String BOUNDARY_AFTER = "(?![\\p{L}\\p{N}])";

  private static final List<CompiledRule> RULES = compile(Lexicon.RULES);

  private static final Pattern SAFE = wordBounded(Lexicon.SAFE_PHRASES);

  /** Where each rule, then the safe phrases (last), can start in a text. */
  private static final StartIndex STARTS = StartIndex.of(java.util.stream.Stream.concat(
    RULES.stream().map(CompiledRule::pattern), java.util.stream.Stream.of(SAFE)).toList());

  /** Words the rules know, used to choose how to collapse an elongated word ("kiiiill" is "kill", "asssss" is "ass"). */
  private static final Set<String> VOCABULARY = vocabulary();

  /** {@link Lexicon#MASKABLE} by length, in list order, for undoing masking stars. */
  private static final java.util.Map<Integer, List<String>> MASKABLE_BY_LENGTH = Lexicon.MASKABLE.stream().distinct()
    .collect(java.util.stream.Collectors.groupingBy(String::length));

  private final boolean indexed;

  /** Each rule is tried only where the text holds a word it can start with. */
  public ToxicityDetector() {
    this(true);
  }

  private ToxicityDetector(boolean indexed) {
    this.indexed = indexed;
  }

  /**
   * The reference search: every rule tried at every position of the text. It finds exactly what
   * the default detector finds (tests compare the two), at many times the cost; bench/safety.sh
   * times both side by side.
   */
  public static ToxicityDetector exhaustive() {
    return new ToxicityDetector(false);
  }

  /** Detects every category. */
  public List<ToxicFinding> detect(String text) {
    return detect(text, EnumSet.allOf(ToxicCategory.class));
  }

  /**
   * Detects the given categories; findings of one category that overlap are merged into one
   * finding with the highest severity. Sorted by start offset.
   */
  public List<ToxicFinding> detect(String text, Set<ToxicCategory> categories) {
    if (text == null || text.isBlank() || categories.isEmpty()) {
      return List.of();
    }
    Normalised norm = Normalised.of(text);
    if (norm.text.isEmpty()) {
      return List.of();
    }
    int[][] starts = indexed ? STARTS.candidates(norm.text) : null;
    List<int[]> safeSpans = matches(SAFE, norm.text, starts, RULES.size());
    List<ToxicFinding> raw = new ArrayList<>();
    List<ToxicFinding> profane = new ArrayList<>();
    java.util.Map<Pattern, Boolean> triggered = new java.util.IdentityHashMap<>();
    for (int i = 0; i < RULES.size(); i++) {
      CompiledRule rule = RULES.get(i);
      if (!categories.contains(rule.category()) || indexed && starts[i] == null) {
        continue;
      }
      if (rule.trigger() != null && !triggered.computeIfAbsent(rule.trigger(), t -> t.matcher(norm.text).find())) {
        continue;
      }
      for (int[] m : matches(rule.pattern(), norm.text, starts, i)) {
        if (overlapsAny(m[0], m[1], safeSpans)) {
          continue;
        }
        ToxicFinding finding = new ToxicFinding(rule.category(), rule.severity(), norm.originalStart(m[0]),
          norm.originalEnd(m[1]));
        (rule.profanity() ? profane : raw).add(finding);
      }
    }
    for (ToxicFinding f : profane) {
      // Stars are the writer's own censoring ("f***ing"); a sexual finding already says what the words are.
      if (text.substring(f.start(), f.end()).indexOf('*') < 0 && raw.stream()
        .noneMatch(o -> o.category() == ToxicCategory.SEXUAL && o.start() < f.end() && f.start() < o.end())) {
        raw.add(f);
      }
    }
    return merge(raw);
  }

  /**
   * The non-empty matches of {@code pattern}, as {@code {start, end}}: at the starts the index gave
   * it ({@code starts[entry]}), or by {@link Matcher#find()} over the whole text when not indexed.
   */
  private static List<int[]> matches(Pattern pattern, String text, int[][] starts, int entry) {
    if (starts != null) {
      return StartIndex.matches(pattern, text, starts[entry]);
    }
    List<int[]> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      if (m.end() > m.start()) {
        found.add(new int[] {m.start(), m.end()});
      }
    }
    return found;
  }

  /** Each rule word-bounded; rules gated by the same trigger share one compiled trigger. */
  private static List<CompiledRule> compile(List<Lexicon.Rule> rules) {
    java.util.Map<String, Pattern> triggers = new java.util.HashMap<>();
    return rules.stream().map(r -> new CompiledRule(r.category(), r.severity(), wordBounded(r.regex()), r.profanity(),
      r.trigger() == null ? null : triggers.computeIfAbsent(r.trigger(), ToxicityDetector::wordBounded))).toList();
  }

  private static boolean overlapsAny(int start, int end, List<int[]> spans) {
    for (int[] s : spans) {
      if (s[0] < end && start < s[1]) {
        return true;
      }
    }
    return false;
  }

  private static List<ToxicFinding> merge(List<ToxicFinding> raw) {
    if (raw.size() < 2) {
      return raw;
    }
    raw.sort(Comparator.comparing(ToxicFinding::category).thenComparingInt(ToxicFinding::start));
    List<ToxicFinding> merged = new ArrayList<>();
    ToxicFinding current = raw.get(0);
    for (int i = 1; i < raw.size(); i++) {
      ToxicFinding next = raw.get(i);
      if (next.category() == current.category() && next.start() < current.end()) {
        current = new ToxicFinding(current.category(), Math.max(current.severity(), next.severity()),
          current.start(), Math.max(current.end(), next.end()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    merged.sort(Comparator.comparingInt(ToxicFinding::start).thenComparing(ToxicFinding::category));
    return merged;
  }

  private static Pattern wordBounded(String regex) {
    return Pattern.compile(BOUNDARY_BEFORE + "(?:" + regex + ")" + BOUNDARY_AFTER);
  }

  private static Set<String> vocabulary() {
    Set<String> words = new HashSet<>();
    Matcher m = Pattern.compile("[a-z]{2,}").matcher("");
    for (Lexicon.Rule rule : Lexicon.RULES) {
      m.reset(rule.regex());
      while (m.find()) {
        words.add(m.group());
      }
    }
    return Set.copyOf(words);
  }

  /**
   * The normalised text, one space between words and {@code |} at sentence breaks, with each
   * normalised character mapped back to the original word it came from.
   */
  static final class Normalised {
    /** Letters a word spelled out one by one can have ("f u u u c k" has seven); the longest rule word has far fewer. */
    static final int MAX_SPELLED_LETTERS = 40;

    final String text;
    private final int[] origStart;
    private final int[] origEnd;

    private Normalised(String text, int[] origStart, int[] origEnd) {
      this.text = text;
      this.origStart = origStart;
      this.origEnd = origEnd;
    }

    int originalStart(int normIndex) {
      return origStart[normIndex];
    }

    int originalEnd(int normEndExclusive) {
      return origEnd[normEndExclusive - 1];
    }

    static Normalised of(String text) {
      StringBuilder out = new StringBuilder(text.length());
      // Each gap of at least one character becomes one or three characters (" " or " | ").
      int[] starts = new int[3 * text.length() + 3];
      int[] ends = new int[3 * text.length() + 3];
      int i = 0;
      int n = text.length();
      boolean pendingBreak = false;
      while (i < n) {
        char c = text.charAt(i);
        if (isWordChar(text, i)) {
          int start = i;
          String word;
          int spelled = spelledOutEnd(text, i);
          if (spelled > 0) {
            word = spelledOutWord(text, start, spelled);
            i = spelled;
          } else {
            while (i < n && (isWordChar(text, i) || isInnerApostrophe(text, i))) {
              i++;
            }
            word = normaliseWord(text.substring(start, i));
          }
          if (word.isEmpty()) {
            continue;
          }
          if (out.length() > 0) {
            int sepStart = pendingBreak ? start - 1 : start;
            if (pendingBreak) {
              append(out, starts, ends, " | ", sepStart, start);
            } else {
              append(out, starts, ends, " ", sepStart, start);
            }
          }
          pendingBreak = false;
          append(out, starts, ends, word, start, i);
        } else {
          if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n' || c == '(' || c == ')'
            || c == '"' || c == '“' || c == '”' || c == '…') {
            pendingBreak = true;
          }
          i++;
        }
      }
      return new Normalised(out.toString(), starts, ends);
    }

    /**
     * Where a word spelled out letter by letter ("f u c k", "S.H.I.T", "f-u-c-k") ends, when the
     * letters make a word the rules know; else -1. Three letters at least, each alone between
     * separators (one or two of space, dot, hyphen, underscore), so "U S A" or "a b c" stay as they are.
     * A run of more than {@link #MAX_SPELLED_LETTERS} letters is no word: without that bound a text
     * of 2,000 digits between spaces took a quadratic 20 ms, every digit starting a scan to the end.
     */
    static int spelledOutEnd(String text, int i) {
      int n = text.length();
      int letters = 0;
      int pos = i;
      int end = -1;
      while (pos < n && Character.isLetterOrDigit(text.charAt(pos)) && (pos + 1 == n || !Character.isLetterOrDigit(text.charAt(pos + 1)))) {
        if (++letters > MAX_SPELLED_LETTERS) {
          return -1;
        }
        end = pos + 1;
        int next = pos + 1;
        int separators = 0;
        while (next < n && separators < 2 && isLetterSeparator(text.charAt(next))) {
          next++;
          separators++;
        }
        if (separators == 0 || next >= n) {
          break;
        }
        pos = next;
      }
      if (letters < 3) {
        return -1;
      }
      return VOCABULARY.contains(spelledOutWord(text, i, end)) ? end : -1;
    }

    private static String spelledOutWord(String text, int start, int end) {
      StringBuilder letters = new StringBuilder();
      for (int k = start; k < end; k++) {
        if (Character.isLetterOrDigit(text.charAt(k))) {
          letters.append(text.charAt(k));
        }
      }
      return normaliseWord(letters.toString());
    }

    private static boolean isLetterSeparator(char c) {
      return c == ' ' || c == '.' || c == '-' || c == '_';
    }

    private static void append(StringBuilder out, int[] starts, int[] ends, String s, int origStart, int origEnd) {
      for (int k = 0; k < s.length(); k++) {
        int at = out.length();
        starts[at] = origStart;
        ends[at] = origEnd;
        out.append(s.charAt(k));
      }
    }

    private static boolean isWordChar(String text, int i) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        return true;
      }
      // A masking star inside a word ("f*ck", "a**hole", "sh*t") is a letter the reader fills in.
      if (c == '*') {
        int before = i - 1;
        while (before >= 0 && text.charAt(before) == '*') {
          before--;
        }
        int after = i + 1;
        while (after < text.length() && text.charAt(after) == '*') {
          after++;
        }
        return before >= 0 && Character.isLetter(text.charAt(before)) && after < text.length() && Character.isLetter(text.charAt(after));
      }
      // Leetspeak symbols count as letters only inside a word: "@ss", "$hit", "sh!t", "b!tch".
      if (c == '@' || c == '$' || c == '!') {
        boolean letterBefore = i > 0 && Character.isLetter(text.charAt(i - 1));
        boolean letterAfter = i + 1 < text.length() && Character.isLetter(text.charAt(i + 1));
        return c == '!' ? letterBefore && letterAfter : letterBefore || letterAfter;
      }
      return false;
    }

    private static boolean isInnerApostrophe(String text, int i) {
      char c = text.charAt(i);
      return (c == '\'' || c == '’') && i > 0 && i + 1 < text.length()
        && Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1));
    }

    static String normaliseWord(String raw) {
      String lower = raw.toLowerCase(Locale.ROOT);
      // "we'll", "he'll" and "she'll" would read as "well", "hell" and "shell" without their apostrophe.
      if (lower.length() > 3 && lower.endsWith("ll") && (lower.charAt(lower.length() - 3) == '\'' || lower.charAt(lower.length() - 3) == '’')) {
        String who = lower.substring(0, lower.length() - 3);
        if (who.equals("we") || who.equals("he") || who.equals("she")) {
          return who + " will";
        }
      }
      StringBuilder sb = new StringBuilder(lower.length());
      boolean hasLetter = false;
      for (int k = 0; k < lower.length(); k++) {
        if (Character.isLetter(lower.charAt(k))) {
          hasLetter = true;
          break;
        }
      }
      for (int k = 0; k < lower.length(); k++) {
        char c = lower.charAt(k);
        if (c == '\'' || c == '’') {
          continue;
        }
        if (hasLetter) {
          c = switch (c) {
            case '0' -> 'o';
            case '1', '!' -> 'i';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> c;
          };
        }
        sb.append(c);
      }
      String word = sb.indexOf("*") >= 0 ? unmask(sb.toString()) : sb.toString();
      return deElongate(word);
    }

    /** "f*ck" -> "fuck", "a**hole" -> "asshole": the first maskable word the stars can stand for, else the word as written. */
    private static String unmask(String word) {
      for (String candidate : MASKABLE_BY_LENGTH.getOrDefault(word.length(), List.of())) {
        boolean fits = true;
        for (int k = 0; k < word.length() && fits; k++) {
          char c = word.charAt(k);
          fits = c == '*' || c == candidate.charAt(k);
        }
        if (fits) {
          return candidate;
        }
      }
      return word;
    }

    /** "idiooooot" -> "idiot", "kiiiill" -> "kill", "asssss" -> "ass": runs of 3+ shrink to 2 or 1 letters, whichever the rules know. */
    private static String deElongate(String word) {
      List<int[]> runs = new ArrayList<>();
      for (int k = 0; k < word.length(); ) {
        int j = k;
        while (j < word.length() && word.charAt(j) == word.charAt(k)) {
          j++;
        }
        if (j - k >= 3 && Character.isLetter(word.charAt(k))) {
          runs.add(new int[] {k, j});
        }
        k = j;
      }
      if (runs.isEmpty()) {
        return word;
      }
      // Prefer doubled letters when both forms are known ("asssss" is "ass", not "as"); otherwise single ones.
      int variants = runs.size() > 4 ? 1 : 1 << runs.size();
      String single = null;
      for (int mask = variants - 1; mask >= 0; mask--) {
        StringBuilder sb = new StringBuilder(word.length());
        int last = 0;
        for (int r = 0; r < runs.size(); r++) {
          int[] run = runs.get(r);
          sb.append(word, last, run[0]);
          int keep = ((mask >> r) & 1) == 1 ? 2 : 1;
          sb.append(String.valueOf(word.charAt(run[0])).repeat(keep));
          last = run[1];
        }
        sb.append(word, last, word.length());
        String candidate = sb.toString();
        if (VOCABULARY.contains(candidate)) {
          return candidate;
        }
        single = candidate;
      }
      return single;
    }
  }
}
