package telemetry;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
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
    String tenant = TestServer.freshTenant("metrics");
    String host = api.token("Host", tenant);
    String meetingId = api.createMeeting(host, "Metered");
    api.join(host, meetingId);
    BridgeClient bridge = BridgeClient.connect(server.vertx(), server.port(), host).await();
    for (int i = 0; i < 3; i++) {
      bridge.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "m" + i).put("clientId", "c" + i)).await();
    }
    Thread.sleep(1_500); // one gauge refresh
    String live = api.get("/metrics", null).body();
    assertEquals(3.0, value(live, "parley_chat_messages_total\\{tenant=\"" + tenant + "\"\\}"));
    assertTrue(value(live, "parley_bridge_sockets") >= 1);
    assertTrue(value(live, "parley_users_connected") >= 1);
    assertTrue(value(live, "parley_meetings_active") >= 1);
    assertEquals(1.0, value(live, "parley_tenant_meetings_active\\{tenant=\"" + tenant + "\"\\}"));
    assertEquals(1.0, value(live, "parley_tenant_participants\\{tenant=\"" + tenant + "\"\\}"));
    assertEquals(1.0, value(live, "parley_dependency_up\\{dependency=\"db\"\\}"));
    assertEquals(1.0, value(live, "parley_dependency_up\\{dependency=\"redis\"\\}"));
    assertTrue(live.contains("route=\"/api/v1/meetings/:meetingId/join\""), "HTTP metrics carry route templates");

    bridge.close().await();
    api.post("/api/v1/meetings/" + meetingId + "/end", host, null);
    Thread.sleep(1_500);
    String after = api.get("/metrics", null).body();
    assertTrue(value(after, "parley_tenant_meeting_minutes_total\\{tenant=\"" + tenant + "\"\\}") >= 0);
    assertEquals(0.0, value(after, "parley_tenant_meetings_active\\{tenant=\"" + tenant + "\"\\}"));
    assertFalse(after.contains(meetingId), "no label carries a meeting id");
    assertFalse(after.contains(api.userId(host)), "no label carries a user id");
  }

  private static double value(String exposition, String seriesRegex) {
    Matcher m = Pattern.compile("(?m)^" + seriesRegex + " ([0-9.eE+-]+)$").matcher(exposition);
    assertTrue(m.find(), "series " + seriesRegex + " is exposed");
    return Double.parseDouble(m.group(1));
  }
}
