package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second labelled set (safety/eval-second.tsv, 134 lines): the first implementation's evaluation
 * set. It is in-sample, not held out: the main set paraphrases it line by line (six lines are
 * identical) and rules were added after its misses were printed. Same gates as the main set: 0.9
 * for each PII type, 0.8 for each toxic category.
 */
@DisplayName("Built-in content safety on a second in-sample set (the first implementation's)")
class SecondEvaluationSetTest {

  @Test
  @DisplayName("PII types keep 0.9 precision and recall, toxic categories 0.8, on the second set")
  void secondSet() throws IOException {
    BuiltInContentSafety safety = new BuiltInContentSafety();
    Map<String, int[]> counts = new TreeMap<>();
    List<String> mistakes = new ArrayList<>();
    int n = 0;
    try (InputStream in = SecondEvaluationSetTest.class.getResourceAsStream("/safety/eval-second.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        n++;
        String[] parts = line.split("\t", 2);
        Set<String> truth = new HashSet<>(List.of(parts[0].split(",")));
        truth.remove("clean");
        SafetyReport report = safety.analyzeNow(parts[1]);
        Set<String> guess = new HashSet<>();
        report.pii().forEach(p -> guess.add(p.type().label()));
        report.toxic().forEach(t -> guess.add(t.category().label()));
        Set<String> all = new HashSet<>(truth);
        all.addAll(guess);
        for (String label : all) {
          int[] c = counts.computeIfAbsent(label, k -> new int[3]);
          c[truth.contains(label) ? (guess.contains(label) ? 0 : 2) : 1]++;
          if (!(truth.contains(label) && guess.contains(label))) {
            mistakes.add((truth.contains(label) ? "missed " : "false ") + label + ": " + parts[1]);
          }
        }
      }
    }
    StringBuilder table = new StringBuilder("\n[safety-second-set] " + n + " examples\n");
    List<String> failures = new ArrayList<>();
    counts.forEach((label, c) -> {
      double precision = c[0] + c[1] == 0 ? 1 : (double) c[0] / (c[0] + c[1]);
      double recall = c[0] + c[2] == 0 ? 1 : (double) c[0] / (c[0] + c[2]);
      table.append(String.format("%-10s precision %.3f recall %.3f (tp %d fp %d fn %d)%n", label, precision, recall, c[0], c[1], c[2]));
      if (precision < (label.startsWith("pii") ? 0.9 : 0.8) || recall < (label.startsWith("pii") ? 0.9 : 0.8)) {
        failures.add(label);
      }
    });
    mistakes.forEach(m -> table.append("  ").append(m).append('\n'));
    System.out.println(table);
    assertTrue(n >= 100, "the second set has " + n + " lines");
    assertTrue(failures.isEmpty(), "below the bar: " + failures + table);
  }
}
