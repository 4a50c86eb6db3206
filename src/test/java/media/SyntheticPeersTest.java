package media;

import bench.media.SyntheticMedia;
import bench.media.SyntheticPeer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two synthetic participants (libwebrtc through webrtc-java, the way {@code bench/media-capacity.sh}
 * drives many) through Parley's signaling into a real, managed Janus: each publishes a synthetic
 * camera and subscribes to the other, and both decode the other's video. Skipped, saying why, when
 * Janus or the natives are missing.
 */
@DisplayName("Synthetic WebRTC peers through Parley and a real Janus")
class SyntheticPeersTest {

  static Parley server;
  static Api api;
  static SyntheticMedia media;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("synthetic-peers");
    String missing = SyntheticMedia.unavailable();
    if (missing != null) {
      System.out.println("[synthetic-peers] SKIPPED: " + missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
    server = Parley.start(TestServer.config(new JsonObject().put("media", TestServer.janusMedia()))).await();
    api = new Api(server.vertx(), server.port());
    media = new SyntheticMedia(new SyntheticMedia.Video(320, 240, 15));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      media.close();
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("two people publishing a synthetic camera each decode the other's video, frames reaching their video tracks' sinks")
  void twoPeersSeeEachOther() {
    String tenant = TestServer.freshTenant("synthetic");
    String ada = api.token("Ada", tenant);
    String ben = api.token("Ben", tenant);
    String meeting = api.createMeeting(ada, "Synthetic");
    SyntheticPeer a = SyntheticPeer.join(server.vertx(), api, server.port(), "ada", ada, meeting, media);
    SyntheticPeer b = SyntheticPeer.join(server.vertx(), api, server.port(), "ben", ben, meeting, media);
    try {
      for (SyntheticPeer p : List.of(a, b)) {
        SyntheticPeer.await(p.publish(), 20);
        SyntheticPeer.await(p.subscribe(), 20);
      }
      Poll.until(Duration.ofSeconds(20), () -> a.sees(List.of(b.userId())) && b.sees(List.of(a.userId())),
        "each decodes the other's video: " + a.describeState() + "; " + b.describeState());
      Poll.until(Duration.ofSeconds(10), () -> a.received().framesDecoded() >= 10 && b.received().framesDecoded() >= 10,
        "ten frames decoded by each: " + a.received() + " / " + b.received());
      for (SyntheticPeer p : List.of(a, b)) {
        SyntheticPeer.Counters got = p.received();
        System.out.println("[synthetic-peers] " + p.name() + " received " + got + ", first frames after " + p.firstFrames());
        assertTrue(got.packetsReceived() > 0, p.name() + " received RTP: " + got);
        assertTrue(got.sinkFrames() > 0, p.name() + "'s video track delivered decoded frames to its sink: " + got);
        assertEquals(1, p.firstFrames().size(), "one other camera seen: " + p.firstFrames());
        assertTrue(p.sent().framesSent() > 0, p.name() + " sent video: " + p.sent());
      }
    } finally {
      a.close();
      b.close();
    }
  }
}
