package support;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one of the browser specs in {@code e2e/} (playwright-core from the committed lock, the
 * machine's Chromium) against a running server, echoing its output, and asserts that it passed.
 * Screenshots go to {@code target/e2e-screenshots/} (or {@code E2E_SCREENSHOTS} in {@code env}). Skips,
 * saying why, when Chromium, node or {@code e2e/node_modules} is missing.
 */
public final class BrowserSpec {

  private static final Path PLAYWRIGHT = Path.of("e2e", "node_modules", "playwright-core", "package.json");

  private BrowserSpec() {
  }

  /** Skips the calling test (saying why) unless Chromium, node and playwright-core are there; the Chromium path. */
  public static String requireBrowser(String tag) {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(chromium)),
      () -> skip(tag, chromium + " is missing: apt-get install chromium"));
    Assumptions.assumeTrue(nodeWorks(), () -> skip(tag, "node is not on the PATH: apt-get install nodejs npm"));
    Assumptions.assumeTrue(Files.exists(PLAYWRIGHT),
      () -> skip(tag, "e2e/node_modules is missing: run `npm ci --prefix e2e` (playwright-core, pinned by e2e/package-lock.json)"));
    return chromium;
  }

  /** Skips the calling test (saying why) unless node runs: for the specs that need no browser. */
  public static void requireNode(String tag) {
    Assumptions.assumeTrue(nodeWorks(), () -> skip(tag, "node is not on the PATH: apt-get install nodejs npm"));
  }

  public static String skip(String tag, String reason) {
    System.out.println("[" + tag + "] SKIPPED: " + reason);
    return reason;
  }

  public static Path screenshots() {
    return Path.of(System.getProperty("parley.buildDir", "target"), "e2e-screenshots");
  }

  /** Runs {@code node e2e/<spec> <args...>} with {@code env}; fails unless it exits 0 having printed PASSED; its output. */
  public static String run(String spec, List<String> args, Map<String, String> env, long timeoutSeconds) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", Path.of("e2e", spec).toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("E2E_SCREENSHOTS", screenshots().toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    StringBuilder output = new StringBuilder();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          System.out.println(line);
          synchronized (output) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "e2e-output");
    pump.start();
    boolean finished = false;
    try {
      finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } finally {
      if (!finished) { // timed out, or the test was interrupted (JUnit's timeout): no browser is left behind
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
    pump.join(5_000);
    String text;
    synchronized (output) {
      text = output.toString();
    }
    assertTrue(finished, "the browser test finished within " + timeoutSeconds + " s:\n" + tail(text));
    assertEquals(0, process.exitValue(), "the browser test passed (screenshots in " + screenshots() + "):\n" + tail(text));
    assertTrue(text.contains("PASSED"), tail(text));
    return text;
  }

  private static boolean nodeWorks() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String tail(String text) {
    return text.length() <= 6_000 ? text : "..." + text.substring(text.length() - 6_000);
  }
}
