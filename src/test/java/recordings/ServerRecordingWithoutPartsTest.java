package recordings;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a server without the parts says: on the browser mesh a server recording is 409 (it needs the
 * SFU); without ffmpeg the server still starts, readiness names what is missing with the apt line,
 * and start answers 503 with the same words; a Janus that cannot record leaves nothing stored.
 */
@DisplayName("Server recordings without the parts: mesh 409, missing ffmpeg 503 + readiness, no Janus 503; nothing stored")
class ServerRecordingWithoutPartsTest {

  static int listed(Api api, String token, String meetingId) {
    return api.get("/api/v1/meetings/" + meetingId + "/recordings", token).array("items").size();
  }

  @Test
  @DisplayName("on the mesh: 409 with a message saying it needs the SFU; nothing listed")
  void meshIsConflict() {
    Parley server = TestServer.start(new JsonObject().put("media", new JsonObject().put("sfu", "mesh")));
    Api api = new Api(server.vertx(), server.port());
    try {
      String host = api.token("Hal", TestServer.freshTenant("srvrec-mesh"));
      String meetingId = api.createMeeting(host, "Mesh");
      api.join(host, meetingId);
      Api.Response r = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", host, new JsonObject());
      assertEquals(409, r.status(), r.body());
      assertEquals("conflict", r.errorCode());
      assertTrue(r.errorMessage().contains("SFU"), r.errorMessage());
      assertEquals(0, listed(api, host, meetingId));
    } finally {
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("ffmpeg missing: readiness says recordings down with 'apt-get install ffmpeg'; start is 503 saying so; "
    + "with the tools but no reachable Janus: 503 and nothing kept")
  void missingParts() {
    // media.sfu=janus with nothing to manage and no URL: the SFU with no server (no Janus process needed)
    JsonObject noJanus = new JsonObject().put("sfu", "janus").put("janus", new JsonObject().put("manage", false));
    Parley server = TestServer.start(new JsonObject().put("media", noJanus)
      .put("recordings", new JsonObject().put("server", new JsonObject().put("ffmpeg", "/nonexistent/ffmpeg"))));
    Api api = new Api(server.vertx(), server.port());
    try {
      JsonObject check = api.get("/health/ready", null).json().getJsonObject("checks").getJsonObject("recordings");
      assertEquals("down", check.getString("status"), check.encode());
      assertTrue(check.getString("error").contains("apt-get install ffmpeg"), check.encode());
      assertEquals(false, check.getBoolean("required"));
      String host = api.token("Hal", TestServer.freshTenant("srvrec-tools"));
      String meetingId = api.createMeeting(host, "No ffmpeg");
      api.join(host, meetingId);
      Api.Response r = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", host, new JsonObject());
      assertEquals(503, r.status(), r.body());
      assertTrue(r.errorMessage().contains("ffmpeg"), r.errorMessage());
      assertEquals(0, listed(api, host, meetingId));
    } finally {
      api.close();
      server.stop().await();
    }

    server = TestServer.start(new JsonObject().put("media", noJanus));
    api = new Api(server.vertx(), server.port());
    try {
      String host = api.token("Hal", TestServer.freshTenant("srvrec-nojanus"));
      String meetingId = api.createMeeting(host, "No Janus");
      api.join(host, meetingId);
      Api.Response r = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", host, new JsonObject());
      assertEquals(503, r.status(), r.body());
      assertEquals(0, listed(api, host, meetingId), "the row was taken back");
      Api.Response again = api.post("/api/v1/meetings/" + meetingId + "/recordings/start", host, new JsonObject());
      assertEquals(503, again.status(), "not 409: nothing is recording " + again.body());
    } finally {
      api.close();
      server.stop().await();
    }
  }
}
