package handlers.media;

import common.Addresses;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import media.JanusConnection;
import media.JanusServer;
import media.MediaPlane;
import media.RoomPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;
import telemetry.ParleyMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The rooms of one media verticle instance and the way every request reaches the instance that
 * owns its meeting's room. A meeting's room is placed on the least-loaded reachable Janus and
 * recorded in Redis ({@link RoomPlacement}) with the owning instance's event-bus address; any
 * other instance, on any node, forwards the request there. An owner that no longer answers (its
 * node died: its Janus session, hence every handle, died with it) is replaced by the instance
 * that notices, which places the room again. When a Janus is lost, the rooms on it are placed
 * again on the next request and the pages are told to publish and subscribe again
 * ({@code reset} on {@code meeting.{id}.media}).
 *
 * <p>Confined to the instance's event loop.
 */
public final class MediaRooms implements ParleyMetrics.MediaCounts {

  private static final Logger LOG = LoggerFactory.getLogger(MediaRooms.class);

  /** The {@code media} settings an instance needs. */
  public record Settings(int publishers, long cameraBitrate, long screenBitrate, int audioLevelAverage, int audioActivePackets,
                         long requestTimeoutMs, long keepAliveMs, long reconnectMs, long loadReportMs, int maxSdpBytes) {

    SfuRoom.Settings room() {
      return new SfuRoom.Settings(publishers, cameraBitrate, screenBitrate, audioLevelAverage, audioActivePackets, requestTimeoutMs);
    }
  }

  private final Vertx vertx;
  private final EventBus eventBus;
  private final MediaPlane plane;
  private final RoomPlacement placement;
  private final ParleyMetrics metrics;
  private final Settings settings;
  private final String address = Addresses.mediaOwner(UUID.randomUUID().toString());
  private final Map<String, JanusConnection> connections = new LinkedHashMap<>();
  private final Map<UUID, SfuRoom> rooms = new HashMap<>();
  private final Map<UUID, Future<SfuRoom>> opening = new HashMap<>();
  private final Map<UUID, MessageConsumer<Object>> watchers = new HashMap<>();
  private MessageConsumer<JsonObject> ownerConsumer;
  private long loadTimer = -1;
  private AudioTap audioTap = AudioTap.NONE;
  private java.util.function.BiFunction<String, UUID, Future<String>> runningRecording = (tenant, meetingId) -> Future.succeededFuture();
  /**
   * Folders of recordings this instance was told to stop (the latest thousand): a room whose
   * look-up read the row just before the stop committed does not start recording into it again.
   */
  private final java.util.Set<String> stoppedRecordings = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 1000;
    }
  });

  public MediaRooms(Vertx vertx, MediaPlane plane, RoomPlacement placement, ParleyMetrics metrics, Settings settings) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.plane = plane;
    this.placement = placement;
    this.metrics = metrics;
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** Who hears of every room's live published audio (server-side captions); set before {@link #start()}. */
  public MediaRooms audioTap(AudioTap tap) {
    this.audioTap = tap;
    return this;
  }

  /**
   * Where the meeting's running server recording is written ({@code tenant}, {@code meetingId}:
   * its folder, or null when none runs); set before {@link #start()}. Every room opened (the first
   * time, or placed again after its Janus or its owner was lost) asks, so that a recording that
   * was running goes on in the new room.
   */
  public MediaRooms runningRecording(java.util.function.BiFunction<String, UUID, Future<String>> lookup) {
    this.runningRecording = lookup;
    return this;
  }

  public boolean sfu() {
    return plane.sfu();
  }

  /** Connects to every Janus server and listens for requests forwarded to this instance. */
  public Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    for (JanusServer server : plane.servers()) {
      JanusConnection connection = new JanusConnection(vertx, server, settings.requestTimeoutMs(), settings.keepAliveMs(),
        settings.reconnectMs());
      connection.upHandler(session -> {
        plane.reachable(server.id(), null);
        metrics.janusUp(server.id(), true);
        reportLoad();
      }).downHandler(reason -> serverLost(server.id(), reason));
      connections.put(server.id(), connection);
      metrics.janusUp(server.id(), false);
      started.add(connection.start().onComplete(ar -> {
        if (!connection.up()) {
          plane.reachable(server.id(), connection.problem());
        }
      }));
    }
    metrics.mediaSource(this);
    ownerConsumer = eventBus.consumer(address, this::onForwarded);
    if (!connections.isEmpty()) {
      loadTimer = vertx.setPeriodic(settings.loadReportMs(), t -> reportLoad());
    }
    return Future.join(started).compose(v -> ownerConsumer.completion());
  }

  /**
   * Gives up this instance's rooms (their pages are told to publish again, and land on another
   * instance) and closes the Janus connections.
   */
  public Future<Void> stop() {
    if (loadTimer >= 0) {
      vertx.cancelTimer(loadTimer);
    }
    metrics.mediaSourceGone(this);
    List<Future<?>> all = new ArrayList<>();
    for (SfuRoom room : new ArrayList<>(rooms.values())) {
      all.add(giveUp(room, "the server holding this meeting's media stopped", true));
    }
    return Future.join(all).transform(v -> {
      List<Future<?>> closing = new ArrayList<>();
      connections.values().forEach(c -> closing.add(c.close()));
      if (ownerConsumer != null) {
        closing.add(ownerConsumer.unregister());
      }
      return Future.join(closing).mapEmpty();
    });
  }

  // --- Counts (metrics, load) ---

  @Override
  public int rooms() {
    return rooms.size();
  }

  @Override
  public int publishers() {
    return rooms.values().stream().mapToInt(SfuRoom::publishers).sum();
  }

  @Override
  public int subscribers() {
    return rooms.values().stream().mapToInt(SfuRoom::subscribers).sum();
  }

  private void reportLoad() {
    if (connections.isEmpty()) {
      return;
    }
    Map<String, Long> mine = new HashMap<>();
    connections.keySet().forEach(id -> mine.put(id, 0L));
    for (SfuRoom room : rooms.values()) {
      mine.merge(room.server().server().id(), 1L + room.publishers() + room.subscribers(), Long::sum);
    }
    List<Future<Void>> writes = new ArrayList<>();
    mine.forEach((server, load) -> writes.add(placement.reportLoad(server, address, load)));
    Future.join(writes)
      .compose(v -> placement.loads(new ArrayList<>(connections.keySet())))
      .onSuccess(loads -> loads.forEach(metrics::janusLoad))
      .onFailure(err -> LOG.debug("Could not report media load: {}", err.getMessage()));
  }

  // --- Requests ---

  /**
   * Runs one request ({@code op}: publish, subscribe, answer, trickle, configure, unpublish) for
   * {@code caller} in the meeting's room, wherever it is driven; the request has been checked.
   */
  public Future<JsonObject> execute(Identity caller, UUID meetingId, String op, JsonObject body) {
    // another instance opening the same meeting's room at the same moment wins the placement: go there
    return route(caller, meetingId, op, body).recover(err -> err instanceof PlacedElsewhere
      ? route(caller, meetingId, op, body) : Future.failedFuture(err));
  }

  /** Our room lost the placement to another instance's (then dropped); the request goes to the winner. */
  private static final class PlacedElsewhere extends ParleyException {
    PlacedElsewhere() {
      super(503, ParleyException.codeFor(503), "the meeting's media is being set up elsewhere; try again");
    }
  }

  private Future<JsonObject> route(Identity caller, UUID meetingId, String op, JsonObject body) {
    if (!plane.sfu()) {
      return Future.failedFuture(ParleyException.conflict("meetings on this server use the browser mesh, not the media server"));
    }
    SfuRoom local = rooms.get(meetingId);
    if (local != null && !local.closed()) {
      return run(local, caller, op, body);
    }
    return placement(caller.tenant(), meetingId).compose(found -> {
      // another request may have opened the room while Redis answered
      SfuRoom now = rooms.get(meetingId);
      if (now != null && !now.closed()) {
        return run(now, caller, op, body);
      }
      if (found.isEmpty()) {
        return opens(op) ? open(caller.tenant(), meetingId, null).compose(room -> run(room, caller, op, body)) : noConnection();
      }
      RoomPlacement.Placement p = found.get();
      if (p.owner().equals(address)) {
        // ours, but gone here (its Janus was lost): place it again
        return opens(op) ? open(caller.tenant(), meetingId, p).compose(room -> run(room, caller, op, body)) : noConnection();
      }
      return forward(p.owner(), caller, meetingId, op, body).recover(err -> {
        if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
          LOG.info("The media owner of meeting {} is gone; placing its room again", meetingId);
          return opens(op) ? open(caller.tenant(), meetingId, p).compose(room -> run(room, caller, op, body)) : noConnection();
        }
        if (err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
          return Future.failedFuture(ParleyException.unavailable("the media server did not answer in time; try again"));
        }
        if (err instanceof ReplyException re && re.failureCode() >= 400) {
          return Future.failedFuture(new ParleyException(re.failureCode(), ParleyException.codeFor(re.failureCode()), re.getMessage()));
        }
        return Future.failedFuture(err);
      });
    });
  }

  private static boolean opens(String op) {
    return "publish".equals(op) || "subscribe".equals(op);
  }

  private static <T> Future<T> noConnection() {
    return Future.failedFuture(ParleyException.conflict("you have no media connection in this meeting now: publish or subscribe (again)"));
  }

  private Future<Optional<RoomPlacement.Placement>> placement(String tenant, UUID meetingId) {
    return placement.get(tenant, meetingId)
      .recover(err -> Future.failedFuture(ParleyException.unavailable("media placement unavailable (Redis): " + err.getMessage())));
  }

  private Future<JsonObject> forward(String owner, Identity caller, UUID meetingId, String op, JsonObject body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.requestTimeoutMs() + 2_000)
      .addHeader(Identity.HEADER, caller.toJson().encode());
    return eventBus.<JsonObject>request(owner, body.copy().put("op", op).put("meetingId", meetingId.toString()), options)
      .map(Message::body);
  }

  /** A request another instance forwarded to us, the owner. */
  private void onForwarded(Message<JsonObject> message) {
    JsonObject body = message.body();
    String op = body.getString("op", "");
    UUID meetingId = UUID.fromString(body.getString("meetingId"));
    Future<JsonObject> result;
    if ("mute".equals(op)) {
      result = mute(body.getString("tenant"), meetingId, body.getString("userId"), body.getBoolean("audio"), body.getBoolean("video"));
    } else if ("record".equals(op)) {
      result = record(body.getString("tenant"), meetingId, body.getString("dir"), Boolean.TRUE.equals(body.getBoolean("on")));
    } else {
      Identity caller = Identity.fromJson(new JsonObject(message.headers().get(Identity.HEADER)));
      SfuRoom room = rooms.get(meetingId);
      result = room != null && !room.closed() ? run(room, caller, op, body)
        // The placement names us but we lost the room: the forwarder retries into a new placement.
        : placement(caller.tenant(), meetingId).compose(p -> {
          SfuRoom now = rooms.get(meetingId);
          if (now != null && !now.closed()) {
            return run(now, caller, op, body);
          }
          return p.isPresent() && p.get().owner().equals(address) && opens(op)
            ? open(caller.tenant(), meetingId, p.get()).compose(r -> run(r, caller, op, body))
            : Future.failedFuture(ParleyException.unavailable("the meeting's media moved; try again"));
        });
    }
    result.onSuccess(message::reply).onFailure(err -> {
      if (err instanceof ParleyException pe) {
        message.fail(pe.status(), pe.getMessage());
      } else {
        LOG.warn("Forwarded media request failed", err);
        message.fail(500, "internal error");
      }
    });
  }

  private Future<JsonObject> run(SfuRoom room, Identity caller, String op, JsonObject body) {
    int maxSdp = settings.maxSdpBytes();
    return switch (op) {
      case "publish" -> room.publish(caller, MediaInputs.kind(body), MediaInputs.jsep(body, "offer", maxSdp));
      case "subscribe" -> room.subscribe(caller, MediaInputs.feeds(body), Boolean.TRUE.equals(body.getValue("restart")));
      case "answer" -> room.answer(caller, MediaInputs.connection(body), MediaInputs.jsep(body, "answer", maxSdp));
      case "trickle" -> room.trickle(caller, MediaInputs.connection(body), MediaInputs.candidate(body));
      case "unpublish" -> room.unpublish(caller, MediaInputs.connection(body));
      case "configure" -> {
        JsonArray layers = MediaInputs.layers(body);
        yield layers != null ? room.configureSubscriber(caller, MediaInputs.connection(body), layers)
          : room.configurePublisher(caller, MediaInputs.connection(body), MediaInputs.optionalBoolean(body, "audio"),
            MediaInputs.optionalBoolean(body, "video"));
      }
      default -> Future.failedFuture(ParleyException.badRequest("unknown media operation " + op));
    };
  }

  /**
   * Opens the meeting's room: on the least-loaded Janus this instance reaches, recorded in Redis
   * unless another instance did so first (then our room is dropped and the request goes there).
   * {@code previous} is the placement being replaced, if any.
   */
  private Future<SfuRoom> open(String tenant, UUID meetingId, RoomPlacement.Placement previous) {
    Future<SfuRoom> inFlight = opening.get(meetingId);
    if (inFlight != null) {
      return inFlight;
    }
    SfuRoom held = rooms.get(meetingId);
    if (held != null && !held.closed()) {
      return Future.succeededFuture(held); // opened while this request waited for Redis
    }
    List<String> up = connections.values().stream().filter(JanusConnection::up).map(c -> c.server().id()).toList();
    if (up.isEmpty()) {
      return Future.failedFuture(ParleyException.unavailable(connections.isEmpty()
        ? "no media server is configured" + (plane.reason() == null ? "" : " (" + plane.reason() + ")")
        : "the media server is not reachable right now; try again shortly"));
    }
    Promise<SfuRoom> promise = Promise.promise();
    opening.put(meetingId, promise.future());
    placement.leastLoaded(up).recover(err -> Future.succeededFuture(up.get(0))).compose(serverId -> {
      JanusConnection server = connections.get(serverId);
      long roomId = SfuRoom.newRoomId();
      String secret = SfuRoom.newSecret();
      return SfuRoom.create(vertx, server, tenant, meetingId, roomId, secret, settings.room(), this::roomChanged)
        .compose(room -> placement.claim(tenant, meetingId,
            new RoomPlacement.Placement(serverId, roomId, secret, address, System.currentTimeMillis()),
            previous == null ? null : previous.owner())
          .compose(won -> {
            if (won) {
              adopt(room, previous);
              return resumeRecording(room).map(room);
            }
            room.destroy();
            return Future.failedFuture(new PlacedElsewhere());
          }, err -> {
            room.destroy();
            return Future.failedFuture(ParleyException.unavailable("media placement unavailable (Redis): " + err.getMessage()));
          }));
    }).recover(SfuRoom::translate).onComplete(ar -> {
      opening.remove(meetingId);
      promise.handle(ar);
    });
    return promise.future();
  }

  private void adopt(SfuRoom room, RoomPlacement.Placement previous) {
    UUID meetingId = room.meetingId();
    room.tap(audioTap);
    rooms.put(meetingId, room);
    watch(room);
    LOG.info("Meeting {} has its media room {} on Janus {}", meetingId, room.roomId(), room.server().server().id());
    roomChanged();
    if (previous != null) {
      // The pages still hold connections to the old room: they publish and subscribe again.
      eventBus.publish(Addresses.meetingMedia(meetingId), new JsonObject().put("type", "reset")
        .put("reason", "the meeting's media moved to another media server"));
      JanusConnection old = connections.get(previous.server());
      if (old != null && old.up() && previous.room() != room.roomId()) {
        old.session().compose(media.VideoRoom::attach)
          .compose(h -> h.destroy(previous.room(), previous.secret()).eventually(() -> h.handle().detach()))
          .onFailure(err -> LOG.debug("Old room {} of meeting {} not destroyed: {}", previous.room(), meetingId, err.getMessage()));
      }
    }
  }

  /**
   * A recording that runs for the meeting goes on in its (new) room before anyone publishes into
   * it: the pages re-publish after the {@code reset}, and their feeds are recorded into the same
   * folder as before the room was lost, so the composition holds both parts. A lookup that fails
   * or takes longer than {@code media.requestTimeoutMs} leaves the room unrecorded (logged) rather
   * than the meeting without media.
   */
  private Future<Void> resumeRecording(SfuRoom room) {
    return runningRecording.apply(room.tenant(), room.meetingId())
      .timeout(settings.requestTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS)
      .compose(dir -> {
        if (dir == null || room.closed() || stoppedRecordings.contains(dir)) {
          return Future.<Void>succeededFuture();
        }
        LOG.info("Meeting {} is being recorded: its room {} on Janus {} records into {}", room.meetingId(), room.roomId(),
          room.server().server().id(), dir);
        return room.record(dir).<Void>mapEmpty();
      })
      .recover(err -> {
        LOG.warn("Could not tell whether meeting {} is being recorded; its new room {} is not: {}", room.meetingId(), room.roomId(),
          err.getMessage());
        return Future.succeededFuture();
      });
  }

  /** The room's owner hears the meeting's own events: someone leaving loses their media at once; the end ends the room. */
  private void watch(SfuRoom room) {
    MessageConsumer<Object> consumer = eventBus.consumer(Addresses.meeting(room.meetingId()), message -> {
      if (!(message.body() instanceof JsonObject event)) {
        return;
      }
      switch (event.getString("type", "")) {
        case "left" -> room.remove(event.getString("userId"), event.getString("reason", "left"));
        case "ended" -> end(room.meetingId());
        default -> {
          // joined, hand, status...: nothing for media
        }
      }
    });
    watchers.put(room.meetingId(), consumer);
  }

  private void unwatch(UUID meetingId) {
    MessageConsumer<Object> consumer = watchers.remove(meetingId);
    if (consumer != null) {
      consumer.unregister();
    }
  }

  private void roomChanged() {
    reportLoad();
  }

  /** A Janus connection was lost: every room on it is gone (its handles died with the session). */
  private void serverLost(String serverId, String reason) {
    plane.reachable(serverId, reason);
    metrics.janusUp(serverId, false);
    for (SfuRoom room : new ArrayList<>(rooms.values())) {
      if (room.server().server().id().equals(serverId)) {
        room.lost();
        rooms.remove(room.meetingId());
        unwatch(room.meetingId());
        placement.release(room.tenant(), room.meetingId(), address, room.roomId())
          .onFailure(err -> LOG.warn("Could not release the media placement of meeting {}: {}", room.meetingId(), err.getMessage()));
        eventBus.publish(Addresses.meetingMedia(room.meetingId()), new JsonObject().put("type", "reset")
          .put("reason", "the media server restarted"));
      }
    }
    reportLoad();
  }

  private Future<Void> giveUp(SfuRoom room, String reason, boolean tellPages) {
    rooms.remove(room.meetingId());
    unwatch(room.meetingId());
    return room.destroy()
      .eventually(() -> placement.release(room.tenant(), room.meetingId(), address, room.roomId()))
      .onComplete(ar -> {
        if (tellPages) {
          eventBus.publish(Addresses.meetingMedia(room.meetingId()), new JsonObject().put("type", "reset").put("reason", reason));
        }
        reportLoad();
      });
  }

  /** The meeting ended: its room is destroyed (every PeerConnection with it). */
  void end(UUID meetingId) {
    SfuRoom room = rooms.get(meetingId);
    if (room != null) {
      LOG.info("Meeting {} ended: destroying its media room {}", meetingId, room.roomId());
      giveUp(room, "the meeting ended", false);
    }
  }

  /** {@code parley.bridge.revoke}: the owner (if it is this instance) takes the user's media away, or ends the room. */
  void revoke(UUID meetingId, String userId, String reason) {
    SfuRoom room = rooms.get(meetingId);
    if (room == null) {
      return;
    }
    if ("ended".equals(reason)) {
      end(meetingId);
    } else if (userId != null) {
      room.remove(userId, reason == null ? "removed" : reason);
    }
  }

  /** {@code parley.media.mute}: enforced in Janus by the room's owner (forwarded there when it is another instance). */
  Future<JsonObject> mute(String tenant, UUID meetingId, String userId, Boolean audio, Boolean video) {
    SfuRoom room = rooms.get(meetingId);
    if (room != null && !room.closed()) {
      return room.block(userId, audio, video).map(v -> new JsonObject());
    }
    return placement(tenant, meetingId).compose(found -> {
      if (found.isEmpty() || found.get().owner().equals(address)) {
        return Future.succeededFuture(new JsonObject().put("enforced", false));
      }
      JsonObject body = new JsonObject().put("op", "mute").put("tenant", tenant).put("meetingId", meetingId.toString())
        .put("userId", userId).put("audio", audio).put("video", video);
      return eventBus.<JsonObject>request(found.get().owner(), body, new DeliveryOptions().setSendTimeout(settings.requestTimeoutMs()))
        .map(Message::body)
        .recover(err -> Future.succeededFuture(new JsonObject().put("enforced", false)));
    });
  }

  /**
   * {@code parley.media.record}: the room's owner has Janus record every publisher into {@code dir}
   * ({@code on}) or stop (then {@code dir}, when given, is the stopped recording's folder).
   * Starting opens the room when the meeting has none yet (nobody published), so that whoever
   * publishes later is recorded; stopping a meeting with no room is nothing to do.
   */
  public Future<JsonObject> record(String tenant, UUID meetingId, String dir, boolean on) {
    if (!plane.sfu()) {
      return Future.failedFuture(ParleyException.conflict("meetings on this server use the browser mesh, not the media server"));
    }
    if (!on && dir != null) {
      stoppedRecordings.add(dir);
    }
    SfuRoom room = rooms.get(meetingId);
    if (room != null && !room.closed()) {
      return on ? room.record(dir) : room.stopRecording();
    }
    return placement(tenant, meetingId).compose(found -> {
      SfuRoom now = rooms.get(meetingId);
      if (now != null && !now.closed()) {
        return on ? now.record(dir) : now.stopRecording();
      }
      if (found.isEmpty() || found.get().owner().equals(address)) {
        if (!on) {
          return Future.succeededFuture(new JsonObject().put("feeds", 0));
        }
        return open(tenant, meetingId, found.orElse(null)).compose(opened -> opened.record(dir));
      }
      JsonObject body = new JsonObject().put("op", "record").put("tenant", tenant).put("meetingId", meetingId.toString())
        .put("dir", dir).put("on", on);
      return eventBus.<JsonObject>request(found.get().owner(), body,
          new DeliveryOptions().setSendTimeout(settings.requestTimeoutMs() + 2_000)).map(Message::body)
        .recover(err -> {
          if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS && on) {
            return open(tenant, meetingId, found.get()).compose(opened -> opened.record(dir));
          }
          return Future.failedFuture(err instanceof ReplyException re && re.failureCode() >= 400
            ? new ParleyException(re.failureCode(), ParleyException.codeFor(re.failureCode()), re.getMessage())
            : ParleyException.unavailable("the media server did not answer: " + err.getMessage()));
        });
    });
  }

  /** The event-bus address requests for this instance's rooms are forwarded to. */
  public String address() {
    return address;
  }
}
