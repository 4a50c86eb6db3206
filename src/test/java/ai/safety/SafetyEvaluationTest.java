package ai.safety;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Precision and recall of the built-in provider on {@code safety/eval.tsv}, per category.
 * The table goes to stdout (the surefire output file); so do the misclassified lines.
 */
@DisplayName("Built-in content safety on the evaluation set")
class SafetyEvaluationTest {

  private static final List<String> PII_LABELS = Arrays.stream(PiiType.values()).map(PiiType::label).toList();
  private static final List<String> TOXIC_LABELS = Arrays.stream(ToxicCategory.values()).map(ToxicCategory::label).toList();
  private static final Set<String> KNOWN = knownLabels();
  private static final int MIN_EXAMPLES = 5;

  private record Example(int line, Set<String> gold, String text) {}

  private record Score(int tp, int fp, int fn) {
    double precision() { return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp); }
    double recall() { return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn); }
    Score plus(Score o) { return new Score(tp + o.tp, fp + o.fp, fn + o.fn); }
  }

  private static final Map<String, Score> SCORES = new LinkedHashMap<>();
  private static List<Example> examples;

  @BeforeAll
  static void evaluate() throws IOException {
    examples = load();
    BuiltInContentSafety safety = new BuiltInContentSafety();
    List<String> misses = new ArrayList<>();
    for (String label : KNOWN) {
      SCORES.put(label, new Score(0, 0, 0));
    }
    for (Example e : examples) {
      Set<String> predicted = predicted(safety.analyzeNow(e.text()));
      for (String label : KNOWN) {
        boolean g = e.gold().contains(label);
        boolean p = predicted.contains(label);
        Score s = SCORES.get(label);
        SCORES.put(label, new Score(s.tp + (g && p ? 1 : 0), s.fp + (!g && p ? 1 : 0), s.fn + (g && !p ? 1 : 0)));
      }
      if (!predicted.equals(e.gold())) {
        misses.add(String.format("  line %3d expected %-22s got %-22s %s", e.line(), e.gold(), predicted, e.text()));
      }
    }
    StringBuilder table = new StringBuilder("\nContent safety evaluation (" + examples.size() + " texts)\n");
    table.append(String.format("%-12s %5s %5s %5s %9s %7s%n", "category", "tp", "fp", "fn", "precision", "recall"));
    SCORES.forEach((label, s) -> table.append(row(label, s)));
    table.append(row("pii (all)", piiOverall()));
    table.append(misses.isEmpty() ? "No misclassified lines.\n" : "Misclassified lines:\n" + String.join("\n", misses) + "\n");
    System.out.println(table);
  }

  @Test
  @DisplayName("the set has enough labelled examples of every category and only known labels")
  void setIsUsable() {
    assertTrue(examples.size() >= 150, "eval.tsv has " + examples.size() + " texts; at least 150 expected");
    for (String label : KNOWN) {
      Score s = SCORES.get(label);
      assertTrue(s.tp + s.fn >= MIN_EXAMPLES, label + " has only " + (s.tp + s.fn) + " examples");
    }
    long clean = examples.stream().filter(e -> e.gold().isEmpty()).count();
    assertTrue(clean >= 50, "only " + clean + " clean (hard negative) texts");
  }

  @Test
  @DisplayName("each PII type, and PII overall, has precision and recall of at least 0.9")
  void piiIsAccurate() {
    List<String> failures = new ArrayList<>();
    for (String label : PII_LABELS) {
      check(label, SCORES.get(label), 0.9, failures);
    }
    check("pii (all)", piiOverall(), 0.9, failures);
    assertTrue(failures.isEmpty(), String.join("; ", failures));
  }

  @Test
  @DisplayName("each toxic category has precision and recall of at least 0.8")
  void toxicityIsAccurate() {
    List<String> failures = new ArrayList<>();
    for (String label : TOXIC_LABELS) {
      check(label, SCORES.get(label), 0.8, failures);
    }
    assertTrue(failures.isEmpty(), String.join("; ", failures));
  }

  @Test
  @DisplayName("no clean text in the set is flagged at all")
  void hardNegativesStayClean() {
    BuiltInContentSafety safety = new BuiltInContentSafety();
    List<String> flagged = examples.stream().filter(e -> e.gold().isEmpty())
      .filter(e -> !predicted(safety.analyzeNow(e.text())).isEmpty()).map(Example::text).toList();
    // A few false positives are tolerated by the thresholds above; this keeps their number visible and small.
    assertFalse(flagged.size() > 3, "clean texts flagged: " + flagged);
  }

  private static void check(String label, Score s, double min, List<String> failures) {
    if (s.precision() < min || s.recall() < min) {
      failures.add(String.format("%s precision %.2f recall %.2f (minimum %.2f)", label, s.precision(), s.recall(), min));
    }
  }

  private static Score piiOverall() {
    return PII_LABELS.stream().map(SCORES::get).reduce(new Score(0, 0, 0), Score::plus);
  }

  private static String row(String label, Score s) {
    return String.format("%-12s %5d %5d %5d %9.2f %7.2f%n", label, s.tp, s.fp, s.fn, s.precision(), s.recall());
  }

  static Set<String> predicted(SafetyReport report) {
    Set<String> labels = new TreeSet<>();
    report.pii().forEach(f -> labels.add(f.type().label()));
    report.toxic().stream().filter(f -> f.severity() >= ToxicFinding.LOW).forEach(f -> labels.add(f.category().label()));
    return labels;
  }

  private static List<Example> load() throws IOException {
    List<Example> out = new ArrayList<>();
    try (InputStream in = SafetyEvaluationTest.class.getResourceAsStream("/safety/eval.tsv")) {
      if (in == null) {
        throw new IllegalStateException("safety/eval.tsv is not on the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw new IllegalStateException("eval.tsv line " + number + " has no tab");
        }
        Set<String> gold = new TreeSet<>();
        for (String label : line.substring(0, tab).split(",")) {
          String l = label.strip();
          if (!l.equals("clean")) {
            if (!KNOWN.contains(l)) {
              throw new IllegalStateException("eval.tsv line " + number + ": unknown label " + l);
            }
            gold.add(l);
          }
        }
        out.add(new Example(number, gold, line.substring(tab + 1)));
      }
    }
    return out;
  }

  private static Set<String> knownLabels() {
    return java.util.stream.Stream.concat(PII_LABELS.stream(), TOXIC_LABELS.stream())
      .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
