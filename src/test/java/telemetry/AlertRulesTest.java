package telemetry;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs Prometheus's own checker and rule unit tests (Debian package {@code prometheus}) on our alerts. */
@DisplayName("Alert rules: promtool accepts them and their unit tests pass")
class AlertRulesTest {

  static String promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = List.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream()
      .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    if (promtool == null) {
      System.out.println("[alert-rules] SKIPPED: promtool is not installed (apt-get install prometheus; .ci/run does)");
    }
    Assumptions.assumeTrue(promtool != null, "promtool is not installed: apt-get install prometheus");
  }

  @Test
  @DisplayName("promtool check rules accepts prometheus/alerts.yml")
  void checkRules() throws Exception {
    Result r = run(promtool, "check", "rules", "prometheus/alerts.yml");
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("SUCCESS"), r.output);
  }

  @Test
  @DisplayName("promtool test rules passes prometheus/alerts_test.yml")
  void ruleUnitTests() throws Exception {
    Result r = run(promtool, "test", "rules", "prometheus/alerts_test.yml");
    assertEquals(0, r.exit, r.output);
  }

  @Test
  @DisplayName("promtool check config accepts prometheus/prometheus.yml")
  void checkConfig() throws Exception {
    Result r = run(promtool, "check", "config", "prometheus/prometheus.yml");
    assertEquals(0, r.exit, r.output);
  }

  record Result(int exit, String output) {
  }

  static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + out);
    }
    System.out.println("[alert-rules] " + String.join(" ", command) + "\n" + out);
    return new Result(p.exitValue(), out);
  }
}
