import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What docker/stack-test.sh checks through the compose stack's published ports, as a user's
 * clients would see it: both nodes ready with every dependency up; the two nodes clustered (chat
 * sent through both nodes reaches a bridge socket on the other with a gapless {@code seq}); speech
 * streamed to node B captioned and translated for a listener on node A; a recording uploaded
 * through node A stored in Azurite and downloaded through node B; Prometheus scraping both nodes.
 *
 * <p>A single-file program run on the image's own jar (for the Vert.x JSON classes and the Azure
 * SDK): {@code java -cp parley.jar docker/local/StackCheck.java --a URL --b URL --prometheus URL
 * --azure CONNECTION-STRING --wav FILE --expect db,redis,...}. Each check is bounded; the first
 * that fails ends the run with exit code 1 and says what it saw.
 */
public final class StackCheck {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "stack-check-timer");
    t.setDaemon(true);
    return t;
  });

  private final Map<String, String> args;
  private final String a;
  private final String b;
  private final String tenant = "stack-" + UUID.randomUUID().toString().substring(0, 8);
  private String alice;
  private String bob;
  private String meetingId;
  private Bridge aliceOnA;
  private Bridge bobOnB;

  private StackCheck(Map<String, String> args) {
    this.args = args;
    this.a = args.get("a");
    this.b = args.get("b");
  }

  public static void main(String[] argv) {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    for (String required : List.of("a", "b", "prometheus", "azure", "wav", "expect")) {
      if (!args.containsKey(required)) {
        System.err.println("usage: StackCheck --a URL --b URL --prometheus URL --azure CONNECTION-STRING --wav FILE --expect db,redis,...");
        System.exit(2);
      }
    }
    StackCheck check = new StackCheck(args);
    try {
      check.step("both nodes ready, every dependency up", check::ready);
      check.step("clustered: chat through both nodes, gapless seq on both sides", check::clusteredChat);
      check.step("speech streamed to node B captioned and translated on node A", check::captions);
      check.step("recording uploaded via node A is in Azurite and downloads via node B", check::recording);
      check.step("Prometheus scrapes both nodes", check::prometheus);
      System.exit(0);
    } catch (Throwable e) {
      System.out.println("[check] FAILED: " + e.getMessage());
      System.exit(1);
    } finally {
      check.close();
    }
  }

  interface Step {
    String run() throws Exception;
  }

  private void step(String what, Step step) throws Exception {
    long started = System.nanoTime();
    try {
      String detail = step.run();
      System.out.printf("[check] ok   %-72s %5.1f s  %s%n", what, (System.nanoTime() - started) / 1e9, detail);
    } catch (Throwable e) {
      System.out.printf("[check] FAIL %-72s %5.1f s%n", what, (System.nanoTime() - started) / 1e9);
      throw new AssertionError(what + ": " + e.getMessage(), e);
    }
  }

  private void close() {
    for (Bridge bridge : new Bridge[]{aliceOnA, bobOnB}) {
      if (bridge != null) {
        bridge.close();
      }
    }
  }

  // ---- the checks --------------------------------------------------------------------------

  private String ready() throws Exception {
    Set<String> expected = new TreeSet<>(List.of(args.get("expect").split(",")));
    List<String> seen = new ArrayList<>();
    for (String node : List.of(a, b)) {
      Reply r = get(node + "/health/ready", null);
      JsonObject report = new JsonObject(r.body);
      JsonObject checks = report.getJsonObject("checks", new JsonObject());
      List<String> down = checks.fieldNames().stream()
        .filter(n -> !"up".equals(checks.getJsonObject(n).getString("status"))).sorted().toList();
      check(r.status == 200 && "ready".equals(report.getString("status")) && down.isEmpty(),
        node + " is not ready: " + r.status + " " + r.body);
      check(checks.fieldNames().containsAll(expected), node + " reports " + checks.fieldNames() + ", expected " + expected);
      seen.add(new TreeSet<>(checks.fieldNames()).toString());
    }
    return "A " + seen.get(0) + ", B " + seen.get(1);
  }

  private String clusteredChat() throws Exception {
    alice = token(a, "Alice Stack", true);
    bob = token(b, "Bob Stack", false);
    Reply created = post(a + "/api/v1/meetings", alice, new JsonObject().put("title", "Stack test").encode());
    check(created.status == 201, "create meeting through A: " + created);
    meetingId = new JsonObject(created.body).getString("id");
    check(post(a + "/api/v1/meetings/" + meetingId + "/join", alice, null).status == 200, "alice joins through A");
    check(post(b + "/api/v1/meetings/" + meetingId + "/join", bob, null).status == 200, "bob joins through B");

    aliceOnA = Bridge.open(a, alice);
    bobOnB = Bridge.open(b, bob);
    String chat = "meeting." + meetingId + ".chat";
    aliceOnA.register(chat, meetingId);
    aliceOnA.register("meeting." + meetingId + ".captions", meetingId);
    bobOnB.register(chat, meetingId);

    // A registration reaches the other node through Hazelcast a moment later: send from A until
    // bob, on B, has had one (a client would not know; the test must not count that as a loss).
    List<Long> warmUp = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 20_000;
    while (bobOnB.received(chat).isEmpty()) {
      check(System.currentTimeMillis() < deadline, "no message sent through A reached bob's socket on B in 20 s");
      warmUp.add(sendChat(aliceOnA, "warm-up " + warmUp.size()));
      Thread.sleep(250);
    }

    // Both nodes at once: each socket sends 8 (the per-socket burst is 10).
    int perNode = 8;
    List<CompletableFuture<Long>> sends = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      for (Bridge sender : List.of(aliceOnA, bobOnB)) {
        sends.add(sender.request("chat.send", new JsonObject().put("meetingId", meetingId)
            .put("text", (sender == aliceOnA ? "from A " : "from B ") + i).put("clientId", UUID.randomUUID().toString()))
          .thenApply(reply -> reply.getLong("seq")));
      }
    }
    TreeSet<Long> all = new TreeSet<>(warmUp);
    for (CompletableFuture<Long> send : sends) {
      all.add(send.get(20, TimeUnit.SECONDS));
    }
    long last = warmUp.size() + 2L * perNode;
    Set<Long> gapless = LongStream.rangeClosed(1, last).boxed().collect(Collectors.toCollection(TreeSet::new));
    check(all.equals(gapless), "the replies' seqs are " + all + ", expected exactly 1.." + last);

    long firstAtB = seqs(bobOnB.received(chat)).first();
    Set<Long> expectAtB = LongStream.rangeClosed(firstAtB, last).boxed().collect(Collectors.toCollection(TreeSet::new));
    Set<Long> burst = LongStream.rangeClosed(warmUp.size() + 1, last).boxed().collect(Collectors.toCollection(TreeSet::new));
    waitFor(10, "every message from seq " + firstAtB + " on reaches B, and the burst reaches A",
      () -> seqs(bobOnB.received(chat)).equals(expectAtB) && seqs(aliceOnA.received(chat)).containsAll(burst));

    JsonArray replay = new JsonObject(get(b + "/api/v1/meetings/" + meetingId + "/chat?after=0&limit=100", bob).body)
      .getJsonArray("messages");
    List<Long> replayed = replay.stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
    check(replayed.equals(new ArrayList<>(gapless)), "replay through B gives " + replayed + ", expected 1.." + last);
    return last + " messages (" + warmUp.size() + " warm-up), seq 1.." + last + " on both nodes and in B's replay";
  }

  private String captions() throws Exception {
    aliceOnA.request("captions.language", new JsonObject().put("meetingId", meetingId).put("lang", "es")).get(10, TimeUnit.SECONDS);
    byte[] pcm = pcm(Path.of(args.get("wav")));
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket mic = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
      .buildAsync(ws(b).resolve("/ws/audio?meetingId=" + meetingId + "&lang=en-US&access_token=" + bob),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
          }
        }).get(10, TimeUnit.SECONDS);
    // Real time: 100 ms of 16 kHz 16-bit mono audio every 100 ms.
    for (int at = 0; at < pcm.length; at += 3200) {
      mic.sendBinary(ByteBuffer.wrap(pcm, at, Math.min(3200, pcm.length - at)), true).get(5, TimeUnit.SECONDS);
      Thread.sleep(100);
    }
    mic.sendText("{\"type\":\"end\"}", true).get(5, TimeUnit.SECONDS);
    int code = closed.get(30, TimeUnit.SECONDS);
    check(code == 1000, "the audio socket closed with " + code + ", expected 1000 after the end frame");

    String address = "meeting." + meetingId + ".captions";
    waitFor(20, "a final caption with a Spanish translation reaches alice on A",
      () -> aliceOnA.received(address).stream().anyMatch(c -> c.getBoolean("final", false)
        && !c.getJsonObject("translations", new JsonObject()).getString("es", "").isBlank()));
    JsonObject fin = aliceOnA.received(address).stream().filter(c -> c.getBoolean("final", false)).findFirst().orElseThrow();
    String text = fin.getString("text", "");
    String es = fin.getJsonObject("translations").getString("es");
    check("Bob Stack".equals(fin.getString("speakerName")), "the caption names its speaker: " + fin);
    check(text.contains("fox") && text.contains("dog"), "the caption is the sentence spoken: " + fin);
    check(es.matches("(?s).*\\b(zorro|perro|marrón|rápido|perezoso|salta)\\b.*"), "the translation is Spanish: " + fin);
    long partials = aliceOnA.received(address).stream().filter(c -> !c.getBoolean("final", true)).count();
    return "'" + text + "' -> '" + es + "' (" + partials + " partials first)";
  }

  private String recording() throws Exception {
    byte[] video = webm(2 * 1024 * 1024);
    HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create(a + "/api/v1/meetings/" + meetingId + "/recordings"))
        .header("Authorization", "Bearer " + alice).header("Content-Type", "video/webm").header("X-File-Name", "stack-test.webm")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(video)).build(),
      HttpResponse.BodyHandlers.ofString());
    check(up.statusCode() == 201, "upload through A: " + up.statusCode() + " " + up.body());
    String id = new JsonObject(up.body()).getString("id");
    String sha = sha256(video);

    String connection = args.get("azure");
    String container = args.getOrDefault("azure-container", "parley");
    BlobContainerClient blobs = new BlobServiceClientBuilder().connectionString(connection).buildClient()
      .getBlobContainerClient(container);
    String path = tenant + "/" + meetingId + "/recordings/" + id;
    List<BlobItem> items = new ArrayList<>();
    blobs.listBlobs(new ListBlobsOptions().setPrefix(tenant + "/" + meetingId + "/"), Duration.ofSeconds(20)).forEach(items::add);
    check(items.size() == 1 && items.get(0).getName().equals(path), "Azurite holds " + items.stream().map(BlobItem::getName).toList()
      + " under the meeting, expected exactly " + path);
    long size = items.get(0).getProperties().getContentLength();
    check(size == video.length, "the blob in Azurite has " + size + " bytes, uploaded " + video.length);
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    blobs.getBlobClient(path).downloadStream(stored);
    check(sha.equals(sha256(stored.toByteArray())), "the bytes in Azurite are the bytes uploaded");

    HttpResponse<byte[]> down = HTTP.send(HttpRequest.newBuilder(URI.create(b + "/api/v1/recordings/" + id))
      .header("Authorization", "Bearer " + bob).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    check(down.statusCode() == 200 && sha.equals(sha256(down.body())), "download through B: " + down.statusCode()
      + ", " + down.body().length + " bytes");
    // The list comes from the read pool (the replica), which may lag the primary a moment.
    waitFor(10, "the recording is listed through B", () -> {
      Reply list = get(b + "/api/v1/meetings/" + meetingId + "/recordings", bob);
      return list.status == 200 && list.body.contains(id);
    });
    return video.length + " bytes, " + container + "/" + path + ", SHA-256 " + sha.substring(0, 12) + " on both ends";
  }

  private String prometheus() throws Exception {
    String base = args.get("prometheus");
    Set<String> up = new TreeSet<>();
    String[] last = {""};
    waitFor(60, "both Parley targets up in Prometheus", () -> {
      Reply r = get(base + "/api/v1/targets?state=active", null);
      last[0] = r.body;
      up.clear();
      for (Object t : new JsonObject(r.body).getJsonObject("data").getJsonArray("activeTargets")) {
        JsonObject target = (JsonObject) t;
        if ("parley".equals(target.getJsonObject("labels").getString("job")) && "up".equals(target.getString("health"))) {
          up.add(target.getJsonObject("labels").getString("instance"));
        }
      }
      return up.equals(Set.of("parley-1:8080", "parley-2:8080"));
    });
    // And Parley's own series came with the scrape from each node, not just `up`.
    String query = URLEncoder.encode("count by (instance) (parley_dependency_up)", StandardCharsets.UTF_8);
    Set<String> instances = new TreeSet<>();
    waitFor(30, "parley_dependency_up scraped from both nodes", () -> {
      instances.clear();
      for (Object s : new JsonObject(get(base + "/api/v1/query?query=" + query, null).body).getJsonObject("data").getJsonArray("result")) {
        instances.add(((JsonObject) s).getJsonObject("metric").getString("instance"));
      }
      return instances.equals(Set.of("parley-1:8080", "parley-2:8080"));
    });
    return "targets " + up + " up; parley_dependency_up from " + instances;
  }

  // ---- clients -----------------------------------------------------------------------------

  private String token(String node, String name, boolean admin) throws Exception {
    JsonObject body = new JsonObject().put("name", name).put("tenant", tenant);
    if (admin) {
      body.put("roles", new JsonArray().add("admin"));
    }
    Reply r = post(node + "/api/v1/auth/dev-token", null, body.encode());
    check(r.status == 201, "dev-token from " + node + ": " + r);
    return new JsonObject(r.body).getString("token");
  }

  private long sendChat(Bridge sender, String text) throws Exception {
    JsonObject reply = sender.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", text)
      .put("clientId", UUID.randomUUID().toString())).get(10, TimeUnit.SECONDS);
    return reply.getLong("seq");
  }

  private static TreeSet<Long> seqs(List<JsonObject> messages) {
    return messages.stream().filter(m -> m.containsKey("seq")).map(m -> m.getLong("seq"))
      .collect(Collectors.toCollection(TreeSet::new));
  }

  record Reply(int status, String body) {
  }

  private static Reply get(String url, String token) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
  }

  private static Reply post(String url, String token, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
      .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return send(request, token);
  }

  private static Reply send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  private static URI ws(String http) {
    return URI.create(http.replaceFirst("^http", "ws"));
  }

  /**
   * A socket on the event-bus bridge's raw WebSocket transport ({@code /eventbus/websocket}),
   * speaking the vertx-eventbus protocol: send with a reply address, register, ping.
   */
  static final class Bridge implements WebSocket.Listener {
    private final Map<String, CompletableFuture<JsonObject>> replies = new ConcurrentHashMap<>();
    private final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private java.util.concurrent.ScheduledFuture<?> pings;

    static Bridge open(String node, String token) throws Exception {
      Bridge bridge = new Bridge();
      bridge.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(ws(node).resolve("/eventbus/websocket?access_token=" + token), bridge).get(10, TimeUnit.SECONDS);
      bridge.pings = TIMERS.scheduleAtFixedRate(() -> bridge.write(new JsonObject().put("type", "ping")), 5, 5, TimeUnit.SECONDS);
      return bridge;
    }

    /** Registers, and returns once the bridge has handled it (a ping on the same socket answers after it). */
    void register(String address, String meetingId) throws Exception {
      received.putIfAbsent(address, new CopyOnWriteArrayList<>());
      JsonObject ping = new JsonObject().put("meetingId", meetingId);
      request("presence.ping", ping).get(10, TimeUnit.SECONDS);
      write(new JsonObject().put("type", "register").put("address", address));
      request("presence.ping", ping).get(10, TimeUnit.SECONDS);
    }

    CompletableFuture<JsonObject> request(String address, JsonObject body) {
      String replyAddress = UUID.randomUUID().toString();
      CompletableFuture<JsonObject> reply = new CompletableFuture<>();
      replies.put(replyAddress, reply);
      write(new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress));
      return reply.orTimeout(10, TimeUnit.SECONDS);
    }

    List<JsonObject> received(String address) {
      return received.getOrDefault(address, List.of());
    }

    private synchronized void write(JsonObject frame) {
      socket.sendText(frame.encode(), true).join();
    }

    void close() {
      pings.cancel(false);
      socket.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      return onData(ws, data.toString(), last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return onData(ws, new String(bytes, StandardCharsets.UTF_8), last);
    }

    private CompletionStage<?> onData(WebSocket ws, String data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject frame = new JsonObject(partial.toString());
        partial.setLength(0);
        String address = frame.getString("address");
        CompletableFuture<JsonObject> reply = address == null ? null : replies.remove(address);
        if ("err".equals(frame.getString("type"))) {
          if (reply != null) {
            reply.completeExceptionally(new IllegalStateException("error " + frame.getValue("failureCode") + " "
              + frame.getValue("message", frame.getValue("body"))));
          } else {
            System.out.println("[check] bridge error frame: " + frame.encode());
          }
        } else if ("rec".equals(frame.getString("type"))) {
          Object body = frame.getValue("body");
          if (reply != null) {
            reply.complete(body instanceof JsonObject json ? json : new JsonObject().put("value", body));
          } else if (body instanceof JsonObject json && received.containsKey(address)) {
            received.get(address).add(json);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  // ---- data --------------------------------------------------------------------------------

  /** The PCM of a 16 kHz mono 16-bit WAV (its "data" chunk). */
  private static byte[] pcm(Path wav) throws Exception {
    byte[] file = Files.readAllBytes(wav);
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    in.position(12);
    while (in.remaining() >= 8) {
      String id = new String(file, in.position(), 4, StandardCharsets.US_ASCII);
      in.position(in.position() + 4);
      int size = in.getInt();
      if (id.equals("data")) {
        byte[] pcm = new byte[Math.min(size, in.remaining())];
        in.get(pcm);
        return pcm;
      }
      in.position(in.position() + size + (size & 1));
    }
    throw new IllegalArgumentException(wav + " has no data chunk");
  }

  /** An EBML header whose DocType is "webm" (what the server sniffs), then random bytes. */
  private static byte[] webm(int payload) {
    byte[] head = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81, 0x01, 0x42,
      (byte) 0xF7, (byte) 0x81, 0x01, 0x42, (byte) 0xF2, (byte) 0x81, 0x04, 0x42, (byte) 0xF3, (byte) 0x81, 0x08, 0x42,
      (byte) 0x82, (byte) 0x84, 'w', 'e', 'b', 'm', 0x42, (byte) 0x87, (byte) 0x81, 0x04, 0x18, 0x53, (byte) 0x80, 0x67};
    byte[] out = new byte[head.length + payload];
    System.arraycopy(head, 0, out, 0, head.length);
    byte[] rest = new byte[payload];
    new Random().nextBytes(rest);
    System.arraycopy(rest, 0, out, head.length, payload);
    return out;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void check(boolean ok, String otherwise) {
    if (!ok) {
      throw new AssertionError(otherwise);
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(int seconds, String what, Condition condition) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.holds()) {
      check(System.currentTimeMillis() < deadline, "not within " + seconds + " s: " + what);
      Thread.sleep(200);
    }
  }
}
