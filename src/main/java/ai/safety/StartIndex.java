package ai.safety;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in a text each of many word-bounded patterns can start: one prefix tree over the first
 * few characters of every pattern's matches ({@link Prefixes}), walked once at each word start.
 * A pattern is then tried only at the positions the tree gives it, instead of at every position of
 * the text, which is what most of a regex search's time goes to when the text holds none of the
 * words a pattern begins with (most chat messages, against most rules).
 *
 * <p>Matches found this way are exactly those of {@link Matcher#find()} run over the whole text:
 * a match can only start where one of its starts fits (the analysis is sound), and from each
 * match the search goes on past its end as {@code find()} does.
 */
final class StartIndex {

  /** How many characters of each pattern's starts the tree holds. */
  static final int DEPTH = 5;

  private static final class Node {
    private final Node[] ascii = new Node[128];
    private Map<Character, Node> other;
    private Node any;
    private int[] patterns = new int[0];

    Node child(char c) {
      if (c == Prefixes.ANY) {
        return any == null ? any = new Node() : any;
      }
      if (c < 128) {
        return ascii[c] == null ? ascii[c] = new Node() : ascii[c];
      }
      if (other == null) {
        other = new HashMap<>();
      }
      return other.computeIfAbsent(c, k -> new Node());
    }

    Node next(char c) {
      return c < 128 ? ascii[c] : other == null ? null : other.get(c);
    }
  }

  private final Node root = new Node();
  private final int size;

  /** @param starts each pattern's starts, by pattern number */
  StartIndex(List<Set<Prefixes.Start>> starts) {
    this.size = starts.size();
    for (int i = 0; i < starts.size(); i++) {
      for (Prefixes.Start s : starts.get(i)) {
        Node node = root;
        for (int k = 0; k < s.text().length(); k++) {
          node = node.child(s.text().charAt(k));
        }
        if (node.patterns.length == 0 || node.patterns[node.patterns.length - 1] != i) {
          node.patterns = Arrays.copyOf(node.patterns, node.patterns.length + 1);
          node.patterns[node.patterns.length - 1] = i;
        }
      }
    }
  }

  /** The index of {@code patterns}' starts, each read from its source as {@link Prefixes} does. */
  static StartIndex of(List<Pattern> patterns) {
    return new StartIndex(patterns.stream().map(p -> Prefixes.of(p.pattern(), DEPTH)).toList());
  }

  /**
   * Per pattern, the positions (ascending) where it may start in {@code text}: every position not
   * preceded by a letter or digit where one of its starts fits; null for a pattern with none.
   */
  int[][] candidates(String text) {
    int[][] out = new int[size][];
    int[] counts = new int[size];
    for (int p = 0; p < text.length(); p++) {
      if (p > 0 && Character.isLetterOrDigit(text.charAt(p - 1))) {
        continue;
      }
      walk(root, text, p, p, out, counts);
    }
    for (int i = 0; i < size; i++) {
      if (out[i] != null) {
        out[i] = Arrays.copyOf(out[i], counts[i]);
      }
    }
    return out;
  }

  private static void walk(Node node, String text, int start, int at, int[][] out, int[] counts) {
    for (int pattern : node.patterns) {
      int[] list = out[pattern];
      if (list == null) {
        out[pattern] = list = new int[4];
      } else if (counts[pattern] > 0 && list[counts[pattern] - 1] == start) {
        continue; // reached by another path from the same start
      } else if (counts[pattern] == list.length) {
        out[pattern] = list = Arrays.copyOf(list, list.length * 2);
      }
      list[counts[pattern]++] = start;
    }
    if (at >= text.length()) {
      return;
    }
    Node exact = node.next(text.charAt(at));
    if (exact != null) {
      walk(exact, text, start, at + 1, out, counts);
    }
    if (node.any != null) {
      walk(node.any, text, start, at + 1, out, counts);
    }
  }

  /**
   * The non-empty matches of {@code pattern} in {@code text} that start at one of {@code starts}
   * (ascending), as {@code {start, end}}: the same matches, in the same order, as
   * {@code pattern.matcher(text).find()} finds when every match starts at one of them.
   */
  static List<int[]> matches(Pattern pattern, String text, int[] starts) {
    if (starts == null) {
      return List.of();
    }
    Matcher m = pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    List<int[]> found = new java.util.ArrayList<>(2);
    int from = 0;
    for (int p : starts) {
      if (p < from) {
        continue;
      }
      m.region(p, text.length());
      if (m.lookingAt() && m.end() > m.start()) {
        found.add(new int[]{m.start(), m.end()});
        from = m.end();
      }
    }
    return found;
  }
}
