package bench.recordings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Api;
import support.BridgeClient;
import support.BrowserPublisher;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server recording processing time per recorded minute for 2, 4 and 6 people: each person is a
 * headless Chromium page publishing its fake camera and a speech WAV through the real Janus; the
 * host records {@code RECORDINGS_BENCH_SECONDS} (60) seconds, stops, and the time from stop to
 * ready (janus-pp-rec of every file + the one ffmpeg composition + the store) is measured.
 * Usage: bench/recordings.sh [people...] -> prints figures, writes bench/results/recordings.json.
 */
public final class RecordingsBench {

  private RecordingsBench() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> people = new ArrayList<>();
    for (String a : args) {
      people.add(Integer.parseInt(a));
    }
    if (people.isEmpty()) {
      people = List.of(2, 4, 6);
    }
    int seconds = Integer.parseInt(System.getenv().getOrDefault("RECORDINGS_BENCH_SECONDS", "60"));
    String loadBefore = uptime();
    Parley server = TestServer.start(new JsonObject().put("media", TestServer.janusMedia()
        .put("maxPublishersPerRoom", 20))
      .put("recordings", new JsonObject().put("server", new JsonObject().put("pollMs", 200))));
    Api api = new Api(server.vertx(), server.port());
    JsonArray runs = new JsonArray();
    try {
      for (int n : people) {
        runs.add(run(server, api, n, seconds));
      }
    } finally {
      api.close();
      server.stop().await();
    }
    JsonObject result = new JsonObject().put("bench", "recordings").put("at", Instant.now().toString())
      .put("recordedSeconds", seconds).put("cores", Runtime.getRuntime().availableProcessors())
      .put("uptimeBefore", loadBefore).put("uptimeAfter", uptime()).put("runs", runs)
      .put("settings", "recordings.server defaults: 1280x720 at 15 fps, libx264 veryfast crf 26, AAC 128k, one ffmpeg per node");
    Path out = Path.of("bench/results/recordings.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("[recordings] wrote " + out);
    System.exit(0);
  }

  private static JsonObject run(Parley server, Api api, int n, int seconds) throws Exception {
    String tenant = TestServer.freshTenant("recbench");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tokens.add(api.token("Person " + (i + 1), tenant));
    }
    String meetingId = api.createMeeting(tokens.get(0), "Recording bench " + n);
    List<BridgeClient> clients = new ArrayList<>();
    for (String t : tokens) {
      api.join(t, meetingId);
      clients.add(BridgeClient.connect(server.vertx(), server.port(), t).await());
    }
    long pinger = server.vertx().setPeriodic(5_000, id -> clients.forEach(c -> {
      c.writeRaw(new JsonObject().put("type", "ping").encode());
      c.request("presence.ping", new JsonObject().put("meetingId", meetingId));
    }));
    Path wav = BrowserPublisher.speech("fox.wav", 0.5, seconds + 10.0);
    try (BrowserPublisher browser = BrowserPublisher.start("http://127.0.0.1:" + server.port(), wav, n, true)) {
      for (int i = 0; i < n; i++) {
        JsonObject reply = clients.get(i).request("media.publish", new JsonObject().put("meetingId", meetingId).put("kind", "camera")
          .put("jsep", new JsonObject().put("type", "offer").put("sdp", browser.offer(i)))).await();
        browser.answer(i, reply.getJsonObject("jsep").getString("sdp"));
        browser.awaitConnected(i, Duration.ofSeconds(30));
      }
      Api.Response started = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", tokens.get(0), new JsonObject());
      if (started.status() != 201) {
        throw new IllegalStateException("start: " + started.status() + " " + started.body());
      }
      String rid = started.json().getString("recordingId");
      for (int i = 0; i < n; i++) {
        browser.play(i);
      }
      long t0 = System.nanoTime();
      Poll.until(Duration.ofSeconds(seconds + 30), () -> (System.nanoTime() - t0) / 1e9 >= seconds, seconds + " s recorded");
      Api.Response stopped = api.post("/api/v1/recordings/" + rid + "/stop", tokens.get(0), new JsonObject());
      long stoppedAt = System.nanoTime();
      if (stopped.status() != 200) {
        throw new IllegalStateException("stop: " + stopped.status() + " " + stopped.body());
      }
      JsonObject[] ready = new JsonObject[1];
      Poll.until(Duration.ofMinutes(30), () -> {
        JsonObject item = api.get("/api/v1/meetings/" + meetingId + "/recordings", tokens.get(0)).array("items").stream()
          .map(JsonObject.class::cast).filter(i -> rid.equals(i.getString("id"))).findFirst().orElse(new JsonObject());
        if ("failed".equals(item.getString("status"))) {
          throw new IllegalStateException("the recording failed: " + item.getString("reason"));
        }
        ready[0] = item;
        return "ready".equals(item.getString("status"));
      }, "the recording is ready");
      double processing = (System.nanoTime() - stoppedAt) / 1e9;
      double recorded = ready[0].getLong("durationMs") / 1000.0;
      JsonObject row = new JsonObject().put("people", n).put("recordedSeconds", recorded).put("processingSeconds", round(processing))
        .put("processingSecondsPerRecordedMinute", round(processing / (recorded / 60.0))).put("bytes", ready[0].getLong("size"))
        .put("uptime", uptime());
      System.out.printf("[recordings] %d people: %.1f s recorded, processed in %.1f s = %.1f s per recorded minute (%d bytes); %s%n",
        n, recorded, processing, processing / (recorded / 60.0), ready[0].getLong("size"), row.getString("uptime"));
      return row;
    } finally {
      server.vertx().cancelTimer(pinger);
      clients.forEach(c -> c.close());
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String uptime() {
    try {
      Process p = new ProcessBuilder("uptime").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      return "uptime unavailable";
    }
  }
}
