package data.blob;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests and the bench: npm's {@code s3rver} (pinned by
 * {@code tools/package-lock.json}, installed by {@code npm ci --prefix tools} like Azurite), started
 * on a free loopback port with a temporary folder.
 *
 * <p>s3rver stores storage classes but does not act on them, and has no restore. What S3 documents
 * for archived objects is added by a small proxy in front of it, which is the endpoint the store
 * talks to: a GET of a GLACIER or DEEP_ARCHIVE object that is not restored answers 403
 * {@code InvalidObjectState} (so does copying it), {@code POST ?restore} answers 202 and the
 * restore completes after {@link #RESTORE_MILLIS} ({@code 409 RestoreAlreadyInProgress} meanwhile),
 * and HEAD carries {@code x-amz-restore: ongoing-request="true"|"false"}. It checks the SigV4 signature of
 * presigned URLs (s3rver checks only their expiry: an edited link would pass). The proxy also answers
 * {@code AbortMultipartUpload} (s3rver refuses it) and counts multipart uploads started, completed
 * and aborted, so tests can check that none is left open. {@link #GAPS} lists what stays unmodelled.
 */
public final class S3rver implements AutoCloseable {

  /** The s3rver's built-in account (public, not a secret). */
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";
  public static final long RESTORE_MILLIS = 1500;
  public static final String GAPS = "s3rver does not model: storage classes (stored and reported, never acted on:"
      + " the test's proxy adds GLACIER's 403 InvalidObjectState, RestoreObject and x-amz-restore), SigV4 signature"
      + " checks on requests (any request with its access key passes; the proxy checks presigned URLs' signatures),"
      + " AbortMultipartUpload (answered by the proxy), ListObjectsV2 storage classes (always STANDARD),"
      + " If-None-Match on writes, UploadPartCopy";

  private static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "expect",
      "upgrade", "te", "trailer", "proxy-connection");
  private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");

  private static String unavailableReason;
  private static Path binary;

  private final Process process;
  private final Path dir;
  private final Vertx vertx;
  private final HttpServer proxy;
  private final HttpClient upstream;
  private final int s3Port;
  /** Object path to the time its restore completes. */
  private final Map<String, Long> restores = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();

  private S3rver(Process process, Path dir, int s3Port) {
    this.process = process;
    this.dir = dir;
    this.s3Port = s3Port;
    this.vertx = Vertx.vertx();
    this.upstream = vertx.createHttpClient();
    this.proxy = vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(true))
        .requestHandler(this::handle);
    proxy.listen(0, "127.0.0.1").await();
  }

  /** The s3rver executable, or empty with {@link #unavailableReason()} set. */
  public static synchronized Optional<Path> binary() {
    if (binary != null) {
      return Optional.of(binary);
    }
    if (unavailableReason != null) {
      return Optional.empty();
    }
    Optional<Path> found = NodeTool.find("s3rver", "parley.s3rver", "S3RVER");
    if (found.isEmpty()) {
      unavailableReason = "s3rver is not installed: run `npm ci --prefix tools` (s3rver 3.7.1 pinned by"
          + " tools/package-lock.json), or set S3RVER to an s3rver executable";
      return Optional.empty();
    }
    binary = found.get();
    return found;
  }

  public static String unavailableReason() {
    return unavailableReason;
  }

  /** Starts s3rver on a free port with an empty folder, and the proxy in front of it. */
  public static S3rver start() throws IOException, InterruptedException {
    Path bin = binary().orElseThrow(() -> new IllegalStateException(unavailableReason));
    int port = NodeTool.freePort();
    Path dir = Files.createTempDirectory("s3rver");
    Path log = NodeTool.logFile("s3rver", "s3rver-" + port + ".log");
    Process p = new ProcessBuilder(List.of(bin.toString(), "-d", dir.toString(), "-a", "127.0.0.1", "-p",
        String.valueOf(port), "--no-vhost-buckets", "--silent"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    NodeTool.awaitListening(p, port, log, "s3rver");
    return new S3rver(p, dir, port);
  }

  /** The endpoint to configure ({@code blobs.s3.endpoint}): the proxy. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.actualPort();
  }

  public int port() {
    return proxy.actualPort();
  }

  /** A complete {@code blobs} section for this server. */
  public JsonObject blobsConfig(String bucket) {
    return new JsonObject().put("provider", "s3").put("s3", new JsonObject().put("bucket", bucket)
        .put("endpoint", endpoint()).put("pathStyle", true).put("region", "us-east-1")
        .put("accessKeyId", ACCESS_KEY).put("secretAccessKey", SECRET_KEY).put("maxAttempts", 2)
        .put("partSizeBytes", 5 * 1024 * 1024).put("apiCallTimeoutSeconds", 60));
  }

  /** Multipart uploads started and neither completed nor aborted. */
  public Set<String> openUploads() {
    Set<String> open = new java.util.HashSet<>(started);
    open.removeAll(finished);
    return open;
  }

  // ---- the proxy

  private void handle(HttpServerRequest req) {
    req.pause();
    HttpServerResponse res = req.response();
    String path = req.path();
    boolean object = path.indexOf('/', 1) > 0;
    MultiMap q = req.params();
    if (q.contains("X-Amz-Signature") && !presignedSignatureValid(req)) {
      req.resume();
      error(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided");
      return;
    }
    if (req.method() == HttpMethod.DELETE && q.contains("uploadId")) {
      finished.add(q.get("uploadId"));
      req.resume();
      res.setStatusCode(204).end();
      return;
    }
    if (req.method() == HttpMethod.POST && object && q.contains("restore")) {
      restore(req, path);
      return;
    }
    String copySource = req.getHeader("x-amz-copy-source");
    if (req.method() == HttpMethod.PUT && copySource != null && !q.contains("uploadId")) {
      String source = "/" + java.net.URLDecoder.decode(copySource.startsWith("/") ? copySource.substring(1) : copySource,
          java.nio.charset.StandardCharsets.UTF_8);
      head(source).onComplete(ar -> {
        String cls = ar.succeeded() ? ar.result().getHeader("x-amz-storage-class") : null;
        if (cls != null && ARCHIVE_CLASSES.contains(cls) && !restored(source)) {
          req.resume();
          error(res, 403, "InvalidObjectState", "The operation is not valid for the object's storage class");
        } else {
          forward(req, path);
        }
      });
      return;
    }
    forward(req, path);
  }

  /**
   * Checks a presigned (query-string) SigV4 signature as S3 documents it: the canonical request of
   * the method, path, sorted query without the signature, the signed headers and UNSIGNED-PAYLOAD.
   */
  private static boolean presignedSignatureValid(HttpServerRequest req) {
    try {
      Map<String, String> params = new java.util.TreeMap<>();
      for (String pair : req.query().split("&")) {
        int eq = pair.indexOf('=');
        String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        params.put(k, v);
      }
      String signature = params.remove("X-Amz-Signature");
      String[] credential = params.get("X-Amz-Credential").split("/");
      if (!ACCESS_KEY.equals(credential[0])) {
        return false;
      }
      StringBuilder query = new StringBuilder();
      params.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(rfc3986(k)).append('=').append(rfc3986(v)));
      StringBuilder headers = new StringBuilder();
      for (String h : params.get("X-Amz-SignedHeaders").split(";")) {
        headers.append(h).append(':').append(String.valueOf(req.getHeader(h)).trim()).append('\n');
      }
      String canonical = req.method().name() + "\n" + req.path() + "\n" + query + "\n" + headers + "\n"
          + params.get("X-Amz-SignedHeaders") + "\nUNSIGNED-PAYLOAD";
      String scope = String.join("/", java.util.Arrays.copyOfRange(credential, 1, credential.length));
      String toSign = "AWS4-HMAC-SHA256\n" + params.get("X-Amz-Date") + "\n" + scope + "\n"
          + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
              .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      byte[] key = ("AWS4" + SECRET_KEY).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 1; i < credential.length; i++) {
        key = hmac(key, credential[i]);
      }
      return java.util.HexFormat.of().formatHex(hmac(key, toSign)).equals(signature);
    } catch (Exception e) {
      return false;
    }
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String rfc3986(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }

  private void restore(HttpServerRequest req, String path) {
    req.resume();
    head(path).onComplete(ar -> {
      HttpServerResponse res = req.response();
      if (ar.failed() || ar.result().statusCode() == 404) {
        error(res, 404, "NoSuchKey", "The specified key does not exist.");
        return;
      }
      String cls = ar.result().getHeader("x-amz-storage-class");
      if (cls == null || !ARCHIVE_CLASSES.contains(cls)) {
        error(res, 403, "InvalidObjectState", "Restore is not allowed for the object's current storage class");
        return;
      }
      Long due = restores.get(path);
      if (due != null && due > System.currentTimeMillis()) {
        error(res, 409, "RestoreAlreadyInProgress", "Object restore is already in progress");
        return;
      }
      if (due != null) {
        res.setStatusCode(200).end();
        return;
      }
      restores.put(path, System.currentTimeMillis() + RESTORE_MILLIS);
      res.setStatusCode(202).end();
    });
  }

  private boolean restored(String path) {
    Long due = restores.get(path);
    return due != null && due <= System.currentTimeMillis();
  }

  private io.vertx.core.Future<HttpClientResponse> head(String path) {
    return upstream.request(new RequestOptions().setMethod(HttpMethod.HEAD).setHost("127.0.0.1").setPort(s3Port)
        .setURI(path)).compose(r -> r.send()).compose(r -> r.end().map(r));
  }

  private void forward(HttpServerRequest req, String path) {
    HttpServerResponse res = req.response();
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(s3Port)
        .setURI(req.uri());
    req.headers().forEach((k, v) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
        options.addHeader(k, v);
      }
    });
    boolean initiate = req.method() == HttpMethod.POST && req.params().contains("uploads");
    boolean complete = req.method() == HttpMethod.POST && req.params().contains("uploadId");
    boolean write = req.method() == HttpMethod.PUT && !req.params().contains("uploadId")
        || req.method() == HttpMethod.DELETE || complete;
    upstream.request(options).compose(creq -> {
      if (req.headers().get("content-length") == null && req.method() != HttpMethod.GET
          && req.method() != HttpMethod.HEAD) {
        creq.setChunked(true);
      }
      return creq.send(req);
    }).onComplete(ar -> {
      if (ar.failed()) {
        error(res, 502, "BadGateway", String.valueOf(ar.cause()));
        return;
      }
      HttpClientResponse cres = ar.result();
      String cls = cres.getHeader("x-amz-storage-class");
      boolean archived = cls != null && ARCHIVE_CLASSES.contains(cls) && cres.statusCode() < 300;
      if (archived && req.method() == HttpMethod.GET && !restored(path)) {
        cres.end();
        error(res, 403, "InvalidObjectState", "The operation is not valid for the object's storage class");
        return;
      }
      if (write && cres.statusCode() < 300) {
        restores.remove(path); // a new object (or copy) under the key is not restored
      }
      if (complete && cres.statusCode() < 300) {
        finished.add(req.params().get("uploadId"));
      }
      res.setStatusCode(cres.statusCode());
      cres.headers().forEach((k, v) -> {
        if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          res.headers().add(k, v);
        }
      });
      if (archived && (req.method() == HttpMethod.HEAD || req.method() == HttpMethod.GET) && restores.containsKey(path)) {
        res.putHeader("x-amz-restore", restored(path)
            ? "ongoing-request=\"false\", expiry-date=\"" + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
              .format(Instant.now().plus(1, ChronoUnit.DAYS).atZone(java.time.ZoneOffset.UTC)) + "\""
            : "ongoing-request=\"true\"");
      }
      if (initiate && cres.statusCode() < 300) {
        cres.body().onComplete(body -> {
          if (body.succeeded()) {
            Matcher m = UPLOAD_ID.matcher(body.result().toString());
            if (m.find()) {
              started.add(m.group(1));
            }
            res.end(body.result());
          } else {
            res.reset();
          }
        });
        return;
      }
      if (res.headers().get("content-length") == null && req.method() != HttpMethod.HEAD) {
        res.setChunked(true);
      }
      if (req.method() == HttpMethod.HEAD) {
        cres.end();
        res.end();
      } else {
        cres.pipeTo(res);
      }
    });
  }

  private static void error(HttpServerResponse res, int status, String code, String message) {
    res.setStatusCode(status).putHeader("content-type", "application/xml")
        .end(Buffer.buffer("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
            + message + "</Message></Error>"));
  }

  @Override
  public void close() {
    try {
      proxy.close().await();
    } catch (Exception ignored) {
      // closing anyway
    }
    vertx.close();
    NodeTool.stop(process);
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a temporary folder
    }
  }
}
