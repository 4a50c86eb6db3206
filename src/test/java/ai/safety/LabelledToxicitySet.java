package ai.safety;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A labelled toxicity set in the three-column format (labels, kind, text) and the detector's
 * scores on it: per category (true and false positives, misses) and per kind (lines right).
 */
final class LabelledToxicitySet {

  record Line(int number, Set<String> gold, String kind, String text) {}

  record Score(int tp, int fp, int fn) {
    double precision() {
      return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
    }
  }

  /** Kinds whose lines are all clean: not one of them may be flagged. */
  static final Set<String> HARD_NEGATIVE_KINDS = Set.of("workplace", "place", "group", "mild", "sport");

  final String name;
  final List<Line> lines;
  final Map<String, Score> byCategory = new TreeMap<>();
  final Map<String, int[]> byKind = new TreeMap<>();
  final List<String> mistakes = new ArrayList<>();

  private LabelledToxicitySet(String name, List<Line> lines) {
    this.name = name;
    this.lines = lines;
  }

  static LabelledToxicitySet load(String resource) throws IOException {
    List<Line> lines = new ArrayList<>();
    try (InputStream in = LabelledToxicitySet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      String[] rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      Set<String> known = new TreeSet<>();
      for (ToxicCategory c : ToxicCategory.values()) {
        known.add(c.label());
      }
      for (int i = 0; i < rows.length; i++) {
        String row = rows[i];
        if (row.isBlank() || row.startsWith("#")) {
          continue;
        }
        String[] parts = row.split("\t", 3);
        if (parts.length != 3) {
          throw new IllegalStateException(resource + " line " + (i + 1) + " does not have three columns");
        }
        Set<String> gold = new TreeSet<>();
        for (String label : parts[0].split(",")) {
          if (!label.equals("clean")) {
            if (!known.contains(label)) {
              throw new IllegalStateException(resource + " line " + (i + 1) + ": unknown label " + label);
            }
            gold.add(label);
          }
        }
        lines.add(new Line(i + 1, gold, parts[1], parts[2]));
      }
    }
    return new LabelledToxicitySet(resource, lines);
  }

  /** Runs the detector over every line (findings of low severity and up count, as the policy sees them). */
  LabelledToxicitySet score(ToxicityDetector detector) {
    for (ToxicCategory c : ToxicCategory.values()) {
      byCategory.put(c.label(), new Score(0, 0, 0));
    }
    for (Line line : lines) {
      Set<String> predicted = new TreeSet<>();
      detector.detect(line.text()).stream().filter(f -> f.severity() >= ToxicFinding.LOW)
        .forEach(f -> predicted.add(f.category().label()));
      for (String label : byCategory.keySet()) {
        boolean g = line.gold().contains(label);
        boolean p = predicted.contains(label);
        Score s = byCategory.get(label);
        byCategory.put(label, new Score(s.tp + (g && p ? 1 : 0), s.fp + (!g && p ? 1 : 0), s.fn + (g && !p ? 1 : 0)));
      }
      int[] k = byKind.computeIfAbsent(line.kind(), x -> new int[2]);
      k[1]++;
      if (predicted.equals(line.gold())) {
        k[0]++;
      } else {
        mistakes.add(String.format("  line %3d %-15s expected %-18s got %-18s %s", line.number(), line.kind(),
          line.gold(), predicted, line.text()));
      }
    }
    return this;
  }

  /** The categories the set has examples of. */
  List<String> labelledCategories() {
    return byCategory.entrySet().stream().filter(e -> e.getValue().tp + e.getValue().fn > 0).map(Map.Entry::getKey).toList();
  }

  String table() {
    StringBuilder sb = new StringBuilder("\n" + name + " (" + lines.size() + " lines)\n");
    sb.append(String.format("%-12s %4s %4s %4s %9s %7s%n", "category", "tp", "fp", "fn", "precision", "recall"));
    byCategory.forEach((label, s) -> sb.append(String.format("%-12s %4d %4d %4d %9.2f %7.2f%n", label, s.tp, s.fp, s.fn,
      s.precision(), s.recall())));
    sb.append(String.format("%-15s %8s%n", "kind", "right"));
    Map<String, int[]> kinds = new LinkedHashMap<>(byKind);
    kinds.forEach((kind, k) -> sb.append(String.format("%-15s %4d/%-4d %5.2f%n", kind, k[0], k[1], (double) k[0] / k[1])));
    sb.append(mistakes.isEmpty() ? "No line wrong.\n" : "Lines wrong:\n" + String.join("\n", mistakes) + "\n");
    return sb.toString();
  }
}
