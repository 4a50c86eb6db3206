package bench.safety;

import ai.safety.BuiltInContentSafety;
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
      for (int i = 0; i < 20; i++) {
        safety.analyzeNow(c[1]);
      }
      long[] nanos = new long[51];
      for (int i = 0; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        safety.analyzeNow(c[1]);
        nanos[i] = System.nanoTime() - t0;
      }
      Arrays.sort(nanos);
      double median = nanos[nanos.length / 2] / 1e6;
      double max = nanos[nanos.length - 1] / 1e6;
      System.out.printf("[safety] %-22s %6d chars: median %7.3f ms, max %7.3f ms%n", c[0], c[1].length(), median, max);
      results.add(new JsonObject().put("case", c[0]).put("characters", c[1].length())
        .put("medianMs", Math.round(median * 1000) / 1000d).put("maxMs", Math.round(max * 1000) / 1000d));
    }
    JsonObject out = new JsonObject().put("command", "bench/safety.sh").put("runsPerCase", 51)
      .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim()).put("results", results);
    Files.createDirectories(Path.of("bench/results"));
    Files.writeString(Path.of("bench/results/safety.json"), out.encodePrettily() + "\n");
  }
}
