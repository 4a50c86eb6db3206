package verticles;

import config.Section;
import handlers.captions.CaptionPublishedAudioHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Wires server-side captions of SFU meetings ({@code captions.server}) to a media instance's rooms. */
final class ServerCaptions {

  private ServerCaptions() {
  }

  static CaptionPublishedAudioHandler.Settings settings(io.vertx.core.json.JsonObject config) {
    Section server = Section.of(config, "captions").section("server");
    int suite = server.integer("srtpSuite", 32, 80);
    if (suite != 32 && suite != 80) {
      throw new config.ConfigException("captions.server.srtpSuite must be 80 (AES_CM_128_HMAC_SHA1_80) or 32 (_32), not " + suite);
    }
    return new CaptionPublishedAudioHandler.Settings(server.bool("enabled"), server.string("bindHost"), server.string("forwardHost"),
      server.integer("jitterPackets", 0, 50), server.decimal("silenceDbfs", -96, 0), server.longValue("hangoverMs", 0, 10_000),
      server.longValue("prerollMs", 0, 2_000), server.string("language"), server.longValue("idleMs", 20, 10_000),
      server.longValue("maxBacklogMs", 500, 60_000),
      CaptionPublishedAudioHandler.Srtp.parse(server.choice("srtp", java.util.List.of("auto", "always", "never"))),
      suite);
  }

  static CaptionPublishedAudioHandler tap(Vertx vertx, Services services) {
    return new CaptionPublishedAudioHandler(vertx, services.ai().stt(), services.openTelemetry(), services.registry(),
      settings(services.config()),
      (tenant, meetingId) -> {
        Future<Boolean> tenantOn = services.policies().config(tenant).map(c -> c.getBoolean("serverCaptions", true));
        return services.meetings().get(tenant, meetingId).compose(meeting -> {
          Boolean own = meeting.getBoolean("serverCaptions");
          return own != null ? Future.succeededFuture(own) : tenantOn;
        });
      });
  }
}
