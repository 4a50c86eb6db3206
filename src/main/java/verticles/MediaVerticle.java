package verticles;

import common.Addresses;
import config.Section;
import handlers.MeetingAccess;
import handlers.media.EnforceMuteHandler;
import handlers.media.MediaRooms;
import handlers.media.NegotiateMediaHandler;
import handlers.media.PublishMediaHandler;
import handlers.media.RecordMediaHandler;
import handlers.media.ReportMediaHandler;
import handlers.media.RevokeMediaHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import media.RoomPlacement;

import java.util.ArrayList;
import java.util.List;

/** Media on the SFU: wires the {@code media.*} addresses, mute enforcement and revocations to one instance's rooms. */
public final class MediaVerticle extends VerticleBase {

  /** The {@code media} settings of an instance. */
  static MediaRooms.Settings settings(JsonObject config) {
    Section media = Section.of(config, "media");
    Section janus = media.section("janus");
    return new MediaRooms.Settings(media.integer("maxPublishersPerRoom", 2, 1000), media.longValue("cameraBitrate", 64_000, 20_000_000),
      media.longValue("screenBitrate", 64_000, 20_000_000), media.integer("audioLevelAverage", 0, 127),
      media.integer("audioActivePackets", 5, 1000), media.longValue("requestTimeoutMs", 500, 120_000),
      janus.longValue("keepAliveSeconds", 1, 600) * 1000, janus.longValue("reconnectMs", 50, 60_000),
      media.longValue("loadReportSeconds", 1, 600) * 1000, media.integer("maxSdpBytes", 1024, 1 << 20));
  }

  private final Services services;
  private MediaRooms rooms;

  public MediaVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    MediaRooms.Settings settings = settings(services.config());
    rooms = new MediaRooms(vertx, services.media(), new RoomPlacement(services.redis()), services.metrics(), settings);
    if (services.media().sfu()) {
      rooms.audioTap(ServerCaptions.tap(vertx, services));
      data.ServerRecordingRepository recordings = new data.ServerRecordingRepository(services.db());
      rooms.runningRecording((tenant, meetingId) -> recordings.active(tenant, meetingId)
        .map(found -> found.map(data.ServerRecordingRepository.ServerRecording::sourceDir).orElse(null)));
    }
    MeetingAccess access = new MeetingAccess(services.meetings());
    var tracer = services.openTelemetry().getTracer("parley.media");
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.add(eb.consumer(Addresses.MEDIA_PUBLISH, new PublishMediaHandler(access, rooms, tracer, services.metrics())));
    consumers.add(eb.consumer(Addresses.MEDIA_SUBSCRIBE, new NegotiateMediaHandler(access, rooms, "subscribe")));
    consumers.add(eb.consumer(Addresses.MEDIA_ANSWER, new NegotiateMediaHandler(access, rooms, "answer")));
    consumers.add(eb.consumer(Addresses.MEDIA_TRICKLE, new NegotiateMediaHandler(access, rooms, "trickle")));
    consumers.add(eb.consumer(Addresses.MEDIA_CONFIGURE, new NegotiateMediaHandler(access, rooms, "configure")));
    consumers.add(eb.consumer(Addresses.MEDIA_UNPUBLISH, new NegotiateMediaHandler(access, rooms, "unpublish")));
    consumers.add(eb.consumer(Addresses.MEDIA_REPORT, new ReportMediaHandler(access, rooms, services.metrics())));
    consumers.add(eb.consumer(Addresses.BRIDGE_REVOKE, new RevokeMediaHandler(rooms)));
    consumers.add(eb.consumer(Addresses.MEDIA_RECORD, new RecordMediaHandler(rooms)));
    if (services.media().sfu()) {
      // on the mesh nothing consumes it: there is nothing to enforce
      consumers.add(eb.consumer(Addresses.MEDIA_MUTE, new EnforceMuteHandler(rooms)));
    }
    return rooms.start().compose(v -> Future.all(consumers.stream().map(MessageConsumer::completion).toList()));
  }

  @Override
  public Future<?> stop() {
    return rooms == null ? Future.succeededFuture() : rooms.stop();
  }
}
