package webclient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.TestServer;
import verticles.Parley;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client end to end: a real server (real Vosk, and Apertium when installed), the real
 * page served from the web root, and two Chromium contexts holding a meeting, driven by
 * {@code e2e/meeting.spec.mjs} (playwright-core from the committed lock, the machine's Chromium).
 * Screenshots of every step go to {@code target/e2e-screenshots/}.
 */
@DisplayName("A meeting in the browser: video both ways, chat, captions in English then Spanish, recording, reconnect")
class MeetingInBrowserTest {

  private static final Path SPEC = Path.of("e2e", "meeting.spec.mjs");
  private static final Path PLAYWRIGHT = Path.of("e2e", "node_modules", "playwright-core", "package.json");
  private static final long TIMEOUT_SECONDS = 300;

  static Parley server;
  static boolean translation;
  static String chromium;

  @BeforeAll
  static void start() {
    chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(chromium)),
      () -> skip(chromium + " is missing: apt-get install chromium"));
    Assumptions.assumeTrue(nodeWorks(), () -> skip("node is not on the PATH: apt-get install nodejs npm"));
    Assumptions.assumeTrue(Files.exists(PLAYWRIGHT),
      () -> skip("e2e/node_modules is missing: run `npm ci --prefix e2e` (playwright-core, pinned by e2e/package-lock.json)"));
    JsonObject translationConfig = TestServer.apertiumIfInstalled();
    translation = !"none".equals(translationConfig.getString("provider"));
    if (!translation) {
      System.out.println("[e2e] Apertium APy is not installed (apt-get install apertium-apy apertium-eng-spa): "
        + "the Spanish captions step is skipped");
    }
    server = TestServer.start(new JsonObject().put("ai", new JsonObject().put("translation", translationConfig)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("Ada and Ben meet in two Chromium contexts; every step of e2e/meeting.spec.mjs passes")
  void meetingInTwoBrowsers() throws Exception {
    Path screenshots = Path.of(System.getProperty("parley.buildDir", "target"), "e2e-screenshots");
    ProcessBuilder builder = new ProcessBuilder(List.of("node", SPEC.toString(), "http://127.0.0.1:" + server.port()))
      .redirectErrorStream(true);
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("E2E_SCREENSHOTS", screenshots.toString());
    builder.environment().put("E2E_AUDIO", Path.of("src", "test", "resources", "audio", "fox.wav").toString());
    builder.environment().put("E2E_TRANSLATION", translation ? "apertium" : "none");
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
    boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    pump.join(5_000);
    String text;
    synchronized (output) {
      text = output.toString();
    }
    assertTrue(finished, "the browser test finished within " + TIMEOUT_SECONDS + " s:\n" + tail(text));
    assertEquals(0, process.exitValue(), "the browser test passed (screenshots in " + screenshots + "):\n" + tail(text));
    assertTrue(text.contains("PASSED"), tail(text));
  }

  private static String skip(String reason) {
    System.out.println("[e2e] SKIPPED: " + reason);
    return reason;
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
