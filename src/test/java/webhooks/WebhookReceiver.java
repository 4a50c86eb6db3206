package webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import support.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTPS receiver for webhooks on loopback, with a certificate for {@code localhost} made by
 * the JDK's keytool (its PEM is what the server is told to trust, {@code webhooks.caFile}).
 * Paths behave differently: {@code /ok} answers 204, {@code /flaky} 500 twice then 200,
 * {@code /hang} never answers, {@code /redirect} answers 302 to {@code /ok}.
 */
final class WebhookReceiver {

  /** One request as received. */
  record Received(String path, Map<String, String> headers, String body, long atMillis) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  final Path certificatePem;
  final int port;
  private final HttpServer server;
  private final AtomicInteger flaky = new AtomicInteger();
  private final List<HttpServerRequest> hanging = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpServer server, Path certificatePem) {
    this.server = server;
    this.port = server.actualPort();
    this.certificatePem = certificatePem;
  }

  static WebhookReceiver start(Vertx vertx) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("parley-webhook-tls-");
    Path keystore = dir.resolve("receiver.p12");
    Path pem = dir.resolve("receiver.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-keystore", keystore.toString(),
      "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=localhost",
      "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3");
    run(keytool, "-exportcert", "-rfc", "-alias", "receiver", "-keystore", keystore.toString(), "-storepass", "changeit",
      "-file", pem.toString());
    WebhookReceiver[] self = new WebhookReceiver[1];
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit")))
      .requestHandler(req -> self[0].handle(req))
      .listen(TestServer.freePort()).await();
    self[0] = new WebhookReceiver(server, pem);
    return self[0];
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Map<String, String> headers = new ConcurrentHashMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      received.add(new Received(req.path(), headers, body.toString(), System.currentTimeMillis()));
      switch (req.path()) {
        case "/flaky" -> req.response().setStatusCode(flaky.incrementAndGet() <= 2 ? 500 : 200).end();
        case "/hang" -> hanging.add(req);
        case "/redirect" -> req.response().setStatusCode(302).putHeader("Location", "https://localhost:" + port + "/ok").end();
        default -> req.response().setStatusCode(204).end();
      }
    });
  }

  String url(String path) {
    return "https://localhost:" + port + path;
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  void close() {
    server.close().await();
  }
}
