package support;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores readable captions against a reference: the share of the reference's sentences whose casing
 * and end punctuation the hypothesis matches. Words are aligned first (Levenshtein, case, accents
 * and punctuation ignored), so that a recognition error is not counted as a casing error; what is
 * judged per reference sentence:
 * <ul>
 *   <li>its first word is capitalised, and its last word carries the same end mark ({@code .} {@code ?}
 *   {@code !}; misrecognised words count here: the mark goes wherever the sentence ends);</li>
 *   <li>no other word of it carries an end mark (the sentence was not split);</li>
 *   <li>every word recognised correctly is cased exactly as in the reference (names, "I", days).</li>
 * </ul>
 * A sentence whose every word was lost is a miss. Commas are not scored.
 */
public final class Readability {

  /** A word as written: its normal form (for alignment), its letters as cased, and the end mark after it. */
  public record Token(String word, String cased, char mark) {
  }

  public record Score(int sentences, int matched, List<String> misses) {
    public double share() {
      return sentences == 0 ? 1 : (double) matched / sentences;
    }

    public Score plus(Score other) {
      List<String> all = new ArrayList<>(misses);
      all.addAll(other.misses);
      return new Score(sentences + other.sentences, matched + other.matched, all);
    }
  }

  private Readability() {
  }

  public static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    for (String raw : text.trim().split("\\s+")) {
      if (raw.isEmpty()) {
        continue;
      }
      char last = raw.charAt(raw.length() - 1);
      char mark = last == '.' || last == '?' || last == '!' ? last : 0;
      String cased = raw.replaceAll("^[^\\p{L}\\p{N}']+|[^\\p{L}\\p{N}']+$", "");
      if (!cased.isEmpty()) {
        out.add(new Token(normal(cased), cased, mark));
      } else if (mark != 0 && !out.isEmpty()) {
        Token prev = out.remove(out.size() - 1);
        out.add(new Token(prev.word(), prev.cased(), mark));
      }
    }
    return out;
  }

  /** Lower case, no accents: how words are compared (the recogniser hears "María" as "maria"). */
  public static String normal(String word) {
    return Normalizer.normalize(word, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
  }

  /** The words alone, normalised: what word error rate sees. */
  public static List<String> words(String text) {
    return tokens(text).stream().map(Token::word).toList();
  }

  public static Score score(String reference, String hypothesis) {
    List<Token> ref = tokens(reference);
    List<Token> hyp = tokens(hypothesis);
    int[] refToHyp = new int[ref.size()];
    int[] hypOwner = new int[hyp.size()]; // the reference token each hypothesis token belongs to
    align(ref, hyp, refToHyp, hypOwner);

    List<int[]> sentences = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < ref.size(); i++) {
      if (ref.get(i).mark() != 0 || i == ref.size() - 1) {
        sentences.add(new int[]{start, i + 1});
        start = i + 1;
      }
    }
    int matched = 0;
    List<String> misses = new ArrayList<>();
    for (int[] s : sentences) {
      List<Integer> span = new ArrayList<>();
      for (int h = 0; h < hyp.size(); h++) {
        if (hypOwner[h] >= s[0] && hypOwner[h] < s[1]) {
          span.add(h);
        }
      }
      String why = judge(ref, hyp, refToHyp, s, span);
      if (why == null) {
        matched++;
      } else {
        misses.add(why + ": \"" + text(ref, s[0], s[1]) + "\" -> \"" + span.stream().map(h -> hyp.get(h).cased()
          + (hyp.get(h).mark() == 0 ? "" : String.valueOf(hyp.get(h).mark()))).reduce((a, b) -> a + " " + b).orElse("") + "\"");
      }
    }
    return new Score(sentences.size(), matched, misses);
  }

  private static String judge(List<Token> ref, List<Token> hyp, int[] refToHyp, int[] s, List<Integer> span) {
    if (span.isEmpty()) {
      return "lost";
    }
    Token lastRef = ref.get(s[1] - 1);
    Token lastHyp = hyp.get(span.get(span.size() - 1));
    if (lastHyp.mark() != lastRef.mark()) {
      return "end mark";
    }
    for (int k = 0; k < span.size() - 1; k++) {
      if (hyp.get(span.get(k)).mark() != 0) {
        return "split";
      }
    }
    Token first = hyp.get(span.get(0));
    if (!Character.isUpperCase(first.cased().codePointAt(0))) {
      return "first word";
    }
    for (int r = s[0]; r < s[1]; r++) {
      int h = refToHyp[r];
      if (h >= 0 && hyp.get(h).word().equals(ref.get(r).word()) && !hyp.get(h).cased().equals(ref.get(r).cased())
        && !(r == s[0] && h == span.get(0) && hyp.get(h).cased().equalsIgnoreCase(ref.get(r).cased()))) {
        return "casing of " + ref.get(r).cased();
      }
    }
    return null;
  }

  private static String text(List<Token> tokens, int from, int to) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < to; i++) {
      out.append(i > from ? " " : "").append(tokens.get(i).cased()).append(tokens.get(i).mark() == 0 ? "" : tokens.get(i).mark());
    }
    return out.toString();
  }

  /** Levenshtein on the normal words; substitutions and matches pair tokens, insertions join the reference token before them. */
  private static void align(List<Token> ref, List<Token> hyp, int[] refToHyp, int[] hypOwner) {
    int n = ref.size();
    int m = hyp.size();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int sub = d[i - 1][j - 1] + (ref.get(i - 1).word().equals(hyp.get(j - 1).word()) ? 0 : 1);
        d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
      }
    }
    Arrays.fill(refToHyp, -1);
    Arrays.fill(hypOwner, -1);
    int i = n;
    int j = m;
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + (ref.get(i - 1).word().equals(hyp.get(j - 1).word()) ? 0 : 1)) {
        refToHyp[i - 1] = j - 1;
        hypOwner[j - 1] = i - 1;
        i--;
        j--;
      } else if (i > 0 && d[i][j] == d[i - 1][j] + 1) {
        i--;
      } else {
        j--;
      }
    }
    // an inserted word belongs to the reference word before it (or the first, at the start)
    int owner = 0;
    for (int h = 0; h < m; h++) {
      if (hypOwner[h] >= 0) {
        owner = hypOwner[h];
      } else {
        hypOwner[h] = owner;
      }
    }
  }
}
