package storage;

import common.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a participant does with recordings and files, through the HTTP contract; run once per
 * blob-store provider (the filesystem default, and Azure on a real Azurite).
 */
abstract class StorageFlows {

  static Parley server;
  static Api api;
  static StorageClient http;
  static String tenant;
  static String ada;
  static String bob;
  static String meetingId;

  static void startServer(JsonObject overrides) {
    server = TestServer.start(overrides);
    api = new Api(server.vertx(), server.port());
    http = new StorageClient(server.vertx(), server.port());
    tenant = TestServer.freshTenant("store");
    ada = api.token("Ada", tenant);
    bob = api.token("Bob", tenant);
    meetingId = api.createMeeting(ada, "Design review");
    api.join(ada, meetingId);
    api.join(bob, meetingId);
  }

  static void stopServer() {
    if (http != null) {
      http.close();
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("a recording uploaded whole is stored with its SHA-256, listed, and downloaded byte for byte by another participant")
  void wholeRecording() {
    Buffer video = StorageClient.webm(300_000, 1);
    StorageClient.Reply up = http.upload("recordings", meetingId, ada, "video/webm;codecs=vp8,opus", "standup.webm", video);
    assertEquals(201, up.status(), up.body().toString());
    JsonObject rec = up.json();
    assertEquals(StorageClient.sha256(video), rec.getString("sha256"));
    assertEquals(video.length(), rec.getLong("size"));
    assertEquals("video/webm", rec.getString("contentType"));
    assertEquals("standup.webm", rec.getString("name"));
    assertEquals(api.userId(ada), rec.getString("uploadedBy"));
    assertEquals("hot", rec.getString("tier"));
    assertEquals("/api/v1/recordings/" + rec.getString("id"), up.header("Location"));

    JsonArray listed = http.get("/api/v1/meetings/" + meetingId + "/recordings", bob).json().getJsonArray("items");
    assertTrue(listed.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(rec.getString("id"))));

    StorageClient.Reply down = http.get("/api/v1/recordings/" + rec.getString("id"), bob);
    assertEquals(200, down.status());
    assertEquals(video, down.body());
    assertEquals("video/webm", down.header("Content-Type"));
    assertEquals("bytes", down.header("Accept-Ranges"));
  }

  @Test
  @DisplayName("range requests serve the asked bytes with 206 (a video player seeks), and 416 outside the recording")
  void ranges() {
    Buffer video = StorageClient.webm(100_000, 2);
    String id = http.upload("recordings", meetingId, ada, "video/webm", null, video).json().getString("id");
    String path = "/api/v1/recordings/" + id;
    StorageClient.Reply mid = http.get(path, ada, Map.of("Range", "bytes=1000-1999"));
    assertEquals(206, mid.status());
    assertEquals("bytes 1000-1999/" + video.length(), mid.header("Content-Range"));
    assertEquals(video.slice(1000, 2000), mid.body());
    StorageClient.Reply tail = http.get(path, ada, Map.of("Range", "bytes=-100"));
    assertEquals(206, tail.status());
    assertEquals(video.slice(video.length() - 100, video.length()), tail.body());
    StorageClient.Reply open = http.get(path, ada, Map.of("Range", "bytes=100000-"));
    assertEquals(video.slice(100_000, video.length()), open.body());
    StorageClient.Reply outside = http.get(path, ada, Map.of("Range", "bytes=" + video.length() + "-"));
    assertEquals(416, outside.status());
    assertEquals("bytes */" + video.length(), outside.header("Content-Range"));
    StorageClient.Reply garbage = http.get(path, ada, Map.of("Range", "bytes=abc"));
    assertEquals(200, garbage.status(), "an unparseable range is ignored, as HTTP allows");
    assertEquals(video.length(), garbage.body().length());
  }

  @Test
  @DisplayName("a recording made in chunks is not listed until complete; wrong offsets get 409 with the expected one; nothing is lost")
  void chunkedRecording() {
    StorageClient.Reply started = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm;codecs=vp9"));
    assertEquals(201, started.status(), started.body().toString());
    String id = started.json().getString("id");
    assertEquals("uploading", started.json().getString("status"));
    Buffer whole = StorageClient.webm(250_000, 3);
    Buffer c1 = whole.slice(0, 100_000);
    Buffer c2 = whole.slice(100_000, 200_000);
    Buffer c3 = whole.slice(200_000, whole.length());
    String content = "/api/v1/recordings/" + id + "/content?offset=";
    assertEquals(200, http.send(HttpMethod.PUT, content + 0, ada, Map.of(), c1).status());
    assertEquals(409, http.get("/api/v1/recordings/" + id + "/link", ada).status(),
      "a recording being made has no download link yet");
    StorageClient.Reply repeat = http.send(HttpMethod.PUT, content + 0, ada, Map.of(), c2);
    assertEquals(409, repeat.status(), repeat.body().toString());
    assertTrue(repeat.errorMessage().contains("100000"), repeat.errorMessage());
    assertEquals(200, http.send(HttpMethod.PUT, content + 100_000, ada, Map.of(), c2).status());
    assertTrue(http.get("/api/v1/meetings/" + meetingId + "/recordings", ada).json().getJsonArray("items").stream()
      .noneMatch(o -> ((JsonObject) o).getString("id").equals(id)), "not listed while being recorded");
    StorageClient.Reply third = http.send(HttpMethod.PUT, content + 200_000, ada, Map.of(), c3);
    assertEquals(whole.length(), third.json().getLong("size"));
    StorageClient.Reply notMine = http.send(HttpMethod.POST, "/api/v1/recordings/" + id + "/complete", bob,
      Map.of(), null);
    assertEquals(403, notMine.status());
    StorageClient.Reply done = http.send(HttpMethod.POST, "/api/v1/recordings/" + id + "/complete", ada, Map.of(), null);
    assertEquals(200, done.status(), done.body().toString());
    assertEquals("complete", done.json().getString("status"));
    assertEquals(whole.length(), done.json().getLong("size"));
    assertEquals(StorageClient.sha256(whole), done.json().getString("sha256"));
    assertEquals(whole, http.get("/api/v1/recordings/" + id, bob).body());
    assertEquals(409, http.send(HttpMethod.PUT, content + whole.length(), ada, Map.of(), c3).status(),
      "a complete recording takes no more chunks");
  }

  @Test
  @DisplayName("a shared file keeps its display name, is listed, and downloads as an attachment")
  void sharedFile() {
    Buffer pdf = StorageClient.pdf();
    StorageClient.Reply up = http.upload("files", meetingId, bob, "application/pdf", "Quarterly%20plan%20%E2%80%93%20v2.pdf", pdf);
    assertEquals(201, up.status(), up.body().toString());
    assertEquals("Quarterly plan – v2.pdf", up.json().getString("name"));
    String id = up.json().getString("id");
    JsonArray files = http.get("/api/v1/meetings/" + meetingId + "/files", ada).json().getJsonArray("items");
    assertTrue(files.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(id)));
    StorageClient.Reply down = http.get("/api/v1/files/" + id, ada);
    assertEquals(pdf, down.body());
    assertTrue(down.header("Content-Disposition").startsWith("attachment;"), down.header("Content-Disposition"));
    assertTrue(down.header("Content-Disposition").contains("filename*=UTF-8''Quarterly%20plan%20%E2%80%93%20v2.pdf"));
    assertEquals(404, http.get("/api/v1/recordings/" + id, ada).status(), "a file is not a recording");
  }

  @Test
  @DisplayName("a signed link downloads without a token; edited to point elsewhere it is refused with 403")
  void signedLinks() {
    Buffer video = StorageClient.webm(50_000, 4);
    String id = http.upload("recordings", meetingId, ada, "video/webm", null, video).json().getString("id");
    StorageClient.Reply link = http.get("/api/v1/recordings/" + id + "/link", bob);
    assertEquals(200, link.status(), link.body().toString());
    String url = link.json().getString("url");
    assertNotNull(link.json().getString("expiresAt"));
    StorageClient.Reply viaLink = LinkFetch.get(server.vertx(), server.port(), url, Map.of());
    assertEquals(200, viaLink.status(), "signed link: " + url);
    assertEquals(video, viaLink.body());
    StorageClient.Reply ranged = LinkFetch.get(server.vertx(), server.port(), url, Map.of("Range", "bytes=0-9"));
    assertEquals(206, ranged.status());
    assertEquals(video.slice(0, 10), ranged.body());

    String other = http.upload("recordings", meetingId, ada, "video/webm", null, StorageClient.webm(10, 5)).json().getString("id");
    String edited = url.replace(id, other);
    assertEquals(403, LinkFetch.get(server.vertx(), server.port(), edited, Map.of()).status(), "edited: " + edited);
    String tamperedSig = url.replaceAll("(sig|X-Amz-Signature)=([A-Za-z0-9%_-]{4})", "$1=AAAA"); // ours, Azure SAS, S3 presigned
    assertTrue(!tamperedSig.equals(url), "the link carries a signature: " + url);
    assertEquals(403, LinkFetch.get(server.vertx(), server.port(), tamperedSig, Map.of()).status(), tamperedSig);

    StorageClient.Reply redirect = http.get("/api/v1/recordings/" + id + "?redirect=true", bob);
    assertEquals(302, redirect.status());
    assertEquals(200, LinkFetch.get(server.vertx(), server.port(), redirect.header("Location"), Map.of()).status());
  }

  @Test
  @DisplayName("when the meeting ends, its transcript is written to the store and a recording still being made is completed")
  void meetingEnd() {
    String mid = api.createMeeting(ada, "Retro");
    api.join(ada, mid);
    String rec = http.json(HttpMethod.POST, "/api/v1/meetings/" + mid + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm")).json().getString("id");
    Buffer chunk = StorageClient.webm(40_000, 6);
    assertEquals(200, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rec + "/content?offset=0", ada, Map.of(), chunk).status());
    String speaker = api.userId(ada);
    for (int i = 0; i < 2; i++) {
      server.vertx().eventBus().send(Addresses.AI_CAPTION, new JsonObject().put("meetingId", mid).put("segmentId", "s" + i)
        .put("final", true).put("speakerId", speaker).put("speakerName", "Ada").put("tenant", tenant).put("lang", "en")
        .put("text", i == 0 ? "let us start the retro" : "thanks everyone").put("startMs", i * 2000L)
        .put("endMs", i * 2000L + 1500).put("audioReceivedAtMs", System.currentTimeMillis()));
    }
    Poll.until(() -> api.get("/api/v1/meetings/" + mid + "/transcript", ada).json().getJsonArray("segments").size() == 2,
      "both segments are in the transcript");
    assertEquals(200, api.post("/api/v1/meetings/" + mid + "/end", ada, null).status());

    Poll.until(() -> http.get("/api/v1/meetings/" + mid + "/files?kind=transcript", ada).json().getJsonArray("items").size() == 3,
      "the transcript is exported as JSON and VTT, with its recap as recap.md");
    JsonArray transcripts = http.get("/api/v1/meetings/" + mid + "/files?kind=transcript", ada).json().getJsonArray("items");
    JsonObject vtt = transcripts.stream().map(o -> (JsonObject) o).filter(o -> o.getString("name").equals("transcript.vtt"))
      .findFirst().orElseThrow();
    String text = http.get("/api/v1/files/" + vtt.getString("id"), ada).body().toString();
    assertTrue(text.startsWith("WEBVTT"), text);
    // (final captions are made readable: "Let us start the retro.")
    assertTrue(text.toLowerCase().contains("let us start the retro") && text.toLowerCase().contains("thanks everyone"), text);
    assertEquals("text/vtt", vtt.getString("contentType"));

    Poll.until(() -> http.get("/api/v1/meetings/" + mid + "/recordings", ada).json().getJsonArray("items").size() == 1,
      "the unfinished recording is completed with what was uploaded");
    JsonObject done = http.get("/api/v1/meetings/" + mid + "/recordings", ada).json().getJsonArray("items").getJsonObject(0);
    assertEquals(chunk.length(), done.getLong("size"));
    assertEquals(chunk, http.get("/api/v1/recordings/" + done.getString("id"), ada).body());
    assertNull(http.get("/api/v1/meetings/" + mid + "/files", ada).json().getJsonArray("items").stream()
      .map(o -> (JsonObject) o).filter(o -> o.getString("kind").equals("transcript")).findFirst().orElse(null),
      "transcripts are not mixed into the shared files");
  }

  /** Fetches a link as a browser would: relative links against the server, absolute ones (SAS) as they are. */
  static final class LinkFetch {
    static StorageClient.Reply get(io.vertx.core.Vertx vertx, int port, String url, Map<String, String> headers) {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        return http.get(url, null, headers);
      }
      StorageClient other = new StorageClient(vertx, uri.getPort());
      try {
        return other.get(uri.getRawPath() + "?" + uri.getRawQuery(), null, headers);
      } finally {
        other.close();
      }
    }
  }
}
