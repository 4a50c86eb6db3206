package telemetry;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Metrics: /metrics serves the parley_* meters with real values and bounded labels")
class ParleyMetricsTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("metrics", new JsonObject().put("refreshSeconds", 1)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("a scripted meeting moves chat, socket, user, meeting, minutes and dependency meters")
  void scriptedMeeting() throws Exception {
    long started = System.nanoTime();
    String tenant = TestServer.freshTenant("metrics");
    String host = api.token("Host", tenant);
    String meetingId = api.createMeeting(host, "Metered");
    api.join(host, meetingId);
    BridgeClient bridge = BridgeClient.connect(server.vertx(), server.port(), host).await();
    for (int i = 0; i < 3; i++) {
      bridge.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "m" + i).put("clientId", "c" + i)).await();
    }
    String live = metricsOnceRefreshed("parley_tenant_participants\\{tenant=\"" + tenant + "\"\\}", 1.0);
    assertEquals(3.0, value(live, "parley_chat_messages_total\\{tenant=\"" + tenant + "\"\\}"));
    assertTrue(value(live, "parley_bridge_sockets") >= 1);
    assertTrue(value(live, "parley_users_connected") >= 1);
    assertTrue(value(live, "parley_meetings_active") >= 1);
    assertEquals(1.0, value(live, "parley_tenant_meetings_active\\{tenant=\"" + tenant + "\"\\}"));
    assertEquals(1.0, value(live, "parley_tenant_participants\\{tenant=\"" + tenant + "\"\\}"));
    assertEquals(1.0, value(live, "parley_dependency_up\\{dependency=\"db\"\\}"));
    assertEquals(1.0, value(live, "parley_dependency_up\\{dependency=\"redis\"\\}"));
    assertTrue(live.contains("route=\"/api/v1/meetings/:meetingId/join\""), "HTTP metrics carry route templates");
    assertTrue(live.contains("address=\"meeting.{id}.chat\""), "event-bus metrics carry address patterns");

    bridge.close().await();
    api.post("/api/v1/meetings/" + meetingId + "/end", host, null);
    String after = metricsOnceRefreshed("parley_tenant_meetings_active\\{tenant=\"" + tenant + "\"\\}", 0.0);
    double minutes = value(after, "parley_tenant_meeting_minutes_total\\{tenant=\"" + tenant + "\"\\}");
    double elapsedMinutes = (System.nanoTime() - started) / 60e9;
    assertTrue(minutes > 0 && minutes <= elapsedMinutes,
      "the ended meeting's minutes are counted: " + minutes + " (at most the " + elapsedMinutes + " the test has run)");
    assertEquals(0.0, value(after, "parley_tenant_meetings_active\\{tenant=\"" + tenant + "\"\\}"));
    assertFalse(after.contains(meetingId), "no label carries a meeting id");
    assertFalse(after.contains(api.userId(host)), "no label carries a user id");
  }

  /** /metrics once the gauge refresh (every second here) shows {@code expected} for {@code seriesRegex}. */
  private static String metricsOnceRefreshed(String seriesRegex, double expected) {
    String[] body = new String[1];
    Poll.until(() -> {
      body[0] = api.get("/metrics", null).body();
      return Double.valueOf(expected).equals(valueOrNull(body[0], seriesRegex));
    }, seriesRegex + " reads " + expected);
    return body[0];
  }

  private static double value(String exposition, String seriesRegex) {
    Double value = valueOrNull(exposition, seriesRegex);
    assertTrue(value != null, "series " + seriesRegex + " is exposed");
    return value;
  }

  private static Double valueOrNull(String exposition, String seriesRegex) {
    Matcher m = Pattern.compile("(?m)^" + seriesRegex + " ([0-9.eE+-]+)$").matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : null;
  }
}
