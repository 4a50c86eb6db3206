package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Precision and recall of the built-in detector per category on a labelled set written for this
 * project (src/test/resources/safety/eval.tsv), with many hard negatives. Fails below 0.9 for each
 * PII type and overall PII, and below 0.8 for each toxic category.
 */
@DisplayName("Content safety evaluation: precision and recall per category on the labelled set")
class SafetyEvaluationTest {

  record Example(Set<String> labels, String text) {
  }

  @Test
  @DisplayName("PII types reach 0.9 precision and recall, toxic categories 0.8")
  void evaluate() throws IOException {
    List<Example> examples = load();
    BuiltInContentSafety safety = new BuiltInContentSafety();
    Map<String, int[]> counts = new TreeMap<>(); // tp, fp, fn
    List<String> mistakes = new ArrayList<>();
    for (Example e : examples) {
      SafetyReport report = safety.analyzeNow(e.text());
      Set<String> predicted = new HashSet<>();
      report.pii().forEach(p -> predicted.add(p.type().label()));
      report.toxic().forEach(t -> predicted.add(t.category().key()));
      Set<String> all = new HashSet<>(predicted);
      all.addAll(e.labels());
      all.remove("clean");
      for (String label : all) {
        int[] c = counts.computeIfAbsent(label, k -> new int[3]);
        boolean truth = e.labels().contains(label);
        boolean guess = predicted.contains(label);
        if (truth && guess) {
          c[0]++;
        } else if (guess) {
          c[1]++;
          mistakes.add("false " + label + ": " + e.text());
        } else {
          c[2]++;
          mistakes.add("missed " + label + ": " + e.text());
        }
      }
    }
    int[] pii = new int[3];
    counts.forEach((label, c) -> {
      if (label.startsWith("pii.")) {
        for (int i = 0; i < 3; i++) {
          pii[i] += c[i];
        }
      }
    });
    counts.put("pii (all)", pii);
    StringBuilder table = new StringBuilder("\n[safety-eval] " + examples.size() + " examples\n");
    table.append(String.format("%-12s %9s %9s %4s %4s %4s%n", "category", "precision", "recall", "tp", "fp", "fn"));
    List<String> failures = new ArrayList<>();
    counts.forEach((label, c) -> {
      double precision = c[0] + c[1] == 0 ? 1 : (double) c[0] / (c[0] + c[1]);
      double recall = c[0] + c[2] == 0 ? 1 : (double) c[0] / (c[0] + c[2]);
      table.append(String.format("%-12s %9.3f %9.3f %4d %4d %4d%n", label, precision, recall, c[0], c[1], c[2]));
      double bar = label.startsWith("pii") ? 0.9 : 0.8;
      if (precision < bar || recall < bar) {
        failures.add(label + " below " + bar);
      }
    });
    mistakes.forEach(m -> table.append("  ").append(m).append('\n'));
    System.out.println(table);
    assertTrue(failures.isEmpty(), failures + table.toString());
  }

  static List<Example> load() throws IOException {
    try (InputStream in = SafetyEvaluationTest.class.getResourceAsStream("/safety/eval.tsv")) {
      List<Example> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        out.add(new Example(new HashSet<>(Arrays.asList(parts[0].split(","))), parts[1]));
      }
      return out;
    }
  }
}
