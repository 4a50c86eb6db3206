package ai.safety;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ways a match of a regex can begin: every string of up to {@code depth} characters that a
 * match starts with, {@link #ANY} standing for a character the analysis does not pin down (a class
 * such as {@code \w} or {@code [^ ]}). Sound, not exact: lookarounds, {@code \b}, {@code ^} and
 * {@code $} are read as matching nothing, so a set may admit starts the regex then refuses, but
 * never leaves out one it accepts.
 *
 * <p>Covers the syntax the lexicon is written in (groups, alternation, classes, escapes, greedy,
 * lazy and possessive quantifiers, lookarounds); anything else is refused with an exception when
 * the class loads, so a new construct cannot silently weaken the filter.
 */
final class Prefixes {

  /** Stands for any one character. */
  static final char ANY = '\0';

  /**
   * One way to begin: {@code text}, and whether a match may end right after it ({@code open}: the
   * whole of what a sub-pattern matched, which what follows extends) or continues past the depth.
   */
  record Start(String text, boolean open) {}

  private final String regex;
  private final int depth;
  private int at;

  private Prefixes(String regex, int depth) {
    this.regex = regex;
    this.depth = depth;
  }

  /** The starts of {@code regex}'s matches, cut at {@code depth} characters. */
  static Set<Start> of(String regex, int depth) {
    Prefixes p = new Prefixes(regex, depth);
    Set<Start> starts = p.alternation();
    if (p.at != regex.length()) {
      throw p.refuse("unbalanced ')'");
    }
    return starts;
  }

  private Set<Start> alternation() {
    Set<Start> all = new LinkedHashSet<>(sequence());
    while (at < regex.length() && regex.charAt(at) == '|') {
      at++;
      all.addAll(sequence());
    }
    return all;
  }

  private Set<Start> sequence() {
    Set<Start> acc = Set.of(new Start("", true));
    while (at < regex.length() && regex.charAt(at) != '|' && regex.charAt(at) != ')') {
      Set<Start> atom = atom();
      acc = concat(acc, quantified(atom));
    }
    return acc;
  }

  private Set<Start> atom() {
    char c = regex.charAt(at++);
    switch (c) {
      case '(' -> {
        boolean zeroWidth = false;
        if (regex.startsWith("?:", at)) {
          at += 2;
        } else if (regex.startsWith("?=", at) || regex.startsWith("?!", at)) {
          at += 2;
          zeroWidth = true;
        } else if (regex.startsWith("?<=", at) || regex.startsWith("?<!", at)) {
          at += 3;
          zeroWidth = true;
        } else if (at < regex.length() && regex.charAt(at) == '?') {
          throw refuse("unsupported group");
        }
        Set<Start> inner = alternation();
        if (at >= regex.length() || regex.charAt(at) != ')') {
          throw refuse("unclosed group");
        }
        at++;
        return zeroWidth ? Set.of(new Start("", true)) : inner;
      }
      case '[' -> {
        skipClass();
        return any();
      }
      case '.' -> {
        return any();
      }
      case '^', '$' -> {
        return Set.of(new Start("", true));
      }
      case '\\' -> {
        return escape();
      }
      case '*', '+', '?', '{', '}', ']', ')' -> throw refuse("unexpected '" + c + "'");
      default -> {
        return Set.of(new Start(String.valueOf(c), true));
      }
    }
  }

  private Set<Start> escape() {
    if (at >= regex.length()) {
      throw refuse("trailing backslash");
    }
    char e = regex.charAt(at++);
    switch (e) {
      case 'w', 'W', 'd', 'D', 's', 'S' -> {
        return any();
      }
      case 'p', 'P' -> {
        if (at < regex.length() && regex.charAt(at) == '{') {
          int close = regex.indexOf('}', at);
          if (close < 0) {
            throw refuse("unclosed \\p{");
          }
          at = close + 1;
        } else {
          at++;
        }
        return any();
      }
      case 'b', 'B', 'A', 'z', 'Z', 'G' -> {
        return Set.of(new Start("", true));
      }
      default -> {
        if (Character.isLetterOrDigit(e)) {
          throw refuse("unsupported escape \\" + e);
        }
        return Set.of(new Start(String.valueOf(e), true));
      }
    }
  }

  private void skipClass() {
    if (at < regex.length() && regex.charAt(at) == '^') {
      at++;
    }
    if (at < regex.length() && regex.charAt(at) == ']') {
      at++;
    }
    while (at < regex.length() && regex.charAt(at) != ']') {
      if (regex.charAt(at) == '[') {
        throw refuse("nested class");
      }
      at += regex.charAt(at) == '\\' ? 2 : 1;
    }
    if (at >= regex.length()) {
      throw refuse("unclosed class");
    }
    at++;
  }

  /** The quantifier after an atom, if any, applied to it. */
  private Set<Start> quantified(Set<Start> atom) {
    if (at >= regex.length()) {
      return atom;
    }
    int min;
    int max;
    char q = regex.charAt(at);
    if (q == '?') {
      min = 0;
      max = 1;
      at++;
    } else if (q == '*') {
      min = 0;
      max = Integer.MAX_VALUE;
      at++;
    } else if (q == '+') {
      min = 1;
      max = Integer.MAX_VALUE;
      at++;
    } else if (q == '{') {
      int close = regex.indexOf('}', at);
      if (close < 0) {
        throw refuse("unclosed {");
      }
      String[] bounds = regex.substring(at + 1, close).split(",", -1);
      try {
        min = Integer.parseInt(bounds[0].trim());
        max = bounds.length == 1 ? min : bounds[1].isBlank() ? Integer.MAX_VALUE : Integer.parseInt(bounds[1].trim());
      } catch (NumberFormatException e) {
        throw refuse("bad repetition");
      }
      at = close + 1;
    } else {
      return atom;
    }
    if (at < regex.length() && (regex.charAt(at) == '?' || regex.charAt(at) == '+')) {
      at++; // lazy or possessive: the same strings can begin a match
    }
    return repeat(atom, min, max);
  }

  /**
   * {@code min} copies, then up to {@code max - min} optional ones. Either loop stops once a round
   * changes nothing: every copy adds a character or none, so past {@code depth + 1} rounds none can.
   */
  private Set<Start> repeat(Set<Start> atom, int min, int max) {
    Set<Start> acc = Set.of(new Start("", true));
    for (int i = 0; i < Math.min(min, depth + 1); i++) {
      acc = concat(acc, atom);
    }
    Set<Start> optional = new LinkedHashSet<>(atom);
    optional.add(new Start("", true));
    long more = max == Integer.MAX_VALUE ? Long.MAX_VALUE : (long) max - min;
    for (long i = 0; i < Math.min(more, depth + 1); i++) {
      Set<Start> next = concat(acc, optional);
      if (next.equals(acc)) {
        break;
      }
      acc = next;
    }
    return acc;
  }

  private Set<Start> concat(Set<Start> left, Set<Start> right) {
    Set<Start> out = new LinkedHashSet<>();
    for (Start l : left) {
      if (!l.open()) {
        out.add(l);
        continue;
      }
      for (Start r : right) {
        String joined = l.text() + r.text();
        out.add(joined.length() >= depth ? new Start(joined.substring(0, depth), false) : new Start(joined, r.open()));
      }
    }
    if (out.size() > 200_000) {
      throw refuse("too many starts");
    }
    return out;
  }

  private static Set<Start> any() {
    return Set.of(new Start(String.valueOf(ANY), true));
  }

  private IllegalArgumentException refuse(String why) {
    return new IllegalArgumentException(why + " at " + at + " in " + (regex.length() > 120 ? regex.substring(0, 120) + "..." : regex));
  }
}
