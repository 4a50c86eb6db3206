package ai.safety;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in toxicity detector on the held-out set ({@code safety-heldout/toxicity-heldout.tsv}):
 * written for issue 14 and committed before the rules it measures were written, never tuned on, and
 * kept apart from the tuning sets in {@code safety/}. The table goes to the surefire output file.
 */
@DisplayName("Built-in toxicity detection on the held-out set")
class HeldOutToxicityTest {

  private static LabelledToxicitySet set;

  @BeforeAll
  static void score() throws IOException {
    set = LabelledToxicitySet.load("/safety-heldout/toxicity-heldout.tsv").score(new ToxicityDetector());
    System.out.println(set.table());
  }

  @Test
  @DisplayName("the set has threats, dehumanisation, profanity and at least 100 hard negatives")
  void setIsUsable() {
    for (String kind : List.of("threat", "dehumanisation", "profanity")) {
      assertTrue(set.byKind.getOrDefault(kind, new int[2])[1] >= 30, kind + " has fewer than 30 lines");
    }
    int negatives = LabelledToxicitySet.HARD_NEGATIVE_KINDS.stream().mapToInt(k -> set.byKind.getOrDefault(k, new int[2])[1]).sum();
    assertTrue(negatives >= 100, "only " + negatives + " hard negatives");
    assertEquals(List.of("hate", "insult", "violence"), set.labelledCategories());
  }

  @Test
  @DisplayName("every labelled category has recall of at least 0.9 and precision of at least 0.95")
  void recallAndPrecision() {
    List<String> failures = new ArrayList<>();
    set.byCategory.forEach((label, s) -> {
      boolean labelled = set.labelledCategories().contains(label);
      if (labelled && s.recall() < 0.9 || s.precision() < 0.95) {
        failures.add(String.format("%s precision %.2f recall %.2f", label, s.precision(), s.recall()));
      }
    });
    assertTrue(failures.isEmpty(), String.join("; ", failures));
  }

  @Test
  @DisplayName("not one workplace phrase, place name, mention of a group, mild exclamation or bit of banter is flagged")
  void zeroFalseFlags() {
    List<String> flagged = new ArrayList<>();
    ToxicityDetector detector = new ToxicityDetector();
    set.lines.stream().filter(l -> LabelledToxicitySet.HARD_NEGATIVE_KINDS.contains(l.kind()))
      .filter(l -> !detector.detect(l.text()).isEmpty()).forEach(l -> flagged.add(l.text()));
    assertEquals(List.of(), flagged);
  }
}
