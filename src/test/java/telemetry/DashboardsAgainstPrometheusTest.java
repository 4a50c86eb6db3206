package telemetry;

import captions.AudioClientAccess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Prometheus (Debian package {@code prometheus}) scrapes a running Parley through a
 * scripted meeting (chat with a redaction, spoken captions, a recording upload, an ended meeting), then every panel
 * query of the three dashboards is evaluated through Prometheus's HTTP API: each must return at
 * least one series.
 */
@DisplayName("Dashboards: every panel's query returns series from a real Prometheus scraping a scripted meeting")
class DashboardsAgainstPrometheusTest {

  @Test
  @DisplayName("every panel query of the three dashboards returns at least one series")
  void everyPanelHasData(@TempDir Path dir) throws Exception {
    Path prometheusBin = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(prometheusBin)) {
      System.out.println("[dashboards] SKIPPED: Prometheus is not installed (apt-get install prometheus; .ci/run does)");
    }
    Assumptions.assumeTrue(Files.isExecutable(prometheusBin), "Prometheus is not installed: apt-get install prometheus");
    JsonObject translation = TestServer.apertiumIfInstalled();
    // the media panels need the SFU: a managed Janus when it is installed (else those panels are skipped, said below)
    String janusMissing = media.JanusProcess.missing(null, null);
    JsonObject overrides = new JsonObject().put("metrics", new JsonObject().put("refreshSeconds", 1))
      .put("ai", new JsonObject().put("translation", translation));
    if (janusMissing == null) {
      overrides.put("media", TestServer.janusMedia());
    }
    Parley server = TestServer.start(overrides);
    Api api = new Api(server.vertx(), server.port());
    int promPort = TestServer.freePort();
    Files.writeString(dir.resolve("prometheus.yml"), """
      global: {scrape_interval: 1s, evaluation_interval: 1s}
      scrape_configs:
        - job_name: parley
          static_configs: [{targets: ['127.0.0.1:%d']}]
      """.formatted(server.port()));
    Process prometheus = new ProcessBuilder(prometheusBin.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
      "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
      .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    WebClient web = WebClient.create(server.vertx());
    try {
      awaitQuery(web, promPort, "up{job=\"parley\"} == 1", 30);
      scriptedMeeting(server, api, janusMissing == null);
      // rate() and increase() need two samples of each series inside their window
      awaitQuery(web, promPort, "count_over_time(parley_chat_messages_total[1m]) >= 4", 30);
      // the last steps of the script (the final caption's translation, the ended meeting) land later
      // on a loaded machine: wait for two samples of their counters too
      awaitQuery(web, promPort, "count_over_time(parley_tenant_meeting_minutes_total[1m]) >= 2", 30);
      awaitQuery(web, promPort, "count_over_time(parley_ai_translated_characters_total[1m]) >= 2", 30);
      List<String> empty = new ArrayList<>();
      int checked = 0;
      for (DashboardQueriesTest.PanelQuery q : DashboardQueriesTest.allQueries(Path.of("grafana"))) {
        if (janusMissing != null && q.expr().matches(".*parley_media_(janus|join).*")) {
          System.out.println("[dashboards] SKIPPED " + q.panel() + ": it needs Janus (" + janusMissing + ")");
          continue;
        }
        JsonObject answer = web.get(promPort, "127.0.0.1", "/api/v1/query").addQueryParam("query", q.expr())
          .send().await().bodyAsJsonObject();
        JsonArray result = answer.getJsonObject("data", new JsonObject()).getJsonArray("result", new JsonArray());
        checked++;
        if (!"success".equals(answer.getString("status")) || result.isEmpty()) {
          empty.add(q.dashboard() + " / " + q.panel() + ": " + q.expr() + " -> " + answer.encode());
        }
      }
      System.out.println("[dashboards] " + checked + " panel queries checked against Prometheus, " + empty.size()
        + " without series");
      assertTrue(checked > 40, "the dashboards were read: " + checked);
      assertTrue(empty.isEmpty(), "panels without data:\n" + String.join("\n", empty));
    } finally {
      prometheus.destroy();
      prometheus.waitFor(5, TimeUnit.SECONDS);
      web.close();
      api.close();
      server.stop().await();
    }
  }

  private static void awaitQuery(WebClient web, int port, String query, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      try {
        JsonObject a = web.get(port, "127.0.0.1", "/api/v1/query").addQueryParam("query", query).send().await().bodyAsJsonObject();
        if (a != null && !a.getJsonObject("data").getJsonArray("result").isEmpty()) {
          return;
        }
      } catch (Exception notYet) {
        // Prometheus is still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus never answered " + query);
  }

  private static void scriptedMeeting(Parley server, Api api, boolean sfu) throws Exception {
    String tenant = TestServer.freshTenant("dash");
    String host = api.token("Host", tenant, "admin");
    String guest = api.token("Guest", tenant);
    api.put("/api/v1/tenant", host, new JsonObject().put("aiBudgetUsd", 25));
    String id = api.createMeeting(host, "Observed");
    api.join(host, id);
    api.join(guest, id);
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), guest).await();
    b.request("chat.send", new JsonObject().put("meetingId", id).put("text", "hi all").put("clientId", "1")).await();
    b.request("chat.send", new JsonObject().put("meetingId", id).put("text", "mail me at g@example.com").put("clientId", "2")).await();
    if (ai.translate.ApertiumProcess.isInstalled(null)) { // without a translator only English is supported
      b.request("captions.language", new JsonObject().put("meetingId", id).put("lang", "es")).await();
    }
    api.get("/api/v1/meetings/nope", host);
    if (sfu) {
      // media: the guest's camera published into Janus (a room, a publisher, a join), then a page's first-frame report
      b.request("media.publish", new JsonObject().put("meetingId", id).put("kind", "camera")
        .put("jsep", new JsonObject().put("type", "offer").put("sdp", media.JanusSupport.publisherOffer()))).await();
    }
    b.request("media.report", new JsonObject().put("meetingId", id).put("firstFrameMs", 1800)).await();
    // An upload: a recording (a WebM header and some bytes) for the storage panels.
    io.vertx.core.buffer.Buffer webm = io.vertx.core.buffer.Buffer.buffer(new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3,
      (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81, 0x01, 0x42, (byte) 0xF7, (byte) 0x81, 0x01, 0x42, (byte) 0xF2,
      (byte) 0x81, 0x04, 0x42, (byte) 0xF3, (byte) 0x81, 0x08, 0x42, (byte) 0x82, (byte) 0x84}).appendString("webm")
      .appendBytes(new byte[4096]);
    Api.Response upload = api.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/meetings/" + id + "/recordings", host, webm,
      "video/webm");
    if (upload.status() != 201) {
      throw new AssertionError("upload failed: " + upload.status() + " " + upload.body());
    }
    AudioClientAccess.speak(server, host, id, "fox.wav");
    // GC-pause series appear only after a collection while the server runs; it shares this JVM.
    System.gc();
    String ended = api.createMeeting(host, "Short");
    api.join(host, ended);
    api.post("/api/v1/meetings/" + ended + "/end", host, null);
    b.close().await();
  }
}
