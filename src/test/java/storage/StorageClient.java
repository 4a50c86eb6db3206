package storage;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/** Raw HTTP for the storage routes: arbitrary headers, streamed bodies, binary answers. */
final class StorageClient {

  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String errorMessage() {
      return json().getJsonObject("error").getString("message");
    }

    String errorCode() {
      return json().getJsonObject("error").getString("code");
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  /** Longer than any one request here takes on a loaded machine (a 1 MiB upload: well under a second). */
  static final long TIMEOUT_SECONDS = 30;

  private final HttpClient client;
  private final int port;

  StorageClient(Vertx vertx, int port) {
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setKeepAlive(false));
  }

  Reply send(HttpMethod method, String uri, String token, Map<String, String> headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setHost("127.0.0.1").setPort(port);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(options::putHeader);
    return await(method, uri, client.request(options)
      .compose(req -> read(body == null ? req.send() : req.send(body))));
  }

  Reply stream(HttpMethod method, String uri, String token, Map<String, String> headers, ReadStream<Buffer> body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri).setHost("127.0.0.1").setPort(port);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(options::putHeader);
    return await(method, uri, client.request(options).compose(req -> read(req.send(body))));
  }

  /**
   * The reply to a request just sent, read by a step attached here, on the event loop, while sending.
   *
   * <p>Not as a second {@code compose} chained from the test thread: that step is attached after the
   * request is on its way, and a refusal that comes at once (a 413 while the body is still going out)
   * can have arrived, and ended, before it is. Vert.x then runs the step later, and a body read from an
   * ended response never completes (5.0.8): measured, 32 of 40 such PUTs hung when the test thread
   * paused 20 ms between the two calls, as a loaded machine pauses it; 0 of 40 with this.
   */
  private static Future<Reply> read(Future<HttpClientResponse> response) {
    return response.compose(res -> res.body().map(b -> new Reply(res.statusCode(), res.headers(), b)));
  }

  /** The reply, or a failure that names the request when none comes within {@link #TIMEOUT_SECONDS}. */
  private Reply await(HttpMethod method, String uri, Future<Reply> reply) {
    try {
      return reply.timeout(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS).await();
    } catch (Exception e) { // await() rethrows the failure as it is, checked or not
      if (e instanceof java.util.concurrent.TimeoutException || e.getCause() instanceof java.util.concurrent.TimeoutException) {
        throw new AssertionError("no reply within " + TIMEOUT_SECONDS + " s to " + method + " http://127.0.0.1:" + port + uri
          + "; the threads that were busy then:\n" + busyThreads(), e);
      }
      throw e;
    }
  }

  /** Stacks of the server's worker and event-loop threads that are not idle, for a request that got no reply. */
  static String busyThreads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (stack.length == 0 || !(thread.getName().startsWith("vert.x-") || thread.getName().contains("azure")
          || thread.getName().contains("aws") || thread.getName().contains("sdk"))) {
        return;
      }
      String top = stack[0].getClassName() + "." + stack[0].getMethodName();
      if (top.contains("epollWait") || top.contains("Native.epoll") || top.startsWith("jdk.internal.misc.Unsafe.park")
          && java.util.Arrays.stream(stack).limit(8).anyMatch(f -> f.getClassName().contains("ThreadPoolExecutor")
            && f.getMethodName().equals("getTask"))) {
        return; // waiting for work
      }
      out.append("  ").append(thread.getName()).append(" (").append(thread.getState()).append(")\n");
      for (int i = 0; i < Math.min(stack.length, 25); i++) {
        out.append("      at ").append(stack[i]).append('\n');
      }
    });
    return out.length() == 0 ? "  (none: every server thread was idle)" : out.toString();
  }

  Reply get(String uri, String token, Map<String, String> headers) {
    return send(HttpMethod.GET, uri, token, headers, null);
  }

  Reply get(String uri, String token) {
    return get(uri, token, Map.of());
  }

  Reply upload(String kind, String meetingId, String token, String contentType, String name, Buffer body) {
    Map<String, String> h = new java.util.HashMap<>();
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    if (name != null) {
      h.put("X-File-Name", name);
    }
    return send(HttpMethod.POST, "/api/v1/meetings/" + meetingId + "/" + kind, token, h, body);
  }

  Reply json(HttpMethod method, String uri, String token, JsonObject body) {
    return send(method, uri, token, Map.of("Content-Type", "application/json"), body == null ? null : body.toBuffer());
  }

  void close() {
    client.close();
  }

  // --- Content ---

  /** A WebM file as MediaRecorder starts one (EBML header, DocType webm), then {@code payload} random bytes. */
  static Buffer webm(int payload, long seed) {
    Buffer b = Buffer.buffer(new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81,
      0x01, 0x42, (byte) 0xF7, (byte) 0x81, 0x01, 0x42, (byte) 0xF2, (byte) 0x81, 0x04, 0x42, (byte) 0xF3, (byte) 0x81,
      0x08, 0x42, (byte) 0x82, (byte) 0x84});
    b.appendString("webm").appendBytes(new byte[]{0x42, (byte) 0x87, (byte) 0x81, 0x04, 0x18, 0x53, (byte) 0x80, 0x67});
    byte[] rest = new byte[payload];
    new Random(seed).nextBytes(rest);
    return b.appendBytes(rest);
  }

  static Buffer mp4(int payload) {
    Buffer b = Buffer.buffer(new byte[]{0, 0, 0, 0x20}).appendString("ftypisom").appendBytes(new byte[20]);
    byte[] rest = new byte[payload];
    new Random(7).nextBytes(rest);
    return b.appendBytes(rest);
  }

  static Buffer png() {
    return Buffer.buffer(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'})
      .appendBytes(new byte[64]);
  }

  static Buffer pdf() {
    return Buffer.buffer("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  }

  static String sha256(Buffer b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.getBytes()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
