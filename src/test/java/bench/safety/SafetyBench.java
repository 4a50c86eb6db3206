package bench.safety;

import ai.safety.BuiltInContentSafety;
import ai.safety.PiiDetector;
import ai.safety.ToxicityDetector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Time the built-in content safety takes on the event loop for typical and adversarial messages:
 * median and max of 51 runs each after warming up. The long and adversarial inputs of
 * {@code ToxicityDetectionTest} are timed here; the test checks only what is found in them. Prints
 * the figures and writes bench/results/safety.json. Run with bench/safety.sh.
 */
public final class SafetyBench {

  public static void main(String[] args) throws Exception {
    BuiltInContentSafety safety = new BuiltInContentSafety();
    PiiDetector pii = new PiiDetector();
    ToxicityDetector toxicity = new ToxicityDetector();
    ToxicityDetector exhaustive = ToxicityDetector.exhaustive();
    String[][] cases = {
      {"chat line", "Can you send the slides to ada@example.com before 3pm? Thanks!"},
      {"4,000 chars of prose", "The quarterly review covers hiring, budget and the roadmap. ".repeat(67)},
      {"digit noise '1 1 1'", "1 ".repeat(2_000)},
      {"digit noise '1.1.1'", "1.".repeat(2_000)},
      {"digit noise '12 12'", "12 ".repeat(1_333)},
      {"phone-like list", "555-123-4567 x ".repeat(266)},
      {"one long number", "1234567890".repeat(400)},
      {"repeated abuse", "you are such a total complete absolute fucking ".repeat(400) + "x"},
      {"'kill ' x 4,000", "kill ".repeat(4_000)},
      {"symbols + elongation", "@$!".repeat(5_000) + "a".repeat(10_000)},
      {"workplace chat line", "Can everyone see my screen? I think the build is broken again, let's kill the job 7"},
    };
    JsonArray results = new JsonArray();
    for (String[] c : cases) {
      long[] toxicOnly = time(() -> toxicity.detect(c[1]));
      long[] everyPosition = time(() -> exhaustive.detect(c[1]));
      long[] piiOnly = time(() -> pii.detect(c[1]));
      long[] both = time(() -> safety.analyzeNow(c[1]));
      double median = both[both.length / 2] / 1e6;
      double max = both[both.length - 1] / 1e6;
      System.out.printf("[safety] %-22s %6d chars: median %7.3f ms, max %7.3f ms (toxicity %7.3f ms, every rule at every"
          + " position %7.3f ms; PII %7.3f ms)%n", c[0], c[1].length(), median, max, toxicOnly[toxicOnly.length / 2] / 1e6,
        everyPosition[everyPosition.length / 2] / 1e6, piiOnly[piiOnly.length / 2] / 1e6);
      results.add(new JsonObject().put("case", c[0]).put("characters", c[1].length())
        .put("medianMs", round(median)).put("maxMs", round(max))
        .put("toxicityMedianMs", round(toxicOnly[toxicOnly.length / 2] / 1e6))
        .put("toxicityEveryRuleAtEveryPositionMedianMs", round(everyPosition[everyPosition.length / 2] / 1e6))
        .put("piiMedianMs", round(piiOnly[piiOnly.length / 2] / 1e6)));
    }
    JsonObject out = new JsonObject().put("command", "bench/safety.sh").put("runsPerCase", 51)
      .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim()).put("results", results);
    Files.createDirectories(Path.of("bench/results"));
    Files.writeString(Path.of("bench/results/safety.json"), out.encodePrettily() + "\n");
  }

  /** 51 timed runs after 20 to warm up, sorted. */
  private static long[] time(Runnable run) {
    for (int i = 0; i < 20; i++) {
      run.run();
    }
    long[] nanos = new long[51];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      run.run();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000d;
  }
}
