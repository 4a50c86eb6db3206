package bench.media;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.Api;
import support.BridgeClient;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synthetic participant of an SFU meeting, speaking only Parley's public contract as the web
 * client does ({@code js/media/sfu.js}): signed in with the dev issuer, joined over REST, then on the
 * bridge {@code media.publish} (a sendonly PeerConnection with a synthetic camera),
 * {@code media.subscribe} / {@code media.answer} (one recvonly PeerConnection for every other feed,
 * renegotiated when {@code meeting.{id}.media} says the feeds changed) and {@code media.trickle}.
 * The media itself is libwebrtc's ({@link SyntheticMedia}): real ICE, DTLS, SRTP, VP8 encoding
 * and decoding, with Janus.
 *
 * <p>Every step of a peer runs on its own thread, in order; libwebrtc's callbacks and the bridge's
 * events only hand work to it. Media stays on this machine, as with the Chromium tests: Janus never
 * gathers on the loopback interface (its ice.c skips it) and advertises its host's own address as
 * 127.0.0.1 ({@code nat_1_1_mapping}), so a peer trickles its IPv4 host candidates (this host's
 * own address) and ICE meets on that address through the kernel's local route; no packet leaves
 * the host.
 */
public final class SyntheticPeer implements AutoCloseable {

  /** What a subscription received (sums over its video streams) or a publisher sent. */
  public record Counters(long packetsReceived, long packetsLost, long framesReceived, long framesDecoded, long framesDropped,
                         long bytesReceived, long framesSent, long bytesSent, long sinkFrames) {

    public Counters minus(Counters o) {
      return new Counters(packetsReceived - o.packetsReceived, packetsLost - o.packetsLost, framesReceived - o.framesReceived,
        framesDecoded - o.framesDecoded, framesDropped - o.framesDropped, bytesReceived - o.bytesReceived,
        framesSent - o.framesSent, bytesSent - o.bytesSent, sinkFrames - o.sinkFrames);
    }

    public Counters plus(Counters o) {
      return new Counters(packetsReceived + o.packetsReceived, packetsLost + o.packetsLost, framesReceived + o.framesReceived,
        framesDecoded + o.framesDecoded, framesDropped + o.framesDropped, bytesReceived + o.bytesReceived,
        framesSent + o.framesSent, bytesSent + o.bytesSent, sinkFrames + o.sinkFrames);
    }

    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "synthetic-peer-timers");
    t.setDaemon(true);
    return t;
  });

  private final String name;
  private final String meetingId;
  private final String userId;
  private final SyntheticMedia media;
  private final BridgeClient bridge;
  private final ExecutorService steps;
  private final long startedNanos;
  private volatile boolean closed;

  // publishing
  private RTCPeerConnection publisher;
  private CustomVideoSource camera;
  private VideoTrack cameraTrack;
  private volatile String publisherConnection;
  private volatile long feedId;
  private final List<JsonObject> pendingPublisherIce = new java.util.ArrayList<>();
  private final List<JsonObject> pendingSubscriberIce = new java.util.ArrayList<>();

  // subscribing
  private RTCPeerConnection subscriber;
  private volatile String subscriberConnection;
  private volatile List<JsonObject> streams = List.of();
  private final Map<String, FrameSink> sinks = new ConcurrentHashMap<>();
  private final AtomicBoolean syncQueued = new AtomicBoolean();
  private boolean firstSubscription = true;
  private Set<Long> othersFeeds = Set.of();
  private final Map<String, Long> firstFrameNanos = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  /** What went wrong, for the caller's failure message (the last few). */
  private final java.util.Deque<String> problems = new java.util.concurrent.ConcurrentLinkedDeque<>();

  private SyntheticPeer(String name, String meetingId, String userId, SyntheticMedia media, BridgeClient bridge, long startedNanos) {
    this.name = name;
    this.meetingId = meetingId;
    this.userId = userId;
    this.media = media;
    this.bridge = bridge;
    this.startedNanos = startedNanos;
    this.steps = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "synthetic-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Joins {@code meetingId} over REST with {@code token} (already signed in) and connects to the
   * bridge, listening to the meeting's media events. Blocking: call it from a thread of your own.
   * The join's start is the moment this is called.
   */
  public static SyntheticPeer join(Vertx vertx, Api api, int port, String name, String token, String meetingId, SyntheticMedia media) {
    long started = System.nanoTime();
    Api.Response joined = api.join(token, meetingId);
    if (joined.status() != 200) {
      throw new IllegalStateException(name + " could not join: " + joined.status() + " " + joined.body());
    }
    String userId = api.userId(token);
    BridgeClient bridge = BridgeClient.connect(vertx, port, token).await();
    SyntheticPeer peer = new SyntheticPeer(name, meetingId, userId, media, bridge, started);
    bridge.register("meeting." + meetingId + ".media", meetingId, peer::onEvent).await();
    return peer;
  }

  public String name() {
    return name;
  }

  public String userId() {
    return userId;
  }

  public long feedId() {
    return feedId;
  }

  // --- publishing ---

  /** Publishes the synthetic camera; completes once Janus's answer is applied. */
  public CompletableFuture<Void> publish() {
    return run(() -> retrying("publish", this::publishNow));
  }

  private void publishNow() throws Exception {
    closePublisher();
    pendingPublisherIce.clear();
    camera = media.camera();
    cameraTrack = media.factory().createVideoTrack("camera-" + name, camera);
    RTCPeerConnection pc = media.factory().createPeerConnection(configuration(), observer(true));
    publisher = pc;
    RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
    init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
    init.streamIds = List.of("camera-" + name);
    pc.addTransceiver(cameraTrack, init);
    RTCSessionDescription offer = describe(pc, true);
    setLocal(pc, offer);
    JsonObject reply = request("media.publish", new JsonObject().put("kind", "camera")
      .put("jsep", new JsonObject().put("type", "offer").put("sdp", offer.sdp)));
    publisherConnection = reply.getString("connection");
    feedId = reply.getLong("feedId");
    setRemote(pc, new RTCSessionDescription(RTCSdpType.ANSWER, reply.getJsonObject("jsep").getString("sdp")));
    flushIce(true);
  }

  // --- subscribing ---

  /** Subscribes to every other feed of the meeting, now and as they change; completes after the first negotiation. */
  public CompletableFuture<Void> subscribe() {
    return run(() -> retrying("subscribe", this::sync));
  }

  private void requestSync() {
    if (closed || !syncQueued.compareAndSet(false, true)) {
      return;
    }
    steps.execute(() -> {
      syncQueued.set(false);
      try {
        retrying("subscribe", this::sync);
      } catch (Exception e) {
        note("subscribe failed (" + e.getMessage() + "); again in 0.5 s");
        TIMERS.schedule(this::requestSync, 500, TimeUnit.MILLISECONDS);
      }
    });
  }

  private void sync() throws Exception {
    boolean restart = firstSubscription || subscriber == null;
    JsonObject reply;
    try {
      reply = request("media.subscribe", restart ? new JsonObject().put("restart", true) : new JsonObject());
    } catch (BridgeClient.BridgeError e) {
      // the server still waits for our answer to its last offer: say it again, then ask again
      RTCSessionDescription answer = subscriber == null ? null : subscriber.getLocalDescription();
      if (e.code != 409 || answer == null || answer.sdpType != RTCSdpType.ANSWER) {
        throw e;
      }
      request("media.answer", new JsonObject().put("connection", subscriberConnection)
        .put("jsep", new JsonObject().put("type", "answer").put("sdp", answer.sdp)));
      reply = request("media.subscribe", new JsonObject());
    }
    firstSubscription = false;
    noteFeeds(reply.getJsonArray("feeds"));
    String connection = reply.getString("connection");
    if (connection == null) {
      closeSubscriber();
      return;
    }
    if (subscriber == null || !connection.equals(subscriberConnection)) {
      closeSubscriber();
      pendingSubscriberIce.clear();
      subscriber = media.factory().createPeerConnection(configuration(), observer(false));
      subscriberConnection = connection;
    }
    streams = reply.getJsonArray("streams", new JsonArray()).stream().map(JsonObject.class::cast).toList();
    JsonObject jsep = reply.getJsonObject("jsep");
    if (jsep != null) {
      RTCPeerConnection pc = subscriber;
      setRemote(pc, new RTCSessionDescription(RTCSdpType.OFFER, jsep.getString("sdp")));
      RTCSessionDescription answer = describe(pc, false);
      setLocal(pc, answer);
      request("media.answer", new JsonObject().put("connection", connection)
        .put("jsep", new JsonObject().put("type", "answer").put("sdp", answer.sdp)));
    }
    mapStreams();
  }

  /** Puts a frame counter on every received video track, named by the feed its m-line carries. */
  private void mapStreams() {
    if (subscriber == null) {
      return;
    }
    Map<String, JsonObject> byMid = new java.util.HashMap<>();
    for (JsonObject s : streams) {
      byMid.put(s.getString("mid"), s);
    }
    for (RTCRtpTransceiver t : subscriber.getTransceivers()) {
      String mid = t.getMid();
      JsonObject stream = mid == null ? null : byMid.get(mid);
      if (stream == null || !"video".equals(stream.getString("type"))) {
        continue;
      }
      MediaStreamTrack track = t.getReceiver().getTrack();
      if (!(track instanceof VideoTrack video)) {
        continue;
      }
      FrameSink sink = sinks.computeIfAbsent(mid + "/" + track.getId(), k -> {
        FrameSink s = new FrameSink();
        video.addSink(s);
        return s;
      });
      sink.userId = stream.getString("userId");
    }
  }

  private void noteFeeds(JsonArray feeds) {
    if (feeds == null) {
      return;
    }
    Set<Long> others = new HashSet<>();
    for (Object o : feeds) {
      JsonObject feed = (JsonObject) o;
      if (!userId.equals(feed.getString("userId"))) {
        others.add(feed.getLong("feedId"));
      }
    }
    othersFeeds = others;
  }

  private void onEvent(JsonObject event) {
    if (closed) {
      return;
    }
    switch (event.getString("type", "")) {
      case "feeds" -> {
        Set<Long> others = new HashSet<>();
        for (Object o : event.getJsonArray("feeds", new JsonArray())) {
          JsonObject feed = (JsonObject) o;
          if (!userId.equals(feed.getString("userId"))) {
            others.add(feed.getLong("feedId"));
          }
        }
        if (!others.equals(othersFeeds)) {
          requestSync();
        }
      }
      case "closed" -> {
        if (userId.equals(event.getString("userId")) && event.getString("connection", "").equals(subscriberConnection)) {
          note("subscription closed by the server: " + event.getString("reason"));
          steps.execute(() -> {
            closeSubscriber();
            firstSubscription = true;
          });
          requestSync();
        }
      }
      case "reset" -> {
        note("reset: " + event.getString("reason"));
        steps.execute(() -> {
          closeSubscriber();
          firstSubscription = true;
        });
        if (publisherConnection != null) {
          publish();
        }
        requestSync();
      }
      default -> {
      }
    }
  }

  // --- what the peer measured ---

  /** Nanoseconds from the start of {@link #join} to the first decoded frame of each other person's camera. */
  public Map<String, Long> firstFrames() {
    Map<String, Long> out = new java.util.HashMap<>();
    firstFrameNanos.forEach((user, at) -> out.put(user, at - startedNanos));
    return out;
  }

  /** True once a frame of every one of {@code userIds} (other than this peer) has been decoded. */
  public boolean sees(java.util.Collection<String> userIds) {
    return userIds.stream().filter(u -> !u.equals(userId)).allMatch(firstFrameNanos::containsKey);
  }

  /** The subscription's video counters (getStats' inbound-rtp, summed over streams) and the frames its sinks got. */
  public Counters received() {
    RTCPeerConnection pc = subscriber;
    long sinkFrames = sinks.values().stream().mapToLong(s -> s.frames.get()).sum();
    if (pc == null) {
      return Counters.ZERO.plus(new Counters(0, 0, 0, 0, 0, 0, 0, 0, sinkFrames));
    }
    long recv = 0, lost = 0, fr = 0, fd = 0, drop = 0, bytes = 0;
    for (RTCStats s : stats(pc).getStats().values()) {
      if (s.getType() == RTCStatsType.INBOUND_RTP && "video".equals(String.valueOf(s.getAttributes().get("kind")))) {
        Map<String, Object> a = s.getAttributes();
        recv += number(a, "packetsReceived");
        lost += number(a, "packetsLost");
        fr += number(a, "framesReceived");
        fd += number(a, "framesDecoded");
        drop += number(a, "framesDropped");
        bytes += number(a, "bytesReceived");
      }
    }
    return new Counters(recv, lost, fr, fd, drop, bytes, 0, 0, sinkFrames);
  }

  /** The publisher's video counters (getStats' outbound-rtp). */
  public Counters sent() {
    RTCPeerConnection pc = publisher;
    if (pc == null) {
      return Counters.ZERO;
    }
    long frames = 0, bytes = 0;
    for (RTCStats s : stats(pc).getStats().values()) {
      if (s.getType() == RTCStatsType.OUTBOUND_RTP && "video".equals(String.valueOf(s.getAttributes().get("kind")))) {
        frames += number(s.getAttributes(), "framesSent");
        bytes += number(s.getAttributes(), "bytesSent");
      }
    }
    return new Counters(0, 0, 0, 0, 0, 0, frames, bytes, 0);
  }

  /** How many of this peer's PeerConnections failed (and were made again). */
  public long failures() {
    return failures.get();
  }

  /** The raw getStats report of the subscription (or the publisher), for a failure message. */
  public String describeState() {
    return name + ": publisher " + (publisher == null ? "none" : publisher.getConnectionState())
      + ", subscriber " + (subscriber == null ? "none" : subscriber.getConnectionState() + " with " + streams.size() + " streams")
      + ", frames " + sinks.values().stream().mapToLong(s -> s.frames.get()).sum() + ", problems " + problems;
  }

  private static long number(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static RTCStatsReport stats(RTCPeerConnection pc) {
    CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
    pc.getStats(report::complete);
    try {
      return report.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("getStats did not answer: " + e, e);
    }
  }

  private final class FrameSink implements VideoTrackSink {
    final AtomicLong frames = new AtomicLong();
    volatile String userId;

    @Override
    public void onVideoFrame(dev.onvoid.webrtc.media.video.VideoFrame frame) {
      // webrtc-java 0.14 hands the sink its own copy with one reference: released here
      frame.release();
      frames.incrementAndGet();
      String user = userId;
      if (user != null && !firstFrameNanos.containsKey(user)) {
        firstFrameNanos.putIfAbsent(user, System.nanoTime());
      }
    }
  }

  // --- plumbing ---

  private RTCConfiguration configuration() {
    RTCConfiguration config = new RTCConfiguration();
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    config.portAllocatorConfig = new PortAllocatorConfig(0, 0, PortAllocatorConfig.PORTALLOCATOR_DISABLE_TCP);
    return config;
  }

  private PeerConnectionObserver observer(boolean publishing) {
    return new PeerConnectionObserver() {
      @Override
      public void onIceCandidate(RTCIceCandidate candidate) {
        // IPv4 host candidates only: this host's own address (see the class comment)
        if (candidate.sdp == null || !candidate.sdp.contains(" typ host") || !candidate.sdp.matches("candidate:\\S+ \\d+ udp \\d+ \\d+\\.\\d+\\.\\d+\\.\\d+ .*")) {
          return;
        }
        steps.execute(() -> trickle(publishing, new JsonObject().put("candidate", new JsonObject().put("candidate", candidate.sdp)
          .put("sdpMid", candidate.sdpMid).put("sdpMLineIndex", candidate.sdpMLineIndex))));
      }

      @Override
      public void onIceGatheringChange(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE) {
          steps.execute(() -> trickle(publishing, new JsonObject().put("completed", true)));
        }
      }

      @Override
      public void onConnectionChange(RTCPeerConnectionState state) {
        if (state != RTCPeerConnectionState.FAILED || closed) {
          return;
        }
        // as the web client does: a failed connection is made again
        note((publishing ? "publisher" : "subscriber") + " connection failed; made again");
        failures.incrementAndGet();
        if (publishing) {
          publish();
        } else {
          steps.execute(() -> {
            closeSubscriber();
            firstSubscription = true;
          });
          requestSync();
        }
      }
    };
  }

  /** Sends one candidate (or the end of them) of a connection, held until its connection id is known. */
  private void trickle(boolean publishing, JsonObject item) {
    String connection = publishing ? publisherConnection : subscriberConnection;
    if (closed) {
      return;
    }
    if (connection == null) {
      (publishing ? pendingPublisherIce : pendingSubscriberIce).add(item);
      return;
    }
    bridge.request("media.trickle", item.copy().put("meetingId", meetingId).put("connection", connection))
      .onFailure(e -> note("trickle refused: " + e.getMessage()));
  }

  private void flushIce(boolean publishing) {
    List<JsonObject> pending = publishing ? pendingPublisherIce : pendingSubscriberIce;
    List<JsonObject> items = new java.util.ArrayList<>(pending);
    pending.clear();
    items.forEach(item -> trickle(publishing, item));
  }

  private JsonObject request(String address, JsonObject body) {
    if (closed) {
      throw new IllegalStateException(name + " has left");
    }
    return bridge.request(address, body.put("meetingId", meetingId)).await();
  }

  /** Runs {@code step} again while the media server is unavailable (503/504), with backoff. */
  private void retrying(String what, Step step) throws Exception {
    long delay = 300;
    for (int attempt = 0; ; attempt++) {
      try {
        step.run();
        return;
      } catch (BridgeClient.BridgeError e) {
        if ((e.code != 503 && e.code != 504) || closed || attempt > 20) {
          throw e;
        }
        note(what + " retry: " + e.getMessage());
        Thread.sleep(delay);
        delay = Math.min(5000, delay * 2);
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private CompletableFuture<Void> run(Step step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    steps.execute(() -> {
      try {
        step.run();
        done.complete(null);
      } catch (Throwable e) {
        note(e.toString());
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  private void note(String problem) {
    problems.addLast(problem);
    while (problems.size() > 5) {
      problems.pollFirst();
    }
  }

  private static RTCSessionDescription describe(RTCPeerConnection pc, boolean offer) throws Exception {
    CompletableFuture<RTCSessionDescription> description = new CompletableFuture<>();
    CreateSessionDescriptionObserver observer = new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription d) {
        description.complete(d);
      }

      @Override
      public void onFailure(String error) {
        description.completeExceptionally(new IllegalStateException((offer ? "createOffer: " : "createAnswer: ") + error));
      }
    };
    if (offer) {
      pc.createOffer(new RTCOfferOptions(), observer);
    } else {
      pc.createAnswer(new RTCAnswerOptions(), observer);
    }
    return description.get(10, TimeUnit.SECONDS);
  }

  private static void setLocal(RTCPeerConnection pc, RTCSessionDescription d) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    pc.setLocalDescription(d, observer(done, "setLocalDescription"));
    done.get(10, TimeUnit.SECONDS);
  }

  private static void setRemote(RTCPeerConnection pc, RTCSessionDescription d) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    pc.setRemoteDescription(d, observer(done, "setRemoteDescription"));
    done.get(10, TimeUnit.SECONDS);
  }

  private static SetSessionDescriptionObserver observer(CompletableFuture<Void> done, String what) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        done.complete(null);
      }

      @Override
      public void onFailure(String error) {
        done.completeExceptionally(new IllegalStateException(what + ": " + error));
      }
    };
  }

  private void closePublisher() {
    if (publisher != null) {
      publisher.close();
      publisher = null;
    }
    if (camera != null) {
      media.stop(camera);
    }
    // libwebrtc may still hold a reference to the track or source after close(): it frees them itself
    VideoTrack track = cameraTrack;
    CustomVideoSource source = camera;
    quietly(() -> track.dispose(), track);
    quietly(() -> source.dispose(), source);
    cameraTrack = null;
    camera = null;
    publisherConnection = null;
  }

  private static void quietly(Runnable dispose, Object what) {
    if (what == null) {
      return;
    }
    try {
      dispose.run();
    } catch (Throwable e) {
      // "Native object was not deleted. A reference is still around somewhere."
    }
  }

  private void closeSubscriber() {
    if (subscriber != null) {
      subscriber.close();
      subscriber = null;
    }
    sinks.clear();
    subscriberConnection = null;
  }

  /** Closes the bridge socket (Parley sees the person go) and every PeerConnection. */
  @Override
  public void close() {
    closed = true;
    // first the socket: a request in flight fails at once rather than waiting out its timeout
    try {
      bridge.close().await();
    } catch (RuntimeException e) {
      note("bridge close: " + e.getMessage());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    steps.execute(() -> {
      closePublisher();
      closeSubscriber();
      done.complete(null);
    });
    try {
      done.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("[" + name + "] PeerConnections not closed within 15 s: " + e);
    }
    steps.shutdownNow();
  }

  /** Waits for {@code future} from a caller's thread. */
  public static <T> T await(CompletableFuture<T> future, long seconds) {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e.toString(), e);
    }
  }
}
