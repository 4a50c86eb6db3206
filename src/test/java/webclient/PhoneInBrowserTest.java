package webclient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import support.TestServer;
import verticles.Parley;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client installed on a phone: {@code e2e/phone.spec.mjs} drives the machine's Chromium
 * with a phone's viewport, touch and user agent against a real server, which this test stops when
 * the script asks ({@code @@STOP_SERVER}), so that the last step sees the service worker serve the
 * app while the server is down. Screenshots go to {@code target/e2e-screenshots/phone-*.png}.
 */
@DisplayName("The web client on a phone: installable, touch-sized, one-handed in portrait, awake, rejoining, and working offline")
class PhoneInBrowserTest {

  private static final Path SPEC = Path.of("e2e", "phone.spec.mjs");
  private static final Path PLAYWRIGHT = Path.of("e2e", "node_modules", "playwright-core", "package.json");
  private static final Path AXE = Path.of("e2e", "node_modules", "axe-core", "axe.min.js");
  private static final long TIMEOUT_SECONDS = 300;

  static Parley server;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(chromium)), () -> skip(chromium + " is missing: apt-get install chromium"));
    Assumptions.assumeTrue(Files.exists(PLAYWRIGHT) && Files.exists(AXE),
      () -> skip("e2e/node_modules is missing: run `npm ci --prefix e2e` (playwright-core and axe-core, pinned by e2e/package-lock.json)"));
    server = TestServer.start(new JsonObject());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
      server = null;
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // two browsers and a pre-join screen on a shared machine
  @DisplayName("every step of e2e/phone.spec.mjs passes, the last one with the server stopped")
  void phone() throws Exception {
    Path screenshots = Path.of(System.getProperty("parley.buildDir", "target"), "e2e-screenshots");
    ProcessBuilder builder = new ProcessBuilder(List.of("node", SPEC.toString(), "http://127.0.0.1:" + server.port()))
      .redirectErrorStream(true);
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("E2E_SCREENSHOTS", screenshots.toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      Assumptions.abort(skip("node cannot be started: " + e.getMessage()));
      return;
    }
    // The script's output, read until it ends; "@@STOP_SERVER" is answered by stopping the server.
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> read = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8); OutputStream control = process.getOutputStream()) {
        in.lines().forEach(line -> {
          System.out.println(line);
          lines.add(line);
          if (line.equals("@@STOP_SERVER")) {
            stop();
            answer(control, "stopped");
          }
        });
      } catch (IOException ignored) {
        // the process ended
      }
    });
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      read.get(5, TimeUnit.SECONDS);
      throw new AssertionError("the phone test did not finish within " + TIMEOUT_SECONDS + " s:\n" + String.join("\n", lines));
    }
    read.get(5, TimeUnit.SECONDS);
    String text = String.join("\n", lines);
    assertEquals(0, process.exitValue(), "the phone test passed (screenshots in " + screenshots + "):\n" + text);
    assertTrue(lines.stream().anyMatch(l -> l.contains("PASSED")) && lines.contains("@@STOP_SERVER"), text);
  }

  private static void answer(OutputStream control, String line) {
    try {
      control.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      control.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String skip(String reason) {
    System.out.println("[phone] SKIPPED: " + reason);
    return reason;
  }
}
