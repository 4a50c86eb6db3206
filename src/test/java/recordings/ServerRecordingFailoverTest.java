package recordings;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import support.Api;
import support.AudioMatch;
import support.BridgeClient;
import support.BrowserPublisher;
import support.Poll;
import support.TestServer;
import support.Wer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server recording survives its Janus dying: the managed Janus is killed while Chromium publishes
 * and the server records; the server starts Janus again, the pages are told to publish again, the
 * meeting's room is placed again, and that new room records into the same recording. The one MP4
 * that comes out spans both parts (its length is the time from start to stop, not the part before
 * the kill), and the sentence spoken only after the failover is in its audio.
 */
@DisplayName("Server recordings across a failover: Janus killed mid-recording, the room placed again records again, one file holds both parts")
class ServerRecordingFailoverTest {

  static final String SENTENCE = "the quick brown fox jumps over the lazy dog";
  static Parley server;
  static JsonObject config;
  static Api api;
  static WebClient web;

  @BeforeAll
  static void start() {
    ServerRecordingTest.assumeRecordingParts("server-recording-failover");
    config = TestServer.config(new JsonObject().put("media", TestServer.janusMedia())
      .put("recordings", new JsonObject().put("server", new JsonObject().put("pollMs", 300))));
    server = Parley.start(config).await();
    api = new Api(server.vertx(), server.port());
    web = WebClient.create(server.vertx());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      web.close();
      api.close();
      server.stop().await();
    }
  }

  static String status(String token, String meetingId, String recordingId) {
    return api.get("/api/v1/meetings/" + meetingId + "/recordings", token).array("items").stream().map(JsonObject.class::cast)
      .filter(i -> recordingId.equals(i.getString("id"))).findFirst().map(i -> i.getString("status") + " " + i.getString("reason", ""))
      .orElse("absent");
  }

  /** The feed ids of the .mjr files Janus wrote so far ({@code camera-<feed>-<n>-<audio|video>-<mindex>.mjr}). */
  static Set<String> feeds(Path sources) {
    try (var files = Files.list(sources)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".mjr")).map(f -> f.split("-")[1])
        .collect(Collectors.toSet());
    } catch (java.io.IOException e) {
      return Set.of();
    }
  }

  /** Publishes page 0 of {@code browser} as {@code client}'s camera, trying again while the media server comes back. */
  static void publish(BridgeClient client, String meetingId, BrowserPublisher browser) {
    String offer = browser.offer(0);
    List<String> refusals = new CopyOnWriteArrayList<>();
    JsonObject[] reply = new JsonObject[1];
    Poll.until(Duration.ofSeconds(30), () -> {
      try {
        reply[0] = client.request("media.publish", new JsonObject().put("meetingId", meetingId).put("kind", "camera")
          .put("jsep", new JsonObject().put("type", "offer").put("sdp", offer))).await();
        return true;
      } catch (RuntimeException e) {
        refusals.add(e.getMessage());
        return false;
      }
    }, "media.publish succeeds (refused meanwhile: " + refusals + ")");
    browser.answer(0, reply[0].getJsonObject("jsep").getString("sdp"));
    browser.awaitConnected(0, Duration.ofSeconds(30));
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  @DisplayName("Janus killed 8 s into a recording: her page publishes again into the room placed again, which records into the same "
    + "recording; the MP4 lasts from start to stop and its audio holds the sentence she said after the failover")
  void recordsAcrossTheFailover(@TempDir Path tmp) throws Exception {
    String tenant = TestServer.freshTenant("recfail");
    String ann = api.token("Ann", tenant);
    String meetingId = api.createMeeting(ann, "Recorded through a failover");
    api.join(ann, meetingId);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    List<JsonObject> media = new CopyOnWriteArrayList<>();
    a.register("meeting." + meetingId + ".media", meetingId, media::add).await();
    long pinger = server.vertx().setPeriodic(5_000, t -> {
      a.writeRaw(new JsonObject().put("type", "ping").encode());
      a.request("presence.ping", new JsonObject().put("meetingId", meetingId));
    });
    Path dataDir = Path.of(config.getJsonObject("data").getString("dir"));
    Path wav = BrowserPublisher.speech("fox.wav", 0.5, 2.0);
    String rid;
    Path sources;
    long startedAt;
    long stoppedAt;
    try (BrowserPublisher before = BrowserPublisher.start("http://127.0.0.1:" + server.port(), wav, 1, true)) {
      publish(a, meetingId, before);
      Api.Response started = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", ann, new JsonObject());
      assertEquals(201, started.status(), started.body());
      rid = started.json().getString("recordingId");
      startedAt = System.nanoTime();
      sources = dataDir.resolve("recordings").resolve("janus").resolve(rid);
      Poll.until(Duration.ofSeconds(10), () -> feeds(sources).size() == 1, "Janus records her feed");
      Poll.until(Duration.ofSeconds(15), () -> (System.nanoTime() - startedAt) / 1e9 >= 8, "eight seconds recorded");

      long pid = Long.parseLong(Files.readString(dataDir.resolve("janus").resolve("janus.pid")).trim());
      assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "Janus killed");
      Poll.until(Duration.ofSeconds(20), () -> media.stream().anyMatch(e -> "reset".equals(e.getString("type"))),
        "her page is told to publish again: " + media);
    }
    Set<String> first = feeds(sources);
    try (BrowserPublisher after = BrowserPublisher.start("http://127.0.0.1:" + server.port(), wav, 1, true)) {
      publish(a, meetingId, after); // as her page does after the reset, into the room placed again
      long republishedAt = System.nanoTime();
      Poll.until(Duration.ofSeconds(15), () -> feeds(sources).size() == 2,
        "Janus (started again) records her new feed into the same recording: " + feeds(sources));
      assertTrue(status(ann, meetingId, rid).startsWith("recording"), "still recording: " + status(ann, meetingId, rid));
      Poll.until(Duration.ofSeconds(5), () -> (System.nanoTime() - republishedAt) / 1e9 >= 2, "two seconds before she speaks");
      after.play(0);
      Poll.until(Duration.ofSeconds(15), () -> (System.nanoTime() - republishedAt) / 1e9 >= 9, "the sentence said and recorded");
      Api.Response stopped = api.post("/api/v1/recordings/" + rid + "/stop", ann, new JsonObject());
      assertEquals(200, stopped.status(), stopped.body());
      stoppedAt = System.nanoTime();
    }
    Set<String> both = feeds(sources);
    assertTrue(first.size() == 1 && both.size() == 2 && both.containsAll(first), "a feed from before the kill and one from after: " + both);
    Poll.until(Duration.ofSeconds(150), () -> status(ann, meetingId, rid).startsWith("ready") || status(ann, meetingId, rid)
      .startsWith("failed"), "processed");
    assertTrue(status(ann, meetingId, rid).startsWith("ready"), "ready: " + status(ann, meetingId, rid));

    Buffer mp4 = web.get(server.port(), "127.0.0.1", "/api/v1/recordings/" + rid).putHeader("Authorization", "Bearer " + ann)
      .send().await().body();
    Path file = tmp.resolve("recording.mp4");
    Files.write(file, mp4.getBytes());
    String streams = ServerRecordingTest.run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", file.toString());
    assertTrue(streams.contains("h264,video") && streams.contains("aac,audio"), streams);
    double seconds = Double.parseDouble(ServerRecordingTest.run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
      "default=noprint_wrappers=1:nokey=1", file.toString()).trim());
    double wall = (stoppedAt - startedAt) / 1e9;
    System.out.printf("[server-recording-failover] %s: %.2f s long, %.2f s from start to stop, %d bytes, feeds %s%n", rid, seconds,
      wall, mp4.length(), both);
    // before the kill alone would be about 8 s: the file runs on to the stop (less the moments no feed was recorded at either end)
    assertTrue(seconds >= wall - 4 && seconds <= wall + 1, "the recording spans both parts: " + seconds + " s of " + wall + " s");

    String heard = ServerRecordingTest.heardIn(server.vertx(), file, tmp);
    double wer = Wer.of(SENTENCE, heard);
    AudioMatch.Match match = AudioMatch.find(Wer.pcm("fox.wav"), Files.readAllBytes(tmp.resolve("audio.raw")));
    System.out.printf("[server-recording-failover] the recording's audio: \"%s\" WER %.2f; the sentence's sound %s%n", heard, wer,
      match);
    // said once, after the failover, through Chromium's Opus and the file's AAC on a loaded machine: "the quick brown fox
    // done so many the dog" (WER 0.44) at a load average of 10, "the quick brown fox done so memorably nod" (0.56) in a
    // full suite. What she said after the kill must be there: its sound (see AudioMatch), and two of its words heard
    assertTrue(match.correlation() >= 0.7, "what she said after the failover is in the recording: " + match + "; heard \""
      + heard + "\" (WER " + wer + ")");
    assertTrue(heard.toLowerCase(java.util.Locale.ROOT).contains("brown fox"), "Vosk hears it: \"" + heard + "\" (WER " + wer + ")");
    server.vertx().cancelTimer(pinger);
    a.close().await();
  }
}
