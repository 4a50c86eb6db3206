package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The development set of the structural rules ({@code safety/structure-dev.tsv}): in-sample (the
 * rules were tuned on it after its first run), so it guards against regressions; the held-out
 * figure is {@link HeldOutToxicityTest}'s.
 */
@DisplayName("Built-in toxicity detection on the structural rules' development set (in-sample)")
class StructureDevSetTest {

  @Test
  @DisplayName("each labelled category keeps recall 0.9 and precision 0.95, and no hard negative is flagged")
  void devSet() throws IOException {
    LabelledToxicitySet set = LabelledToxicitySet.load("/safety/structure-dev.tsv").score(new ToxicityDetector());
    System.out.println(set.table());
    List<String> failures = new ArrayList<>();
    set.byCategory.forEach((label, s) -> {
      if (set.labelledCategories().contains(label) && s.recall() < 0.9 || s.precision() < 0.95) {
        failures.add(String.format("%s precision %.2f recall %.2f", label, s.precision(), s.recall()));
      }
    });
    set.lines.stream().filter(l -> LabelledToxicitySet.HARD_NEGATIVE_KINDS.contains(l.kind()) && !l.gold().isEmpty())
      .forEach(l -> failures.add("hard negative with a label: " + l.text()));
    set.byKind.forEach((kind, k) -> {
      if (LabelledToxicitySet.HARD_NEGATIVE_KINDS.contains(kind) && k[0] != k[1]) {
        failures.add((k[1] - k[0]) + " " + kind + " line(s) flagged");
      }
    });
    assertTrue(failures.isEmpty(), String.join("; ", failures));
  }
}
