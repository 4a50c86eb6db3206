package webclient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import support.BrowserSpec;
import support.TestServer;
import verticles.Parley;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Signing in through a real OpenID Connect provider in the browser: Keycloak ({@code
 * org.keycloak:keycloak-quarkus-dist}, unpacked by the test build into {@code target/keycloak})
 * started once for this class with the realm in {@code src/test/resources/keycloak} (users of two
 * organisations, a public client with PKCE S256 and consent, 15 s access tokens), and a server that
 * validates its tokens (dev sign-in off). {@code e2e/signin.spec.mjs} drives Chromium through
 * Keycloak's own pages: sign-in and a meeting, renewals while it goes on, a declined consent, the
 * provider unreachable, another organisation's view, and sign-out ending the provider's session.
 */
@DisplayName("Sign-in through Keycloak in the browser: PKCE, renewal during a meeting, decline, tenants, sign-out")
class OidcSignInBrowserTest {

  /** The clock skew the server allows here: an expired token is refused soon after it expires. */
  private static final int LEEWAY_SECONDS = 2;
  private static final Path REALM = Path.of("src", "test", "resources", "keycloak", "parley-realm.json");

  static Process keycloak;
  static Path keycloakLog;
  static Parley server;
  static String chromium;
  static String issuer;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // Keycloak's first start builds itself (Quarkus augmentation)
  static void start() throws Exception {
    chromium = BrowserSpec.requireBrowser("oidc");
    String home = System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6");
    Path kc = Path.of(home, "bin", "kc.sh");
    Assumptions.assumeTrue(Files.isRegularFile(kc), () -> BrowserSpec.skip("oidc", "Keycloak is not unpacked at " + home
      + " (the build unpacks org.keycloak:keycloak-quarkus-dist from Maven Central when tests run; offline or "
      + "-Dkeycloak.skip=true leaves it out)"));
    kc.toFile().setExecutable(true);
    int parleyPort = TestServer.freePort();
    int keycloakPort = TestServer.freePort();
    Path imports = Path.of(home, "data", "import");
    Files.createDirectories(imports);
    Files.copy(REALM, imports.resolve("parley-realm.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    keycloakLog = Files.createTempFile("keycloak-", ".log");
    // dev-mem: a fresh in-memory database, so the realm is imported on every start with this run's origin.
    ProcessBuilder builder = new ProcessBuilder(kc.toAbsolutePath().toString(), "start-dev", "--import-realm",
      "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + keycloakPort,
      "--http-management-port=" + TestServer.freePort(), "--cache=local")
      .redirectErrorStream(true).redirectOutput(keycloakLog.toFile());
    builder.environment().put("PARLEY_ORIGIN", "http://127.0.0.1:" + parleyPort);
    builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    keycloak = builder.start();
    issuer = "http://127.0.0.1:" + keycloakPort + "/realms/parley";
    long started = System.nanoTime();
    awaitDiscovery(Duration.ofSeconds(330));
    System.out.printf("[oidc] Keycloak ready at %s in %.1f s%n", issuer, (System.nanoTime() - started) / 1e9);
    server = TestServer.start(new JsonObject()
      .put("http", new JsonObject().put("port", parleyPort))
      .put("auth", new JsonObject().put("mode", "oidc").put("issuer", issuer).put("audience", "parley-api")
        .put("clientId", "parley-web").put("tenantClaim", "tid").put("leewaySeconds", LEEWAY_SECONDS)));
  }

  private static void awaitDiscovery(Duration limit) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!keycloak.isAlive()) {
        throw new IllegalStateException("Keycloak exited (" + keycloak.exitValue() + "):\n" + tailOfLog());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      keycloak.waitFor(500, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("Keycloak was not ready within " + limit.toSeconds() + " s:\n" + tailOfLog());
  }

  private static String tailOfLog() {
    try {
      String text = Files.readString(keycloakLog);
      return text.length() <= 4_000 ? text : text.substring(text.length() - 4_000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop().await();
    }
    if (keycloak != null) {
      keycloak.destroy();
      if (!keycloak.waitFor(20, TimeUnit.SECONDS)) {
        keycloak.descendants().forEach(ProcessHandle::destroyForcibly);
        keycloak.destroyForcibly();
      }
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  @DisplayName("Ada signs in on Keycloak's page and meets while her 15 s tokens are renewed; Ben declines; Zoe sees no acme meeting; sign-out ends the session")
  void signInThroughKeycloak() throws Exception {
    BrowserSpec.run("signin.spec.mjs", List.of("http://127.0.0.1:" + server.port(), issuer), Map.of("CHROMIUM", chromium,
      "E2E_LEEWAY", String.valueOf(LEEWAY_SECONDS)), 420);
  }
}
