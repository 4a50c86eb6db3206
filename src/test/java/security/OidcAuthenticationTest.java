package security;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production sign-in against a local OIDC issuer (discovery document + JWKS served by the test),
 * with tokens minted here: the forgeries of the issue list, the registered claims, and key rotation.
 */
@DisplayName("OIDC sign-in: JWKS-verified tokens, forged and stale ones refused, key rotation followed")
class OidcAuthenticationTest {

  static final String AUDIENCE = "parley-api";
  static Vertx issuerVertx;
  static HttpServer issuer;
  static String issuerUrl;
  static KeyPair key1;
  static KeyPair key2;
  static final AtomicReference<JsonArray> published = new AtomicReference<>();
  static Parley server;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    key1 = gen.generateKeyPair();
    key2 = gen.generateKeyPair();
    published.set(new JsonArray().add(jwk(key1, "k1")));
    issuerVertx = Vertx.vertx();
    int port = TestServer.freePort();
    issuerUrl = "http://127.0.0.1:" + port;
    issuer = issuerVertx.createHttpServer().requestHandler(req -> {
      JsonObject body = switch (req.path()) {
        case "/.well-known/openid-configuration" -> new JsonObject()
          .put("issuer", issuerUrl)
          .put("authorization_endpoint", issuerUrl + "/authorize")
          .put("token_endpoint", issuerUrl + "/token")
          .put("jwks_uri", issuerUrl + "/jwks")
          .put("userinfo_endpoint", issuerUrl + "/userinfo")
          .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"));
        case "/jwks" -> new JsonObject().put("keys", published.get());
        default -> null;
      };
      if (body == null) {
        req.response().setStatusCode(404).end();
      } else {
        req.response().putHeader("Content-Type", "application/json").end(body.encode());
      }
    }).listen(port, "127.0.0.1").await();
    server = TestServer.start(new JsonObject().put("auth", new JsonObject()
      .put("mode", "oidc").put("issuer", issuerUrl).put("audience", AUDIENCE)
      .put("tenantClaim", "org").put("rolesClaim", "groups").put("nameClaim", "name").put("leewaySeconds", 30)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
    issuerVertx.close().await();
  }

  static JsonObject claims() {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", issuerUrl).put("aud", AUDIENCE).put("sub", "user-42").put("org", "contoso")
      .put("name", "Grace Hopper").put("groups", new JsonArray().add("admin")).put("iat", now).put("exp", now + 600);
  }

  @Test
  @DisplayName("a valid RS256 token maps its configured claims onto the caller")
  void validToken() {
    Api.Response me = api.get("/api/v1/me", rs256(claims(), key1, "k1"));
    assertEquals(200, me.status(), me.body());
    assertEquals("user-42", me.json().getString("userId"));
    assertEquals("contoso", me.json().getString("tenant"));
    assertEquals("Grace Hopper", me.json().getString("name"));
    assertEquals(new JsonArray().add("admin"), me.json().getJsonArray("roles"));
    assertEquals(404, api.post("/api/v1/auth/dev-token", null, new JsonObject().put("name", "x").put("tenant", "y")).status(),
      "the dev issuer is off in production mode");
  }

  @Test
  @DisplayName("alg:none, HS256 signed with the public key, and a foreign key are refused")
  void forgedTokens() throws Exception {
    String none = b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims().encode()) + ".";
    assertUnauthorized(none);
    String publicPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key1.getPublic().getEncoded())
      + "\n-----END PUBLIC KEY-----\n";
    String hsInput = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "k1").encode()) + "." + b64(claims().encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertUnauthorized(hsInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
      mac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII))));
    KeyPair foreign = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    assertUnauthorized(rs256(claims(), foreign, "k-foreign"));
  }

  @Test
  @DisplayName("wrong issuer, wrong audience, expiry, not-before and a missing tenant are refused; small clock skew is not")
  void registeredClaims() {
    long now = Instant.now().getEpochSecond();
    assertUnauthorized(rs256(claims().put("iss", "https://evil.example"), key1, "k1"));
    assertUnauthorized(rs256(claims().put("aud", "some-other-app"), key1, "k1"));
    assertUnauthorized(rs256(claims().put("exp", now - 300), key1, "k1"), "token expired");
    assertUnauthorized(rs256(claims().put("nbf", now + 3600), key1, "k1"), "token not valid yet: its nbf is");
    assertUnauthorized(rs256(claims().put("iat", now + 3600), key1, "k1"), "token issued in the future");
    JsonObject noTenant = claims();
    noTenant.remove("org");
    assertUnauthorized(rs256(noTenant, key1, "k1"));
    assertEquals(200, api.get("/api/v1/me", rs256(claims().put("exp", now - 5), key1, "k1")).status(),
      "within the leeway");
  }

  @Test
  @DisplayName("after the issuer rotates its key, tokens signed with the new key are accepted")
  void keyRotation() {
    published.set(new JsonArray().add(jwk(key2, "k2")).add(jwk(key1, "k1")));
    Api.Response me = api.get("/api/v1/me", rs256(claims(), key2, "k2"));
    assertEquals(200, me.status(), me.body());
  }

  @Test
  @DisplayName("a bridge socket signing in by frame with a token whose key must first be fetched: the frames behind it wait for that check")
  void bridgeFramesWaitForAnAsyncSignIn() throws Exception {
    String host = rs256(claims(), key1, "k1");
    String meetingId = api.createMeeting(host, "Signed in by frame");
    assertEquals(200, api.join(host, meetingId).status());
    // a key the server has not seen: verifying the token takes a JWKS fetch from the issuer
    KeyPair key3 = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    published.set(new JsonArray().add(jwk(key3, "k3")).add(jwk(key2, "k2")).add(jwk(key1, "k1")));
    String token = rs256(claims(), key3, "k3");
    // the verifier reloads the JWKS at most every 250 ms in all: another test's unknown kid just
    // before this one (forgedTokens, keyRotation) would leave this token refused without a reload
    Thread.sleep(600);
    BridgeClient socket = BridgeClient.connect(server.vertx(), server.port(), null).await();
    try {
      var signIn = socket.request("presence.ping", new JsonObject().put("meetingId", meetingId),
        new JsonObject().put("authorization", "Bearer " + token));
      var behind = socket.request("chat.send", new JsonObject().put("meetingId", meetingId)
        .put("text", "written before the key was fetched").put("clientId", "oidc-behind-1"));
      signIn.await();
      JsonObject sent = behind.await();
      assertTrue(sent.getLong("seq") > 0, sent.encode());
    } finally {
      socket.close().await();
    }
    JsonObject stored = api.get("/api/v1/meetings/" + meetingId + "/chat", host).array("messages").getJsonObject(0);
    assertEquals("user-42", stored.getString("senderId"), stored.encode());
  }

  /** Refused, and the message says what is wrong ({@code nbf} in the future is not "expired"). */
  private static void assertUnauthorized(String token, String messageStart) {
    assertUnauthorized(token);
    String message = api.get("/api/v1/me", token).errorMessage();
    assertTrue(message.startsWith(messageStart), message);
  }

  private static void assertUnauthorized(String token) {
    Api.Response r = api.get("/api/v1/me", token);
    assertEquals(401, r.status(), r.body());
    assertEquals("unauthorized", r.errorCode());
    assertTrue(r.headers().contains("WWW-Authenticate"));
  }

  static String rs256(JsonObject claims, KeyPair key, String kid) {
    try {
      String input = b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid).encode()) + "." + b64(claims.encode());
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key.getPrivate());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject jwk(KeyPair key, String kid) {
    RSAPublicKey pub = (RSAPublicKey) key.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
      .put("n", unsigned(pub.getModulus())).put("e", unsigned(pub.getPublicExponent()));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
