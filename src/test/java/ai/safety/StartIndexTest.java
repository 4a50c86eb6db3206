package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The toxicity detector tries each rule only where the text holds one of the rule's first
 * characters ({@link Prefixes}, {@link StartIndex}); it must find exactly what trying every rule at
 * every position finds ({@link ToxicityDetector#exhaustive()}).
 */
@DisplayName("Toxicity rules tried only where they can start find exactly what every rule at every position finds")
class StartIndexTest {

  private static Set<String> starts(String regex, int depth) {
    Set<String> out = new TreeSet<>();
    Prefixes.of(regex, depth).forEach(s -> out.add(s.text().replace(Prefixes.ANY, '.')));
    return out;
  }

  @Test
  @DisplayName("the starts of a regex: alternation, optional parts, repetition, classes as any character, lookarounds as nothing, cut at the depth")
  void prefixesOfARegex() {
    assertEquals(Set.of("kill", "murde"), starts("kill|murder", 5));
    assertEquals(Set.of("you", "you a", "u", "u a"), starts("(?:you|u)(?: a)?", 5));
    assertEquals(Set.of("the", "the ", "a the", "a a t"), starts("(?:a ){0,2}the ?", 5));
    assertEquals(Set.of("b.d"), starts("b[aeiou]d", 5));
    assertEquals(Set.of("fuck "), starts("(?<!(?:to|will) )fuck (?:you|u)(?! (?:to|at))", 5));
    assertEquals(Set.of("..", "...", ". .", ".. "), starts("\\w+ ?\\w", 3));
    assertEquals(Set.of("ki", "kil"), starts("ki(?:l+|)", 3), "a lazy, greedy or possessive quantifier admits the same starts");
    assertEquals(Set.of("", "a"), starts("a?", 5), "a pattern that can match nothing can start anywhere");
    assertEquals(Set.of("a|b"), starts("a\\|b", 5));
    assertEquals(Set.of("abcde"), starts("abcdefgh", 5));
  }

  @Test
  @DisplayName("a construct the analysis does not know is refused when the rules load, not read loosely")
  void unknownSyntaxIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Prefixes.of("(?i)kill", 5));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.of("(a)\\1", 5));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.of("(?<name>a)", 5));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.of("kill)", 5));
    assertThrows(IllegalArgumentException.class, () -> Prefixes.of("(kill", 5));
  }

  @Test
  @DisplayName("every lexicon rule and the safe phrases have starts of their own: no rule is tried everywhere")
  void everyRuleIsIndexed() {
    for (Lexicon.Rule rule : Lexicon.RULES) {
      Set<Prefixes.Start> s = Prefixes.of(rule.regex(), StartIndex.DEPTH);
      assertTrue(s.stream().noneMatch(x -> x.text().isEmpty() || x.text().charAt(0) == Prefixes.ANY),
        "a rule that may start with any character: " + rule.regex());
    }
    assertTrue(Prefixes.of(Lexicon.SAFE_PHRASES, StartIndex.DEPTH).stream()
      .noneMatch(x -> x.text().isEmpty() || x.text().charAt(0) == Prefixes.ANY));
  }

  @Test
  @DisplayName("the index gives a pattern the word starts where one of its starts fits, and its matches are find()'s")
  void candidatesAndMatches() {
    Pattern kill = Pattern.compile("(?<![a-z])kill(?: you)?(?![a-z])");
    Pattern you = Pattern.compile("(?<![a-z])you(?![a-z])");
    StartIndex index = StartIndex.of(List.of(kill, you));
    String text = "skill kill you | kill it, you";
    int[][] at = index.candidates(text);
    assertArrayEquals(new int[]{6, 17}, at[0], "not inside 'skill'");
    assertArrayEquals(new int[]{11, 26}, at[1]);
    List<int[]> found = StartIndex.matches(kill, text, at[0]);
    assertEquals(2, found.size());
    assertArrayEquals(new int[]{6, 14}, found.get(0));
    assertArrayEquals(new int[]{17, 21}, found.get(1));
    assertEquals(0, StartIndex.matches(you, text, at[1]).stream().filter(m -> m[0] == 11).count() - 1,
      "the 'you' inside 'kill you' is found too: each pattern is searched by itself");
    assertNull(index.candidates("nothing here")[0]);
  }

  @Test
  @DisplayName("the same findings as every rule at every position: each labelled line, lines run together, and 20,000 generated texts")
  void sameFindingsAsTheExhaustiveSearch() throws IOException {
    ToxicityDetector indexed = new ToxicityDetector();
    ToxicityDetector reference = ToxicityDetector.exhaustive();
    List<String> texts = new ArrayList<>();
    for (String set : List.of("/safety/eval.tsv", "/safety/eval-second.tsv", "/safety/structure-dev.tsv",
      "/safety-heldout/toxicity-heldout.tsv")) {
      try (java.io.InputStream in = StartIndexTest.class.getResourceAsStream(set)) {
        for (String row : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          if (!row.isBlank() && !row.startsWith("#")) {
            texts.add(row.substring(row.lastIndexOf('\t') + 1)); // the text is the last column in each format
          }
        }
      }
    }
    int labelled = texts.size();
    Random random = new Random(20261202);
    String[] joins = {" ", ". ", "! ", ", ", "\n", " | ", "...", " - "};
    for (int i = 0; i < 2_000; i++) {
      texts.add(texts.get(random.nextInt(labelled)) + joins[random.nextInt(joins.length)] + texts.get(random.nextInt(labelled)));
    }
    List<String> words = vocabulary();
    for (int i = 0; i < 20_000; i++) {
      texts.add(generated(random, words));
    }
    int findings = 0;
    Set<ToxicCategory> seen = EnumSet.noneOf(ToxicCategory.class);
    List<String> differences = new ArrayList<>();
    for (String text : texts) {
      List<ToxicFinding> expected = reference.detect(text);
      List<ToxicFinding> actual = indexed.detect(text);
      if (!expected.equals(actual) && differences.size() < 10) {
        differences.add(text + "\n    every position: " + expected + "\n    indexed:        " + actual);
      }
      findings += expected.size();
      expected.forEach(f -> seen.add(f.category()));
      Set<ToxicCategory> some = EnumSet.of(ToxicCategory.VIOLENCE, ToxicCategory.HATE);
      assertEquals(reference.detect(text, some), indexed.detect(text, some), text);
    }
    assertTrue(differences.isEmpty(), differences.size() + " text(s) differ, e.g.\n" + String.join("\n", differences));
    assertEquals(EnumSet.allOf(ToxicCategory.class), seen, "the texts exercise every category");
    assertTrue(findings > 5_000, "the texts hold many findings: " + findings);
    System.out.printf("[safety] %d texts, %d findings, identical with and without the start index%n", texts.size(), findings);
  }

  /** The words the rules are written with, plus everyday ones. */
  private static List<String> vocabulary() {
    Set<String> words = new TreeSet<>();
    Matcher m = Pattern.compile("[a-z]{1,}").matcher("");
    for (Lexicon.Rule rule : Lexicon.RULES) {
      m.reset(rule.regex());
      while (m.find()) {
        words.add(m.group());
      }
    }
    m.reset(Lexicon.SAFE_PHRASES);
    while (m.find()) {
      words.add(m.group());
    }
    words.addAll(List.of("the", "a", "to", "and", "of", "meeting", "build", "slides", "today", "please", "thanks"));
    return new ArrayList<>(words);
  }

  /** 1 to 14 words, some written as people get past filters (leetspeak, stars, elongation, capitals), with punctuation. */
  private static String generated(Random random, List<String> words) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + random.nextInt(14);
    for (int k = 0; k < n; k++) {
      String w = words.get(random.nextInt(words.size()));
      switch (random.nextInt(12)) {
        case 0 -> w = w.replace('i', '1').replace('o', '0');
        case 1 -> w = w.length() > 2 ? w.charAt(0) + "*" + w.substring(2) : w;
        case 2 -> w = w.replaceFirst("([aeiou])", "$1$1$1$1");
        case 3 -> w = w.toUpperCase(java.util.Locale.ROOT);
        case 4 -> w = String.join(" ", w.split(""));
        default -> { }
      }
      sb.append(w);
      sb.append(switch (random.nextInt(10)) {
        case 0 -> ". ";
        case 1 -> ", ";
        case 2 -> "! ";
        case 3 -> "'s ";
        default -> " ";
      });
    }
    return sb.toString().trim();
  }
}
