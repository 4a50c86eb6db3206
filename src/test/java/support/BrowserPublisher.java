package support;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Real WebRTC publishers: {@code e2e/publisher.mjs} runs headless Chromium whose microphone track
 * plays a WAV (Web Audio) when told to; this class speaks its JSON-line protocol (offer out, answer
 * in, states out, play).
 * Skips the calling test, with a printed line, when Chromium, node or e2e/node_modules is missing.
 */
public final class BrowserPublisher implements AutoCloseable {

  private static final Path SCRIPT = Path.of("e2e", "publisher.mjs");

  private final Process process;
  private final OutputStream stdin;
  public final List<JsonObject> messages = new CopyOnWriteArrayList<>();

  private BrowserPublisher(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("{")) {
            messages.add(new JsonObject(line));
          } else {
            System.out.println("[publisher] " + line);
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // the process ended
      }
    }, "browser-publisher");
    reader.setDaemon(true);
    reader.start();
  }

  /** Skips (printing why) unless Chromium, node and playwright-core are there. */
  public static void assumeAvailable(String who) {
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    String missing = !Files.isExecutable(Path.of(chromium)) ? chromium + " is missing: apt-get install chromium"
      : !Files.exists(Path.of("e2e", "node_modules", "playwright-core", "package.json"))
      ? "e2e/node_modules is missing: run `npm ci --prefix e2e`" : null;
    if (missing == null) {
      try {
        missing = new ProcessBuilder("node", "--version").start().waitFor() == 0 ? null : "node does not run";
      } catch (IOException | InterruptedException e) {
        missing = "node is not on the PATH: apt-get install nodejs";
      }
    }
    if (missing != null) {
      System.out.println("[" + who + "] SKIPPED: " + missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
  }

  /** Starts {@code count} publishers (pages) of {@code wav} against {@code origin} (a secure origin: http://127.0.0.1:port). */
  public static BrowserPublisher start(String origin, Path wav, int count) {
    return start(origin, wav, count, false);
  }

  /** As {@link #start(String, Path, int)}; {@code video}: each page also sends Chromium's fake camera. */
  public static BrowserPublisher start(String origin, Path wav, int count, boolean video) {
    try {
      ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString(), origin, wav.toAbsolutePath().toString(), String.valueOf(count),
        video ? "video" : "audio")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
      return new BrowserPublisher(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SDP offer of publisher {@code index}, once it has gathered its candidates. */
  public String offer(int index) {
    return await(m -> m.getInteger("index", 0) == index && m.containsKey("offer"), Duration.ofSeconds(30),
      "publisher " + index + " offers").getString("offer");
  }

  public void answer(int index, String sdp) {
    send(new JsonObject().put("index", index).put("answer", sdp));
  }

  /** Asks for publisher {@code index}'s outbound audio counts (they arrive in {@link #messages}). */
  public void stats(int index) {
    send(new JsonObject().put("index", index).put("stats", true));
    try {
      await(m -> m.containsKey("stats") || m.containsKey("error"), Duration.ofSeconds(5), "stats");
    } catch (AssertionError ignored) {
      // reported by the caller's message
    }
  }

  /** Publisher {@code index} plays its WAV once, from the start. */
  public void play(int index) {
    send(new JsonObject().put("index", index).put("play", true));
  }

  public void enabled(int index, boolean on) {
    send(new JsonObject().put("index", index).put("enabled", on));
  }

  /** Waits for publisher {@code index}'s PeerConnection to be connected. */
  public void awaitConnected(int index, Duration bound) {
    await(m -> m.getInteger("index", 0) == index && "connected".equals(m.getString("state")), bound,
      "publisher " + index + " is connected (saw " + messages + ")");
  }

  public JsonObject await(java.util.function.Predicate<JsonObject> what, Duration bound, String description) {
    Poll.until(bound, () -> messages.stream().anyMatch(what) || !process.isAlive(), description);
    return messages.stream().filter(what).findFirst().orElseThrow(() -> new AssertionError(description + ": the publisher exited"));
  }

  private synchronized void send(JsonObject message) {
    try {
      stdin.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 48 kHz mono WAV of {@code resource} (test audio) with {@code silenceSeconds} after it, made with sox. */
  public static Path speech(String resource, double leadSeconds, double silenceSeconds) {
    try {
      Path in = Files.createTempFile("speech-in-", ".wav");
      try (var stream = BrowserPublisher.class.getResourceAsStream("/audio/" + resource)) {
        Files.write(in, stream.readAllBytes());
      }
      Path out = Files.createTempFile("speech-", ".wav");
      Process sox = new ProcessBuilder("sox", in.toString(), "-r", "48000", "-c", "1", "-b", "16", out.toString(),
        "pad", String.valueOf(leadSeconds), String.valueOf(silenceSeconds)).redirectErrorStream(true).start();
      if (!sox.waitFor(30, TimeUnit.SECONDS) || sox.exitValue() != 0) {
        throw new IllegalStateException("sox failed: " + new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
