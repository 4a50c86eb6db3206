package storage;

import data.blob.Azurite;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Storage routes refuse bad input with a clear answer and leave nothing half-stored")
class StorageBadInputTest {

  static Parley server;
  static Api api;
  static StorageClient http;
  static Path blobRoot;
  static String tenant;
  static String ada;
  static String admin;
  static String outsider;
  static String stranger;
  static String meetingId;

  @BeforeAll
  static void start() throws IOException {
    blobRoot = Files.createTempDirectory("parley-blobs-");
    server = TestServer.start(new JsonObject().put("blobs", new JsonObject().put("maxChunkBytes", 200_000)
      .put("filesystem", new JsonObject().put("root", blobRoot.toString()))));
    api = new Api(server.vertx(), server.port());
    http = new StorageClient(server.vertx(), server.port());
    tenant = TestServer.freshTenant("bad");
    ada = api.token("Ada", tenant);
    admin = api.token("Root", tenant, "admin");
    outsider = api.token("Olly", tenant);
    stranger = api.token("Mallory", TestServer.freshTenant("evil"), "admin");
    meetingId = api.createMeeting(ada, "Uploads");
    api.join(ada, meetingId);
    // Small limits for this tenant, so "over the limit" is cheap to test.
    JsonObject config = api.get("/api/v1/tenant", admin).json().getJsonObject("config");
    config.put("uploads", new JsonObject().put("maxRecordingBytes", 1_000_000).put("maxFileBytes", 100_000));
    assertEquals(200, api.put("/api/v1/tenant", admin, config).status());
  }

  @AfterAll
  static void stop() {
    http.close();
    api.close();
    server.stop().await();
  }

  static long listed(String kind) {
    return http.get("/api/v1/meetings/" + meetingId + "/" + kind, ada).json().getJsonArray("items").size();
  }

  static long blobFiles() throws IOException {
    while (true) {
      try (Stream<Path> files = Files.walk(blobRoot)) {
        return files.filter(Files::isRegularFile).filter(p -> p.toString().contains(meetingId)).count();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
        // a partial upload's file was removed while the walk passed it: count again
      }
    }
  }

  @Test
  @DisplayName("traversal and normalisation tricks in ids are 404, and a file name never reaches the store's keys")
  void traversal() throws IOException {
    for (String id : new String[]{"..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..%5C..%5Cwindows", ".hidden", "a%00b",
      "00000000-0000-0000-0000-00000000000G", "%252e%252e%252f"}) {
      assertEquals(404, http.get("/api/v1/recordings/" + id, ada).status(), id);
      assertEquals(404, http.get("/api/v1/files/" + id, ada).status(), id);
    }
    assertEquals(404, http.get("/api/v1/meetings/..%2F" + meetingId + "/files", ada).status());
    StorageClient.Reply sneaky = http.upload("files", meetingId, ada, "text/plain", "..%2F..%2F.ssh%5Cauthorized_keys",
      Buffer.buffer("hello"));
    assertEquals(201, sneaky.status(), sneaky.body().toString());
    assertEquals("authorized_keys", sneaky.json().getString("name"));
    StorageClient.Reply hidden = http.upload("files", meetingId, ada, "text/plain", ".bashrc", Buffer.buffer("x"));
    assertEquals("bashrc", hidden.json().getString("name"));
    try (Stream<Path> files = Files.walk(blobRoot)) {
      assertTrue(files.allMatch(p -> p.startsWith(blobRoot) && !p.getFileName().toString().contains("authorized")
        && !p.getFileName().toString().contains("bashrc")), "stored under server-made keys only");
    }
    StorageClient.Reply forged = http.get("/api/v1/blobs/" + tenant + "/..%2F..%2Fsecret?exp=9999999999&sig=abc", null);
    assertEquals(403, forged.status());
  }

  @Test
  @DisplayName("a spoofed content type is refused with 415: the first bytes decide")
  void spoofedTypes() throws IOException {
    long before = blobFiles();
    long files = listed("files");
    long recordings = listed("recordings");
    StorageClient.Reply pngAsVideo = http.upload("recordings", meetingId, ada, "video/webm", null, StorageClient.png());
    assertUnsupported(pngAsVideo, "a PNG declared as a recording");
    StorageClient.Reply mp4AsWebm = http.upload("recordings", meetingId, ada, "video/webm", null, StorageClient.mp4(100));
    assertUnsupported(mp4AsWebm, "declared and detected types must agree");
    StorageClient.Reply exe = http.upload("files", meetingId, ada, "application/pdf", "report.pdf",
      Buffer.buffer(new byte[]{'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0}).appendBytes(new byte[200]));
    assertUnsupported(exe, "an executable declared as a PDF");
    StorageClient.Reply textAsPdf = http.upload("files", meetingId, ada, "application/pdf", "x.pdf", Buffer.buffer("plain words"));
    assertUnsupported(textAsPdf, "plain text declared as a PDF");
    StorageClient.Reply startBad = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "application/x-msdownload"));
    assertUnsupported(startBad, "a chunked recording of an executable type");
    String rid = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm")).json().getString("id");
    StorageClient.Reply firstChunkPng = http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", ada,
      Map.of(), StorageClient.png());
    assertUnsupported(firstChunkPng, "the first chunk must be a recording by its bytes");
    assertEquals(before, blobFiles(), "nothing was stored");
    assertEquals(files, listed("files"), "no file is listed");
    assertEquals(recordings, listed("recordings"), "no recording is listed");
  }

  private static void assertUnsupported(StorageClient.Reply reply, String why) {
    assertEquals(415, reply.status(), why + ": " + reply.body());
    assertEquals("unsupported_type", reply.errorCode(), reply.body().toString());
  }

  @Test
  @DisplayName("empty uploads are 400; over the tenant's limit is 413, by header or by counting; nothing is listed")
  void sizes() throws IOException {
    long files = listed("files");
    long recordings = listed("recordings");
    assertEquals(400, http.upload("recordings", meetingId, ada, "video/webm", null, Buffer.buffer()).status());
    assertEquals(400, http.upload("files", meetingId, ada, "text/plain", "empty.txt", Buffer.buffer()).status());
    StorageClient.Reply big = http.upload("files", meetingId, ada, "text/plain", "big.txt", Buffer.buffer("a".repeat(100_001)));
    assertEquals(413, big.status());
    assertTrue(big.errorMessage().contains("limited to"), big.errorMessage());
    // No Content-Length: chunked transfer, counted while streaming.
    StorageClient.Reply counted = http.stream(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings", ada,
      Map.of("Content-Type", "video/webm"),
      new data.blob.BufferStream(server.vertx().getOrCreateContext(), StorageClient.webm(3_000_000, 1)));
    assertEquals(413, counted.status(), counted.body().toString());
    String rid = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm")).json().getString("id");
    StorageClient.Reply bigChunk = http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", ada, Map.of(),
      StorageClient.webm(250_000, 9));
    assertEquals(413, bigChunk.status());
    assertTrue(bigChunk.errorMessage().contains("chunk"), bigChunk.errorMessage());
    assertEquals(400, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=-5", ada, Map.of(),
      StorageClient.webm(10, 9)).status());
    assertEquals(400, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content", ada, Map.of(),
      StorageClient.webm(10, 9)).status());
    assertEquals(400, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=zero", ada, Map.of(),
      StorageClient.webm(10, 9)).status());
    StorageClient.Reply longName = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm").put("name", "n".repeat(5000)));
    assertEquals(413, longName.status());
    assertEquals(400, http.send(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      Map.of("Content-Type", "application/json"), Buffer.buffer("{not json")).status());
    assertEquals(files, listed("files"));
    assertEquals(recordings, listed("recordings"));
  }

  @Test
  @DisplayName("an upload aborted half-way leaves nothing listed and no blob behind")
  void aborted() throws Exception {
    long before = blobFiles();
    long recordings = listed("recordings");
    HttpClient raw = server.vertx().createHttpClient(new HttpClientOptions());
    Promise<Void> gone = Promise.promise();
    raw.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(server.port())
        .setURI("/api/v1/meetings/" + meetingId + "/recordings").putHeader("Authorization", "Bearer " + ada)
        .putHeader("Content-Type", "video/webm").putHeader("Content-Length", "900000"))
      .onSuccess(req -> req.write(StorageClient.webm(300_000, 11)).onComplete(w ->
        server.vertx().setTimer(300, t -> req.connection().close().onComplete(c -> gone.complete()))))
      .onFailure(gone::fail);
    gone.future().await();
    Poll.until(() -> {
      try {
        return blobFiles() == before;
      } catch (IOException e) {
        return false;
      }
    }, "the partial upload is removed");
    assertEquals(recordings, listed("recordings"));
    raw.close();
  }

  @Test
  @DisplayName("no token is 401, a non-participant is 403, another tenant's ids are 404 — for every storage route")
  void access() {
    String rec = http.upload("recordings", meetingId, ada, "video/webm", null, StorageClient.webm(1000, 12)).json().getString("id");
    String file = http.upload("files", meetingId, ada, "text/plain", "notes.txt", Buffer.buffer("notes")).json().getString("id");
    String[] reads = {"/api/v1/recordings/" + rec, "/api/v1/recordings/" + rec + "/link", "/api/v1/files/" + file,
      "/api/v1/files/" + file + "/link", "/api/v1/meetings/" + meetingId + "/recordings", "/api/v1/meetings/" + meetingId + "/files"};
    for (String path : reads) {
      assertEquals(401, http.get(path, null).status(), path);
      assertEquals(403, http.get(path, outsider).status(), path);
      assertEquals(404, http.get(path, stranger).status(), path);
    }
    assertEquals(401, http.upload("files", meetingId, null, "text/plain", "a.txt", Buffer.buffer("a")).status());
    assertEquals(403, http.upload("files", meetingId, outsider, "text/plain", "a.txt", Buffer.buffer("a")).status());
    assertEquals(404, http.upload("files", meetingId, stranger, "text/plain", "a.txt", Buffer.buffer("a")).status());
    assertEquals(404, http.upload("recordings", "not-a-meeting", ada, "video/webm", null, StorageClient.webm(10, 1)).status());
    String rid = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm")).json().getString("id");
    assertEquals(404, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", stranger, Map.of(),
      StorageClient.webm(10, 1)).status());
    assertEquals(403, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", outsider, Map.of(),
      StorageClient.webm(10, 1)).status());
    assertEquals(404, http.send(HttpMethod.POST, "/api/v1/recordings/" + rid + "/complete", stranger, Map.of(), null).status());
    assertEquals(403, http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", outsider,
      new JsonObject().put("contentType", "video/webm")).status());
    assertEquals(401, http.send(HttpMethod.POST, "/api/v1/admin/lifecycle/run", null, Map.of(), null).status());
    assertEquals(403, http.send(HttpMethod.POST, "/api/v1/admin/lifecycle/run", ada, Map.of(), null).status());
  }

  @Test
  @DisplayName("while a chunk of a recording is being uploaded (on any node), another one is refused with 409")
  void oneChunkAtATime() {
    String rid = http.json(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/recordings/chunked", ada,
      new JsonObject().put("contentType", "video/webm")).json().getString("id");
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(server.vertx(), support.TestInfra.redisUrl());
    try {
      // What another node holds while it appends a chunk of this recording.
      redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SET).arg("parley:append:" + rid)
        .arg("other-node").arg("PX").arg(30_000)).await();
      StorageClient.Reply busy = http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", ada, Map.of(),
        StorageClient.webm(1000, 21));
      assertEquals(409, busy.status(), busy.body().toString());
      assertTrue(busy.errorMessage().contains("another chunk"), busy.errorMessage());
      redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL).arg("parley:append:" + rid)).await();
      assertEquals(200, http.send(HttpMethod.PUT, "/api/v1/recordings/" + rid + "/content?offset=0", ada, Map.of(),
        StorageClient.webm(1000, 21)).status());
      assertEquals(0, redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EXISTS)
        .arg("parley:append:" + rid)).await().toInteger(), "the lock is released after the chunk");
    } finally {
      redis.close();
    }
  }

  @Test
  @DisplayName("a store that is down answers 503 and records nothing in the database")
  void storeDown() {
    int closedPort = TestServer.freePort();
    Parley down = TestServer.start(new JsonObject().put("blobs", new JsonObject().put("provider", "azure")
      .put("azure", new JsonObject().put("connectionString", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
        + Azurite.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:" + closedPort + "/devstoreaccount1;")
        .put("maxTries", 1).put("tryTimeoutSeconds", 3).put("retryDelayMs", 10).put("maxRetryDelayMs", 20))));
    StorageClient client = new StorageClient(down.vertx(), down.port());
    Api downApi = new Api(down.vertx(), down.port());
    try {
      String token = downApi.token("Ada", tenant);
      String mid = downApi.createMeeting(token, "Store down");
      downApi.join(token, mid);
      StorageClient.Reply up = client.upload("recordings", mid, token, "video/webm", null, StorageClient.webm(50_000, 13));
      assertEquals(503, up.status(), up.body().toString());
      assertEquals("unavailable", up.json().getJsonObject("error").getString("code"));
      assertEquals(0, client.get("/api/v1/meetings/" + mid + "/recordings", token).json().getJsonArray("items").size());
      JsonObject ready = downApi.get("/health/ready", null).json();
      assertEquals("down", ready.getJsonObject("checks").getJsonObject("blobs").getString("status"), ready.encode());
      assertEquals(200, downApi.get("/api/v1/meetings/" + mid, token).status(), "meetings still work without the store");
    } finally {
      client.close();
      downApi.close();
      down.stop().await();
    }
  }
}
