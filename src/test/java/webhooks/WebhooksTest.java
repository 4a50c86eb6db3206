package webhooks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant webhooks against a real HTTPS receiver on loopback (allowed by {@code webhooks.allowPrivate}
 * for this server only, its certificate trusted through {@code webhooks.caFile}): events delivered
 * signed, retried with backoff, timed out without holding up the meeting, logged; the test button;
 * the target rules at creation and again at delivery; bad input.
 */
@DisplayName("Webhooks: signed deliveries of meeting events, retries with backoff, a delivery log, and targets that stay outside")
class WebhooksTest {

  static Parley server;
  static Api api;
  static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    io.vertx.core.Vertx helper = io.vertx.core.Vertx.vertx();
    receiver = WebhookReceiver.start(helper);
    server = TestServer.start(new JsonObject().put("webhooks", new JsonObject()
      .put("allowPrivate", new JsonArray().add("127.0.0.1/32").add("::1/128"))
      .put("caFile", receiver.certificatePem.toString())
      .put("timeoutMs", 1500).put("retryBaseMs", 500).put("retryMaxMs", 5000).put("maxAttempts", 3)
      .put("pollMs", 200).put("maxPerTenant", 4)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop().await();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  static JsonObject createHook(String admin, String url, String... events) {
    Api.Response r = api.post("/api/v1/webhooks", admin, new JsonObject().put("url", url).put("events", new JsonArray(List.of(events))));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static final String[] ALL = {"meeting.started", "meeting.ended", "participant.joined", "participant.left", "recording.ready",
    "transcript.ready"};

  static String hmac(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  static List<JsonObject> log(String admin, String webhookId) {
    Api.Response r = api.get("/api/v1/webhooks/deliveries?limit=200" + (webhookId == null ? "" : "&webhookId=" + webhookId), admin);
    assertEquals(200, r.status(), r.body());
    return r.array("items").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("a meeting's start, joins, leave and end reach the receiver signed with HMAC-SHA256 over timestamp and body, and are logged as delivered")
  void signedDeliveries() throws Exception {
    String tenant = TestServer.freshTenant("hooks");
    String admin = api.token("Ada Admin", tenant, "admin");
    String guest = api.token("Gil Guest", tenant);
    String path = "/ok-" + UUID.randomUUID();
    JsonObject hook = createHook(admin, receiver.url(path), ALL);
    String secret = hook.getString("secret");
    assertTrue(secret.length() >= 40, "a long random secret, shown once");
    assertTrue(api.get("/api/v1/webhooks", admin).array("items").stream()
      .allMatch(h -> !((JsonObject) h).containsKey("secret")), "never listed again");

    String id = api.createMeeting(admin, "Hooked");
    api.join(admin, id);
    api.join(guest, id);
    api.post("/api/v1/meetings/" + id + "/leave", guest, null);
    api.post("/api/v1/meetings/" + id + "/end", admin, null);
    Poll.until(Duration.ofSeconds(20), () -> receiver.at(path).size() >= 5, "five events at the receiver");
    List<WebhookReceiver.Received> got = receiver.at(path);
    assertEquals(List.of("meeting.started", "participant.joined", "participant.joined", "participant.left", "meeting.ended"),
      got.stream().map(r -> r.json().getString("event")).sorted(java.util.Comparator.comparing(e ->
        List.of("meeting.started", "participant.joined", "participant.left", "meeting.ended").indexOf(e))).toList());
    for (WebhookReceiver.Received r : got) {
      String timestamp = r.headers().get("x-parley-timestamp");
      assertEquals(hmac(secret, timestamp, r.body()), r.headers().get("x-parley-signature"), "signed over timestamp and body");
      assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) < 300);
      assertEquals(r.json().getString("event"), r.headers().get("x-parley-event"));
      assertEquals(r.json().getString("id"), r.headers().get("x-parley-delivery"));
      assertEquals(tenant, r.json().getString("tenant"));
      assertEquals(id, r.json().getJsonObject("data").getString("meetingId"));
    }
    assertTrue(got.stream().anyMatch(r -> "participant.left".equals(r.json().getString("event"))
      && "left".equals(r.json().getJsonObject("data").getString("reason"))));
    Poll.until(() -> log(admin, null).stream().filter(d -> "delivered".equals(d.getString("status"))).count() == 5,
      "the log shows five delivered");
    for (JsonObject d : log(admin, hook.getString("id"))) {
      assertEquals(1, d.getInteger("attempts"));
      assertEquals(204, d.getInteger("lastStatus"));
      assertEquals(hook.getString("id"), d.getString("webhookId"));
    }
  }

  @Test
  @DisplayName("a failing receiver is retried with growing pauses until it answers; the same delivery, signed anew each time")
  void retriesWithBackoff() {
    String tenant = TestServer.freshTenant("retry");
    String admin = api.token("Rae Retry", tenant, "admin");
    JsonObject hook = createHook(admin, receiver.url("/flaky"), "meeting.started");
    String id = api.createMeeting(admin, "Flaky");
    api.join(admin, id);
    Poll.until(Duration.ofSeconds(20), () -> log(admin, hook.getString("id")).stream().anyMatch(d -> "delivered".equals(d.getString("status"))),
      "delivered at last");
    JsonObject entry = log(admin, hook.getString("id")).get(0);
    assertEquals(3, entry.getInteger("attempts"));
    assertEquals(200, entry.getInteger("lastStatus"));
    List<WebhookReceiver.Received> attempts = receiver.at("/flaky");
    assertEquals(3, attempts.size());
    assertEquals(1, attempts.stream().map(r -> r.json().getString("id")).distinct().count(), "one delivery, three attempts");
    long first = attempts.get(1).atMillis() - attempts.get(0).atMillis();
    long second = attempts.get(2).atMillis() - attempts.get(1).atMillis();
    assertTrue(first >= 500, "the first retry waits retryBaseMs: " + first + " ms");
    assertTrue(second >= 1000, "the second twice as long: " + second + " ms");
  }

  @Test
  @DisplayName("a receiver that never answers times out, is given up after maxAttempts, and never holds up the meeting")
  void slowReceiverNeverDelaysTheMeeting() {
    String tenant = TestServer.freshTenant("slow");
    String admin = api.token("Sam Slow", tenant, "admin");
    String guest = api.token("Gail Guest", tenant);
    JsonObject hook = createHook(admin, receiver.url("/hang"), "participant.joined", "participant.left");
    String id = api.createMeeting(admin, "Slow receiver");
    assertEquals(200, api.join(admin, id).status());
    Poll.until(() -> !receiver.at("/hang").isEmpty(), "the receiver holds a delivery open");
    // While it hangs, the meeting goes on: joins and leaves answer as ever.
    for (int i = 0; i < 3; i++) {
      assertEquals(200, api.join(guest, id).status());
      assertEquals(200, api.post("/api/v1/meetings/" + id + "/leave", guest, null).status());
    }
    String firstDelivery = receiver.at("/hang").get(0).json().getString("id");
    Poll.until(Duration.ofSeconds(30), () -> log(admin, hook.getString("id")).stream()
      .anyMatch(d -> firstDelivery.equals(d.getString("id")) && "failed".equals(d.getString("status"))), "given up");
    JsonObject failed = log(admin, hook.getString("id")).stream().filter(d -> firstDelivery.equals(d.getString("id"))).findFirst().orElseThrow();
    assertEquals(3, failed.getInteger("attempts"));
    assertNull(failed.getInteger("lastStatus"));
    assertTrue(failed.getString("lastError").contains("no answer within 1500 ms"), failed.getString("lastError"));
    assertNull(failed.getString("nextAttemptAt"));
  }

  @Test
  @DisplayName("the test button sends a ping that is delivered and logged")
  void testButton() {
    String tenant = TestServer.freshTenant("ping");
    String admin = api.token("Pia Ping", tenant, "admin");
    String path = "/ok-ping-" + UUID.randomUUID();
    JsonObject hook = createHook(admin, receiver.url(path), "meeting.ended");
    Api.Response test = api.post("/api/v1/webhooks/" + hook.getString("id") + "/test", admin, null);
    assertEquals(202, test.status(), test.body());
    String deliveryId = test.json().getString("deliveryId");
    Poll.until(() -> receiver.at(path).stream().anyMatch(r -> deliveryId.equals(r.json().getString("id"))
      && "ping".equals(r.json().getString("event"))), "the ping arrives");
    Poll.until(() -> log(admin, null).stream().anyMatch(d -> deliveryId.equals(d.getString("id")) && "delivered".equals(d.getString("status"))),
      "and is logged as delivered");
  }

  @Test
  @DisplayName("a target stored before the rules refused it is checked again at delivery: nothing is sent; a redirect is not followed")
  void checkedAtDeliveryToo() throws Exception {
    String tenant = TestServer.freshTenant("rebind");
    String admin = api.token("Rob Rebind", tenant, "admin");
    // As if its name had resolved outside when it was created, and now resolves inside.
    UUID hookId = UUID.randomUUID();
    io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
      .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(TestInfra.dbUrl())).using(server.vertx()).build();
    try {
      pool.preparedQuery("INSERT INTO tenants (id) VALUES ($1) ON CONFLICT DO NOTHING").execute(io.vertx.sqlclient.Tuple.of(tenant)).await();
      pool.preparedQuery("INSERT INTO webhooks (id, tenant_id, url, events, secret, created_by) VALUES ($1, $2, $3, $4, 's', 'x')")
        .execute(io.vertx.sqlclient.Tuple.of(hookId, tenant, "https://10.20.30.40/hook", new String[]{"meeting.started"})).await();
    } finally {
      pool.close().await();
    }
    JsonObject redirecting = createHook(admin, receiver.url("/redirect"), "meeting.started");
    int okBefore = receiver.at("/ok").size();
    String id = api.createMeeting(admin, "Rebound");
    api.join(admin, id);
    Poll.until(Duration.ofSeconds(20), () -> log(admin, hookId.toString()).stream().anyMatch(d -> "failed".equals(d.getString("status"))),
      "the private target is given up");
    JsonObject refused = log(admin, hookId.toString()).get(0);
    assertTrue(refused.getString("lastError").contains("10.20.30.40") && refused.getString("lastError").contains("private"),
      refused.getString("lastError"));
    Poll.until(Duration.ofSeconds(20), () -> log(admin, redirecting.getString("id")).stream().anyMatch(d -> "failed".equals(d.getString("status"))),
      "the redirecting target is given up");
    JsonObject redirect = log(admin, redirecting.getString("id")).get(0);
    assertEquals(302, redirect.getInteger("lastStatus"));
    assertEquals(okBefore, receiver.at("/ok").size(), "the redirect was not followed");
  }

  @Test
  @DisplayName("bad input: admins only (403), other tenants 404, http, user info, private and unresolvable hosts, unknown events and too many webhooks refused; nothing stored")
  void badInput() {
    String tenant = TestServer.freshTenant("hookbad");
    String admin = api.token("Abe Admin", tenant, "admin");
    String member = api.token("Mia Member", tenant);
    String other = api.token("Oz Other", TestServer.freshTenant("hookother"), "admin");
    JsonObject hook = createHook(admin, receiver.url("/ok"), "meeting.ended");
    String hookId = hook.getString("id");

    assertEquals(403, api.post("/api/v1/webhooks", member, new JsonObject().put("url", receiver.url("/ok"))
      .put("events", new JsonArray().add("meeting.ended"))).status());
    assertEquals(403, api.get("/api/v1/webhooks", member).status());
    assertEquals(403, api.get("/api/v1/webhooks/deliveries", member).status());
    assertEquals(403, api.post("/api/v1/webhooks/" + hookId + "/test", member, null).status());
    assertEquals(403, api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/webhooks/" + hookId, member, null, null).status());
    assertEquals(404, api.post("/api/v1/webhooks/" + hookId + "/test", other, null).status());
    assertEquals(404, api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/webhooks/" + hookId, other, null, null).status());
    assertEquals(404, api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/webhooks/not-a-uuid", admin, null, null).status());
    assertEquals(0, log(other, null).size());
    assertEquals(404, api.get("/api/v1/webhooks/deliveries?webhookId=nope", admin).status());
    assertEquals(401, api.get("/api/v1/webhooks", null).status());

    Object[][] refused = {
      {"http://localhost:" + receiver.port + "/ok", 400, "https"},
      {"https://user:pw@localhost:" + receiver.port + "/ok", 400, "user"},
      {"https://localhost:" + receiver.port + "/ok#frag", 400, "fragment"},
      {"https://10.0.0.1/hook", 400, "10.0.0.1"},
      {"https://192.168.1.20/hook", 400, "192.168.1.20"},
      {"https://169.254.169.254/latest/meta-data", 400, "169.254.169.254"},
      {"https://100.64.0.1/hook", 400, "100.64.0.1"},
      {"https://[fe80::1]/hook", 400, "fe80"},
      {"https://[fd00::1]/hook", 400, "fd00"},
      {"https://[::ffff:10.0.0.1]/hook", 400, "private"},
      {"https://0.0.0.0/hook", 400, "0.0.0.0"},
      {"https://no-such-host.invalid/hook", 400, "does not resolve"},
      {"not a url", 400, "valid URL"},
      {"https://localhost/" + "x".repeat(2100), 413, "longer"},
    };
    Set<String> before = api.get("/api/v1/webhooks", admin).array("items").stream().map(h -> ((JsonObject) h).getString("id"))
      .collect(Collectors.toSet());
    for (Object[] c : refused) {
      Api.Response r = api.post("/api/v1/webhooks", admin, new JsonObject().put("url", c[0]).put("events", new JsonArray().add("meeting.ended")));
      assertEquals(c[1], r.status(), c[0] + ": " + r.body());
      assertTrue(r.errorMessage().contains((String) c[2]), c[0] + ": " + r.errorMessage());
    }
    for (JsonObject body : List.of(new JsonObject().put("url", receiver.url("/ok")),
      new JsonObject().put("url", receiver.url("/ok")).put("events", new JsonArray()),
      new JsonObject().put("url", receiver.url("/ok")).put("events", new JsonArray().add("meeting.exploded")),
      new JsonObject().put("url", receiver.url("/ok")).put("events", "meeting.ended"),
      new JsonObject().put("events", new JsonArray().add("meeting.ended")))) {
      assertEquals(400, api.post("/api/v1/webhooks", admin, body).status(), body.encode());
    }
    assertEquals(before, api.get("/api/v1/webhooks", admin).array("items").stream().map(h -> ((JsonObject) h).getString("id"))
      .collect(Collectors.toSet()), "nothing was stored");

    for (int i = before.size(); i < 4; i++) {
      createHook(admin, receiver.url("/ok"), "meeting.ended");
    }
    Api.Response tooMany = api.post("/api/v1/webhooks", admin, new JsonObject().put("url", receiver.url("/ok"))
      .put("events", new JsonArray().add("meeting.ended")));
    assertEquals(409, tooMany.status(), tooMany.body());
    assertEquals(4, api.get("/api/v1/webhooks", admin).array("items").size());
    assertEquals(200, api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/webhooks/" + hookId, admin, null, null).status());
    assertFalse(api.get("/api/v1/webhooks", admin).array("items").stream().anyMatch(h -> hookId.equals(((JsonObject) h).getString("id"))));
    assertEquals(404, api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/webhooks/" + hookId, admin, null, null).status());
  }
}
