package handlers.media;

import common.Addresses;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import media.JanusConnection;
import media.JanusEvent;
import media.JanusException;
import media.JanusReply;
import media.VideoRoom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One meeting's VideoRoom on one Janus, driven by the media instance that owns it. Every
 * PeerConnection of a participant is a Janus handle of Parley's own session: one publisher per
 * kind (camera, screen) and one multistream subscriber; clients name them by opaque connection
 * ids, and feeds by numeric ids, both checked here against the caller. A passive participant
 * handle (the "monitor") hears the room: feeds becoming active or going, who is talking.
 *
 * <p>Confined to the owning instance's event loop. Operations of one participant run one after
 * the other (a chain per participant), so that a subscription is never updated while its last
 * offer is unanswered.
 */
final class SfuRoom {

  private static final Logger LOG = LoggerFactory.getLogger(SfuRoom.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Set<String> KINDS = Set.of("camera", "screen");

  /** How rooms are made (from the {@code media} settings). */
  record Settings(int publishers, long cameraBitrate, long screenBitrate, int audioLevelAverage, int audioActivePackets,
                  long requestTimeoutMs) {
  }

  /** A publisher connection: one feed. */
  static final class Feed {
    final long id;
    final String connection;
    final String userId;
    final String name;
    final String kind;
    final VideoRoom handle;
    boolean active;
    boolean audio = true;
    boolean video = true;
    boolean simulcast;
    JsonArray streams = new JsonArray();

    Feed(long id, String connection, String userId, String name, String kind, VideoRoom handle) {
      this.id = id;
      this.connection = connection;
      this.userId = userId;
      this.name = name;
      this.kind = kind;
      this.handle = handle;
    }
  }

  /** The subscriber connection of one participant. */
  static final class Subscription {
    final String connection;
    final String userId;
    final VideoRoom handle;
    /** Janus's {@code streams} of the subscription: {mid, type, feed_id, active...}. */
    JsonArray streams = new JsonArray();
    boolean awaitingAnswer;
    Promise<JanusReply> postponed;

    Subscription(String connection, String userId, VideoRoom handle) {
      this.connection = connection;
      this.userId = userId;
      this.handle = handle;
    }
  }

  static final class Member {
    final String userId;
    final Map<String, Feed> feeds = new HashMap<>();
    Subscription subscription;
    boolean audioBlocked;
    boolean videoBlocked;
    Future<?> chain = Future.succeededFuture();

    Member(String userId) {
      this.userId = userId;
    }
  }

  private final EventBus eventBus;
  private final JanusConnection server;
  private final String tenant;
  private final UUID meetingId;
  private final long roomId;
  private final String secret;
  private final Settings settings;
  private final Runnable changed;
  private final VideoRoom admin;
  private final Map<String, Member> members = new HashMap<>();
  private final Map<Long, Feed> feeds = new LinkedHashMap<>();
  private final Map<String, Feed> publisherConnections = new HashMap<>();
  private final Map<String, Subscription> subscriberConnections = new HashMap<>();
  /** Feeds whose audio the tap was told is live. */
  private final Set<Long> tapped = new java.util.HashSet<>();
  private AudioTap tap = AudioTap.NONE;
  private boolean closed;
  /** Where Janus records every publisher while a server recording runs, else null. */
  private String recordingDir;
  private int recordingFiles;
  /** Feeds Janus records into {@link #recordingDir} now. */
  private final Set<Long> recorded = new java.util.HashSet<>();

  private SfuRoom(Vertx vertx, JanusConnection server, String tenant, UUID meetingId, long roomId, String secret,
                  Settings settings, VideoRoom admin, Runnable changed) {
    this.eventBus = vertx.eventBus();
    this.server = server;
    this.tenant = tenant;
    this.meetingId = meetingId;
    this.roomId = roomId;
    this.secret = secret;
    this.settings = settings;
    this.admin = admin;
    this.changed = changed;
  }

  /** A random room id Janus accepts (positive, within JSON's exact integers). */
  static long newRoomId() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 53);
  }

  static String newSecret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Creates the VideoRoom in Janus and joins the monitor; the room is empty of people. */
  static Future<SfuRoom> create(Vertx vertx, JanusConnection server, String tenant, UUID meetingId, long roomId, String secret,
                                Settings settings, Runnable changed) {
    return server.session().compose(VideoRoom::attach).compose(admin -> {
      SfuRoom room = new SfuRoom(vertx, server, tenant, meetingId, roomId, secret, settings, admin, changed);
      VideoRoom.RoomSettings create = new VideoRoom.RoomSettings("parley " + meetingId, secret, server.server().adminKey(),
        settings.publishers(), settings.cameraBitrate(), 10, true, settings.audioActivePackets(), settings.audioLevelAverage(),
        "vp8");
      admin.handle().eventHandler(room::onMonitorEvent);
      return admin.create(roomId, create)
        .compose(v -> admin.joinPublisher(roomId, newFeedId(), "parley-monitor"))
        .map(joined -> room)
        .onFailure(err -> admin.handle().detach());
    });
  }

  private static long newFeedId() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 53);
  }

  private static String newConnectionId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  UUID meetingId() {
    return meetingId;
  }

  String tenant() {
    return tenant;
  }

  long roomId() {
    return roomId;
  }

  JanusConnection server() {
    return server;
  }

  boolean closed() {
    return closed;
  }

  /** Who is told about the room's live audio (server-side captions). */
  void tap(AudioTap tap) {
    this.tap = tap;
  }

  int publishers() {
    return publisherConnections.size();
  }

  int subscribers() {
    return subscriberConnections.size();
  }

  /** Runs {@code op} after the member's earlier operations (each participant's requests in order). */
  private <T> Future<T> serially(String userId, java.util.function.Supplier<Future<T>> op) {
    Member member = members.computeIfAbsent(userId, Member::new);
    Promise<T> result = Promise.promise();
    member.chain = member.chain.transform(ignored -> {
      if (closed) {
        result.fail(ParleyException.unavailable("the meeting's media moved; publish and subscribe again"));
        return Future.succeededFuture();
      }
      Future<T> running;
      try {
        running = op.get();
      } catch (RuntimeException e) {
        running = Future.failedFuture(e);
      }
      running.onComplete(result);
      return running.transform(ar -> Future.succeededFuture());
    });
    return result.future();
  }

  // --- Publishing ---

  Future<JsonObject> publish(Identity caller, String kind, JsonObject offer) {
    return serially(caller.userId(), () -> {
      Member member = members.get(caller.userId());
      Feed earlier = member.feeds.get(kind);
      Future<Void> replaced = earlier == null ? Future.succeededFuture() : dropFeed(earlier, "replaced");
      return replaced.compose(v -> server.session()).compose(VideoRoom::attach).compose(handle -> {
        long feedId = newFeedId();
        Feed feed = new Feed(feedId, newConnectionId(), caller.userId(), caller.name(), kind, handle);
        handle.handle().eventHandler(event -> onPublisherEvent(feed, event));
        JsonObject options = new JsonObject().put("bitrate", "screen".equals(kind) ? settings.screenBitrate() : settings.cameraBitrate())
          .put("descriptions", new JsonArray());
        return handle.joinAndPublish(roomId, feedId, caller.userId(), offer, options)
          .compose(reply -> {
            if (reply.jsep() == null || !"answer".equals(reply.jsep().getString("type"))) {
              return Future.failedFuture(ParleyException.unavailable("the media server gave no answer to the offer"));
            }
            if (closed) {
              handle.handle().detach();
              return Future.failedFuture(ParleyException.unavailable("the meeting's media moved; publish again"));
            }
            member.feeds.put(kind, feed);
            feeds.put(feedId, feed);
            publisherConnections.put(feed.connection, feed);
            changed.run();
            return applyBlocks(member, feed).compose(x -> recordingDir == null ? Future.succeededFuture() : recordFeed(feed))
              .map(x -> new JsonObject().put("connection", feed.connection).put("feedId", feedId).put("jsep", reply.jsep()));
          })
          .onFailure(err -> handle.handle().detach());
      });
    }).recover(SfuRoom::translate);
  }

  /** Stops one of the caller's publishers. */
  Future<JsonObject> unpublish(Identity caller, String connection) {
    return serially(caller.userId(), () -> {
      Feed feed = ownFeed(caller, connection);
      return dropFeed(feed, "unpublished").map(v -> new JsonObject());
    }).recover(SfuRoom::translate);
  }

  /** A publisher's own switches (shown to the others as muted or camera off). */
  Future<JsonObject> configurePublisher(Identity caller, String connection, Boolean audio, Boolean video) {
    return serially(caller.userId(), () -> {
      Feed feed = ownFeed(caller, connection);
      if (audio != null) {
        feed.audio = audio;
      }
      if (video != null) {
        feed.video = video;
      }
      tapAudio(feed, "muted");
      broadcastFeeds();
      Member member = members.get(caller.userId());
      return Future.succeededFuture(new JsonObject().put("audioModerated", member.audioBlocked)
        .put("videoModerated", member.videoBlocked));
    }).recover(SfuRoom::translate);
  }

  private Feed ownFeed(Identity caller, String connection) {
    Feed feed = publisherConnections.get(connection);
    if (feed == null) {
      if (subscriberConnections.containsKey(connection) || feeds.values().stream().anyMatch(f -> f.connection.equals(connection))) {
        throw ParleyException.forbidden("that connection is not one of your publishers");
      }
      throw ParleyException.notFound("no such media connection in this meeting");
    }
    if (!feed.userId.equals(caller.userId())) {
      throw ParleyException.forbidden("that connection is not yours");
    }
    return feed;
  }

  private Future<Void> dropFeed(Feed feed, String reason) {
    Member member = members.get(feed.userId);
    if (member != null && member.feeds.get(feed.kind) == feed) {
      member.feeds.remove(feed.kind);
    }
    boolean wasListed = feed.active;
    feeds.remove(feed.id);
    publisherConnections.remove(feed.connection);
    tapAudio(feed, reason);
    changed.run();
    if (wasListed) {
      broadcastFeeds();
    }
    if (!"unpublished".equals(reason)) {
      publish(new JsonObject().put("type", "closed").put("userId", feed.userId).put("connection", feed.connection)
        .put("reason", reason));
    }
    return feed.handle.handle().detach().otherwiseEmpty();
  }

  private void onPublisherEvent(Feed feed, JanusEvent event) {
    if (closed || !server.up() || feeds.get(feed.id) != feed) {
      return;
    }
    switch (event.type()) {
      case "hangup" -> dropFeed(feed, "hangup");
      case "detached" -> dropFeed(feed, "hangup");
      case "event" -> {
        // every participant hears others leave ({leaving: <id>}); its own leaving says "ok"
        Object leaving = event.data().getValue("leaving");
        boolean own = "ok".equals(leaving) || leaving instanceof Number n && n.longValue() == feed.id;
        if ("event".equals(event.data().getString("videoroom")) && own) {
          dropFeed(feed, "kicked".equals(event.data().getString("reason")) ? "removed" : "left");
        }
      }
      default -> {
        // webrtcup, media, slowlink: the monitor hears when the feed is listed
      }
    }
  }

  // --- The room's own events ---

  private void onMonitorEvent(JanusEvent event) {
    if (closed) {
      return;
    }
    if ("detached".equals(event.type())) {
      return; // the session is gone: the owner resets the room
    }
    if (!event.plugin()) {
      return;
    }
    JsonObject data = event.data();
    String videoroom = data.getString("videoroom", "");
    switch (videoroom) {
      case "talking", "stopped-talking" -> {
        Feed feed = feeds.get(data.getLong("id", -1L));
        if (feed != null) {
          publish(new JsonObject().put("type", "talking").put("userId", feed.userId).put("feedId", feed.id)
            .put("talking", "talking".equals(videoroom)).put("level", data.getValue("audio-level-dBov-avg")));
        }
      }
      case "destroyed" -> LOG.warn("The room of meeting {} was destroyed in Janus", meetingId);
      case "event" -> {
        JsonArray published = data.getJsonArray("publishers");
        boolean change = false;
        if (published != null) {
          for (Object o : published) {
            JsonObject p = (JsonObject) o;
            Feed feed = feeds.get(p.getLong("id", -1L));
            if (feed != null) {
              feed.active = true;
              feed.streams = p.getJsonArray("streams", new JsonArray());
              feed.simulcast = feed.streams.stream().map(JsonObject.class::cast).anyMatch(s -> s.getBoolean("simulcast", false));
              change = true;
              Member member = members.get(feed.userId);
              if (member != null && (member.audioBlocked || member.videoBlocked)) {
                applyBlocks(member, feed);
              }
              tapAudio(feed, "published");
            }
          }
        }
        Long gone = data.getValue("unpublished") instanceof Number n ? Long.valueOf(n.longValue()) : null;
        if (gone == null && data.getValue("leaving") instanceof Number n) {
          gone = n.longValue();
        }
        if (gone != null) {
          Feed feed = feeds.get(gone);
          if (feed != null && feed.active) {
            feed.active = false;
            change = true;
            tapAudio(feed, "unpublished");
          }
        }
        if (change) {
          broadcastFeeds();
        }
      }
      default -> {
        // joined (the monitor's own), and others not used
      }
    }
  }

  /** The published feeds everyone can subscribe to. */
  JsonArray feedList() {
    JsonArray list = new JsonArray();
    for (Feed f : feeds.values()) {
      if (!f.active) {
        continue;
      }
      Member m = members.get(f.userId);
      list.add(new JsonObject().put("feedId", f.id).put("userId", f.userId).put("name", f.name).put("kind", f.kind)
        .put("audio", f.audio).put("video", f.video).put("simulcast", f.simulcast)
        .put("audioModerated", m != null && m.audioBlocked).put("videoModerated", m != null && m.videoBlocked));
    }
    return list;
  }

  private void broadcastFeeds() {
    publish(new JsonObject().put("type", "feeds").put("feeds", feedList()));
  }

  private void publish(JsonObject event) {
    eventBus.publish(Addresses.meetingMedia(meetingId), event);
  }

  // --- Subscribing ---

  /**
   * Makes the caller's subscription receive exactly {@code wanted} (all others' feeds when null);
   * with {@code restart} the earlier subscription (another page's, a failed one) is closed first and
   * a new one made.
   */
  Future<JsonObject> subscribe(Identity caller, List<Long> wanted, boolean restart) {
    List<Long> requested = new ArrayList<>();
    if (wanted == null) {
      feeds.values().stream().filter(f -> f.active && !f.userId.equals(caller.userId())).forEach(f -> requested.add(f.id));
    } else {
      for (Long id : wanted) {
        Feed feed = feeds.get(id);
        if (feed == null || feed.userId.equals(caller.userId())) {
          return Future.failedFuture(ParleyException.notFound("feed " + id + " is not published in this meeting"));
        }
        if (!requested.contains(id)) {
          requested.add(id);
        }
      }
    }
    return serially(caller.userId(), () -> {
      Member member = members.get(caller.userId());
      if (restart && member.subscription != null) {
        return dropSubscription(member.subscription, "replaced").map(member);
      }
      return Future.succeededFuture(member);
    }).compose(m -> serially(caller.userId(), () -> {
      Member member = members.get(caller.userId());
      Subscription sub = member.subscription;
      // only feeds Janus lists as publishing can be subscribed to; the others come with a later feeds event
      List<Long> live = requested.stream().filter(id -> feeds.containsKey(id) && feeds.get(id).active).toList();
      if (sub == null) {
        if (live.isEmpty()) {
          return Future.succeededFuture(new JsonObject().putNull("connection").put("streams", new JsonArray())
            .put("feeds", feedList()));
        }
        return server.session().compose(VideoRoom::attach).compose(handle -> {
          Subscription fresh = new Subscription(newConnectionId(), caller.userId(), handle);
          handle.handle().eventHandler(event -> onSubscriberEvent(fresh, event));
          JsonArray streams = new JsonArray();
          live.forEach(id -> streams.add(new JsonObject().put("feed", id)));
          return handle.joinSubscriber(roomId, streams, false).compose(reply -> {
            if (reply.jsep() == null) {
              return Future.failedFuture(ParleyException.unavailable("the media server made no offer"));
            }
            if (closed) {
              handle.handle().detach();
              return Future.failedFuture(ParleyException.unavailable("the meeting's media moved; subscribe again"));
            }
            fresh.streams = reply.data().getJsonArray("streams", new JsonArray());
            fresh.awaitingAnswer = true;
            member.subscription = fresh;
            subscriberConnections.put(fresh.connection, fresh);
            changed.run();
            return Future.succeededFuture(describe(fresh).put("jsep", reply.jsep()));
          }).onFailure(err -> handle.handle().detach());
        });
      }
      if (sub.awaitingAnswer) {
        return Future.failedFuture(ParleyException.conflict("answer the last offer of this subscription first"));
      }
      Set<Long> current = new java.util.HashSet<>();
      JsonArray unsubscribe = new JsonArray();
      for (Object o : sub.streams) {
        JsonObject s = (JsonObject) o;
        Long feedId = s.getLong("feed_id");
        boolean active = s.getBoolean("active", true);
        if (feedId == null || !active) {
          continue;
        }
        if (live.contains(feedId)) {
          current.add(feedId);
        } else {
          unsubscribe.add(new JsonObject().put("sub_mid", s.getString("mid")));
        }
      }
      JsonArray subscribe = new JsonArray();
      live.stream().filter(id -> !current.contains(id)).forEach(id -> subscribe.add(new JsonObject().put("feed", id)));
      if (subscribe.isEmpty() && unsubscribe.isEmpty()) {
        return Future.succeededFuture(describe(sub));
      }
      return sub.handle.update(subscribe, unsubscribe).compose(reply -> {
        if ("updating".equals(reply.data().getString("videoroom"))) {
          // Janus postponed it behind a negotiation of its own: the offer comes as an event
          sub.postponed = Promise.promise();
          return sub.postponed.future().timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        return Future.succeededFuture(reply);
      }).map(reply -> {
        if (reply.data().getJsonArray("streams") != null) {
          sub.streams = reply.data().getJsonArray("streams");
        }
        JsonObject answer = describe(sub);
        if (reply.jsep() != null) {
          sub.awaitingAnswer = true;
          answer.put("jsep", reply.jsep());
        }
        return answer;
      });
    })).recover(SfuRoom::translate);
  }

  /** The subscription's streams as the client maps them: {mid, type, feedId, userId, kind}; inactive ones left out. */
  private JsonObject describe(Subscription sub) {
    JsonArray streams = new JsonArray();
    for (Object o : sub.streams) {
      JsonObject s = (JsonObject) o;
      Long feedId = s.getLong("feed_id");
      Feed feed = feedId == null ? null : feeds.get(feedId);
      if (feed == null || !s.getBoolean("active", true)) {
        continue;
      }
      streams.add(new JsonObject().put("mid", s.getString("mid")).put("type", s.getString("type")).put("feedId", feedId)
        .put("userId", feed.userId).put("kind", feed.kind));
    }
    return new JsonObject().put("connection", sub.connection).put("streams", streams).put("feeds", feedList());
  }

  Future<JsonObject> answer(Identity caller, String connection, JsonObject answer) {
    return serially(caller.userId(), () -> {
      Subscription sub = ownSubscription(caller, connection);
      if (!sub.awaitingAnswer) {
        return Future.failedFuture(ParleyException.conflict("this subscription has no offer waiting for an answer"));
      }
      return sub.handle.start(answer).map(reply -> {
        sub.awaitingAnswer = false;
        return new JsonObject();
      });
    }).recover(SfuRoom::translate);
  }

  /** Which simulcast layer (0 lowest - 2 highest) the caller's subscription receives of each feed. */
  Future<JsonObject> configureSubscriber(Identity caller, String connection, JsonArray layers) {
    return serially(caller.userId(), () -> {
      Subscription sub = ownSubscription(caller, connection);
      JsonArray streams = new JsonArray();
      for (Object o : layers) {
        JsonObject layer = (JsonObject) o;
        long feedId = layer.getLong("feedId");
        boolean found = false;
        for (Object so : sub.streams) {
          JsonObject s = (JsonObject) so;
          if (Long.valueOf(feedId).equals(s.getLong("feed_id")) && "video".equals(s.getString("type")) && s.getBoolean("active", true)) {
            found = true;
            JsonObject setting = new JsonObject().put("mid", s.getString("mid")).put("substream", layer.getInteger("substream"));
            if (layer.getInteger("temporal") != null) {
              setting.put("temporal", layer.getInteger("temporal"));
            }
            streams.add(setting);
          }
        }
        if (!found) {
          return Future.failedFuture(ParleyException.notFound("feed " + feedId + " is not in this subscription"));
        }
      }
      if (streams.isEmpty()) {
        return Future.succeededFuture(new JsonObject());
      }
      return sub.handle.configureSubscriber(streams).map(r -> new JsonObject());
    }).recover(SfuRoom::translate);
  }

  private Subscription ownSubscription(Identity caller, String connection) {
    Subscription sub = subscriberConnections.get(connection);
    if (sub == null) {
      if (publisherConnections.containsKey(connection)) {
        Feed feed = publisherConnections.get(connection);
        throw feed.userId.equals(caller.userId()) ? ParleyException.badRequest("that connection is a publisher, not your subscription")
          : ParleyException.forbidden("that connection is not yours");
      }
      throw ParleyException.notFound("no such media connection in this meeting");
    }
    if (!sub.userId.equals(caller.userId())) {
      throw ParleyException.forbidden("that connection is not yours");
    }
    return sub;
  }

  private void onSubscriberEvent(Subscription sub, JanusEvent event) {
    if (closed || !server.up() || subscriberConnections.get(sub.connection) != sub) {
      return;
    }
    if (event.plugin() && "updated".equals(event.data().getString("videoroom")) && sub.postponed != null) {
      Promise<JanusReply> waiting = sub.postponed;
      sub.postponed = null;
      waiting.tryComplete(new JanusReply(event.data(), event.jsep()));
      return;
    }
    if ("hangup".equals(event.type()) || "detached".equals(event.type())) {
      dropSubscription(sub, "hangup");
    }
  }

  private Future<Void> dropSubscription(Subscription sub, String reason) {
    subscriberConnections.remove(sub.connection);
    Member member = members.get(sub.userId);
    if (member != null && member.subscription == sub) {
      member.subscription = null;
    }
    changed.run();
    publish(new JsonObject().put("type", "closed").put("userId", sub.userId).put("connection", sub.connection).put("reason", reason));
    return sub.handle.handle().detach().otherwiseEmpty();
  }

  // --- ICE ---

  /** One trickled candidate (or the end of them, {@code candidate} null) for one of the caller's connections. */
  Future<JsonObject> trickle(Identity caller, String connection, JsonObject candidate) {
    VideoRoom handle;
    Feed feed = publisherConnections.get(connection);
    Subscription sub = subscriberConnections.get(connection);
    if (feed != null) {
      if (!feed.userId.equals(caller.userId())) {
        return Future.failedFuture(ParleyException.forbidden("that connection is not yours"));
      }
      handle = feed.handle;
    } else if (sub != null) {
      if (!sub.userId.equals(caller.userId())) {
        return Future.failedFuture(ParleyException.forbidden("that connection is not yours"));
      }
      handle = sub.handle;
    } else {
      return Future.failedFuture(ParleyException.notFound("no such media connection in this meeting"));
    }
    // not serialised: candidates may come while an offer is being answered
    return handle.handle().trickle(candidate).map(v -> new JsonObject()).recover(SfuRoom::translate);
  }

  // --- Moderation and removal ---

  /** A host's mute: stops (or lets again) Janus relay the user's audio and/or video, whatever their page does. */
  Future<Void> block(String userId, Boolean audio, Boolean video) {
    return serially(userId, () -> {
      Member member = members.get(userId);
      if (audio != null) {
        member.audioBlocked = audio;
      }
      if (video != null) {
        member.videoBlocked = video;
      }
      List<Future<?>> all = new ArrayList<>();
      for (Feed feed : member.feeds.values()) {
        all.add(applyBlocks(member, feed));
        tapAudio(feed, "blocked");
      }
      return Future.all(all).<Void>mapEmpty().onSuccess(v -> broadcastFeeds());
    });
  }

  /** Sets Janus's moderation of every stream of {@code feed} to what the member's blocks say. */
  private Future<Void> applyBlocks(Member member, Feed feed) {
    List<Future<?>> all = new ArrayList<>();
    for (Object o : feed.streams) {
      JsonObject s = (JsonObject) o;
      String type = s.getString("type");
      boolean mute = "audio".equals(type) ? member.audioBlocked : "video".equals(type) && member.videoBlocked;
      if ("audio".equals(type) || "video".equals(type)) {
        all.add(admin.moderate(roomId, secret, feed.id, s.getString("mid"), mute));
      }
    }
    return Future.all(all).mapEmpty();
  }

  /** Takes a participant's media away at once: kicks their publishers out of the room and closes their subscription. */
  Future<Void> remove(String userId, String reason) {
    Member member = members.get(userId);
    if (member == null) {
      return Future.succeededFuture();
    }
    return serially(userId, () -> {
      List<Future<?>> all = new ArrayList<>();
      for (Feed feed : new ArrayList<>(member.feeds.values())) {
        all.add(admin.kick(roomId, secret, feed.id).otherwiseEmpty().compose(v -> dropFeed(feed, reason)));
      }
      if (member.subscription != null) {
        all.add(dropSubscription(member.subscription, reason));
      }
      return Future.join(all).<Void>mapEmpty();
    }).onComplete(ar -> {
      Member now = members.get(userId);
      if (now != null && now.feeds.isEmpty() && now.subscription == null) {
        members.remove(userId);
      }
    });
  }

  /** The meeting ended (or the room is being given up): destroys the room in Janus, which closes every PeerConnection. */
  Future<Void> destroy() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    untapAll("ended");
    List<Future<?>> all = new ArrayList<>();
    all.add(admin.destroy(roomId, secret).otherwiseEmpty());
    for (Feed feed : new ArrayList<>(feeds.values())) {
      all.add(feed.handle.handle().detach().otherwiseEmpty());
    }
    for (Subscription sub : new ArrayList<>(subscriberConnections.values())) {
      all.add(sub.handle.handle().detach().otherwiseEmpty());
    }
    feeds.clear();
    publisherConnections.clear();
    subscriberConnections.clear();
    members.clear();
    changed.run();
    return Future.join(all).compose(v -> admin.handle().detach().otherwiseEmpty());
  }

  /** Its Janus (or the session) is gone, and every handle with it: nothing to tear down. */
  void lost() {
    closed = true;
    untapAll("lost");
    feeds.clear();
    publisherConnections.clear();
    subscriberConnections.clear();
    members.clear();
    changed.run();
  }

  // --- Live audio for the tap ---

  /**
   * Tells the tap whether {@code feed}'s audio is live now: published and listed with an Opus
   * stream, switched on by its owner, not blocked by a host, the room open.
   */
  private void tapAudio(Feed feed, String reason) {
    Member member = members.get(feed.userId);
    JsonObject opus = null;
    for (Object o : feed.streams) {
      JsonObject s = (JsonObject) o;
      if ("audio".equals(s.getString("type")) && "opus".equalsIgnoreCase(s.getString("codec", "opus")) && !s.getBoolean("disabled", false)) {
        opus = s;
        break;
      }
    }
    boolean live = !closed && feeds.get(feed.id) == feed && feed.active && feed.audio && opus != null
      && (member == null || !member.audioBlocked);
    if (live && tapped.add(feed.id)) {
      String mid = opus.getString("mid");
      String janusHost = java.net.URI.create(server.server().url()).getHost();
      tap.started(new AudioTap.Audio(tenant, meetingId, feed.id, feed.userId, feed.name, mid, janusHost, new AudioTap.Forwarder() {
        @Override
        public Future<Long> forward(String host, int port, long ssrc, JsonObject srtp) {
          JsonArray streams = new JsonArray().add(new JsonObject().put("mid", mid).put("port", port).put("ssrc", ssrc));
          return admin.rtpForward(roomId, secret, server.server().adminKey(), feed.id, host, streams, srtp).compose(list -> {
            for (Object f : list) {
              if (f instanceof JsonObject fw && fw.getLong("stream_id") != null) {
                return Future.succeededFuture(fw.getLong("stream_id"));
              }
            }
            return Future.failedFuture(ParleyException.unavailable("Janus set up no RTP forwarder"));
          });
        }

        @Override
        public Future<Void> stop(long forwarderId) {
          return closed ? Future.succeededFuture() : admin.stopRtpForward(roomId, secret, server.server().adminKey(), feed.id, forwarderId);
        }
      }));
    } else if (!live && tapped.remove(feed.id)) {
      tap.stopped(meetingId, feed.id, "muted".equals(reason) && member != null && member.audioBlocked ? "blocked" : reason);
    }
  }

  private void untapAll(String reason) {
    for (Long id : new ArrayList<>(tapped)) {
      tap.stopped(meetingId, id, reason);
    }
    tapped.clear();
  }

  // --- Server recording ---

  /**
   * Has Janus record every publisher into {@code dir} from now on, and everyone who publishes
   * later, until {@link #stopRecording()}. Completes with how many feeds are being recorded.
   */
  Future<JsonObject> record(String dir) {
    if (!dir.equals(recordingDir)) {
      recorded.clear();
    }
    recordingDir = dir;
    List<Future<?>> all = new ArrayList<>();
    for (Feed feed : new ArrayList<>(feeds.values())) {
      if (!recorded.contains(feed.id)) { // asked twice (the room opened for a running recording, then told to record): once
        all.add(recordFeed(feed));
      }
    }
    return Future.join(all).transform(ar -> Future.succeededFuture(new JsonObject().put("feeds", feeds.size())));
  }

  /** Stops Janus recording (it closes the files); the files stay where they are for processing. */
  Future<JsonObject> stopRecording() {
    recordingDir = null;
    recorded.clear();
    List<Future<?>> all = new ArrayList<>();
    for (Feed feed : new ArrayList<>(feeds.values())) {
      all.add(feed.handle.record(false, null).otherwiseEmpty());
    }
    return Future.join(all).transform(ar -> Future.succeededFuture(new JsonObject().put("feeds", all.size())));
  }

  /** One feed's files: {@code <dir>/<kind>-<feedId>-<n>-<audio|video>-<mindex>.mjr} (n counts within the room). */
  private Future<Void> recordFeed(Feed feed) {
    String base = recordingDir + "/" + feed.kind + "-" + feed.id + "-" + (++recordingFiles);
    recorded.add(feed.id);
    return feed.handle.record(true, base).<Void>mapEmpty()
      .onFailure(err -> LOG.warn("Janus did not start recording feed {} of meeting {}: {}", feed.id, meetingId, err.getMessage()))
      .otherwiseEmpty();
  }

  /** Janus's errors as the contract's: a connection problem is 503, a feed that is not publishing 409. */
  static <T> Future<T> translate(Throwable err) {
    if (err instanceof ParleyException) {
      return Future.failedFuture(err);
    }
    if (err instanceof JanusException je) {
      if (je.connectionLost()) {
        return Future.failedFuture(ParleyException.unavailable("the media server is not reachable right now; try again shortly"));
      }
      if (je.code() == JanusException.NO_SUCH_FEED) {
        return Future.failedFuture(ParleyException.conflict("that feed is not publishing (any more)"));
      }
      if (je.code() == JanusException.NO_SUCH_ROOM || je.code() == JanusException.NO_SUCH_SESSION
        || je.code() == JanusException.NO_SUCH_HANDLE) {
        return Future.failedFuture(ParleyException.unavailable("the meeting's media moved; publish and subscribe again"));
      }
      if (je.code() == 437 || je.code() == 431 || je.code() == 465) {
        return Future.failedFuture(ParleyException.badRequest("the media server refused the session description: " + je.getMessage()));
      }
      LOG.warn("Janus refused a request: {} ({})", je.getMessage(), je.code());
      return Future.failedFuture(ParleyException.unavailable("the media server refused: " + je.getMessage()));
    }
    if (err instanceof java.util.concurrent.TimeoutException) {
      return Future.failedFuture(ParleyException.unavailable("the media server did not answer in time"));
    }
    return Future.failedFuture(err);
  }

}
