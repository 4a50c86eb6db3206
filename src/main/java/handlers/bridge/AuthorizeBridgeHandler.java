package handlers.bridge;

import common.Addresses;
import common.ParleyException;
import handlers.AuthenticateHandler;
import handlers.Inputs;
import handlers.SocketErrors;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;
import security.TokenVerifier;
import telemetry.FrameTracing;
import telemetry.ParleyMetrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides every frame of the SockJS bridge. The bridge options already refuse any address that is
 * not in the contract; this handler adds who may do what:
 * <ul>
 *   <li>the socket's identity is set once, from the token of the opening request (query
 *   {@code access_token}, cookie or header) or from a frame header {@code authorization}; it cannot
 *   change afterwards;</li>
 *   <li>REGISTER for {@code meeting.{id}[.chat|.captions|.media|.whiteboard|.notes]} needs the caller present in that meeting,
 *   {@code meeting.{id}.signal.{pid}} needs {@code pid} to be the caller, and
 *   {@code meeting.{id}.lobby.{pid}} needs {@code pid} to be the caller waiting in its lobby;</li>
 *   <li>SEND needs a JSON object naming a meeting the caller is present in; the caller is stamped
 *   in the {@code x-parley-identity} header and every client-supplied header but trace context is
 *   dropped; {@code chat.send}, {@code meeting.reaction} and the collaboration addresses are rate limited per socket; PUBLISH
 *   from clients is refused.</li>
 * </ul>
 * A refused frame gets an error frame with the contract's code (to the reply address, so the
 * client's callback sees it) before anything happens.
 *
 * <p>Every meeting address a socket registers for is delivered by {@link MeetingFanOut}, so that
 * {@link #revoke} can take a person's sockets out of a meeting at once ({@code parley.bridge.revoke}:
 * they left, were removed, or the meeting ended): nothing more is written to them, and their
 * membership is checked afresh before anything else. Runs on the gateway verticle's event loop;
 * the socket map is confined to it.
 */
public final class AuthorizeBridgeHandler implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(AuthorizeBridgeHandler.class);
  private static final Set<String> FORWARDED_HEADERS = Set.of("traceparent", "tracestate");
  /** The addresses clients may send to (ARCHITECTURE.md section 4); the bridge options list the same. */
  public static final Set<String> INBOUND = Set.of(Addresses.CHAT_SEND, Addresses.SIGNAL_SEND, Addresses.PRESENCE_PING,
    Addresses.CAPTIONS_LANGUAGE, Addresses.MEETING_HAND, Addresses.MEETING_REACTION, Addresses.MEETING_MEDIA,
    // media on the SFU: the same rule (present in the named meeting, sender stamped); the media
    // service then checks that every connection and feed named is the caller's or the meeting's
    Addresses.MEDIA_PUBLISH, Addresses.MEDIA_SUBSCRIBE, Addresses.MEDIA_ANSWER, Addresses.MEDIA_TRICKLE,
    Addresses.MEDIA_CONFIGURE, Addresses.MEDIA_UNPUBLISH, Addresses.MEDIA_REPORT,
    Addresses.POLL_VOTE, Addresses.WHITEBOARD_DRAW, Addresses.WHITEBOARD_POINTER, Addresses.NOTES_UPDATE);

  /** The local addresses the bridge's consumers of meeting-wide addresses are pointed at (see {@link MeetingFanOut}). */
  public static final String FAN_OUT_LOCAL_REGEX = MeetingFanOut.LOCAL_REGEX;

  /**
   * Limits and rates from the {@code bridge}, {@code chat} and {@code reactions} configuration
   * sections; {@code rates}: the per-socket rates of further inbound addresses (the {@code collab} section's).
   */
  public record Limits(int maxFrameBytes, long membershipCacheMs, double chatRatePerSecond, double chatBurst,
                       long requestTimeoutMs, double reactionRatePerSecond, double reactionBurst, int maxQueuedBytes,
                       Map<String, Rate> rates) {
  }

  /** {@code burst} frames at once, refilled at {@code perSecond}. */
  public record Rate(double perSecond, double burst) {
  }

  private final EventBus eventBus;
  private final TokenVerifier verifier;
  private final Limits limits;
  private final ParleyMetrics metrics;
  private final FrameTracing frames;
  private final Map<SockJSSocket, SocketState> sockets = new HashMap<>();
  private final MeetingFanOut fanOut;

  public AuthorizeBridgeHandler(EventBus eventBus, TokenVerifier verifier, ParleyMetrics metrics,
                                OpenTelemetry openTelemetry, Limits limits) {
    this.frames = new FrameTracing(openTelemetry);
    this.fanOut = new MeetingFanOut(eventBus, metrics::slowSocketClosed);
    this.eventBus = eventBus;
    this.metrics = metrics;
    this.verifier = verifier;
    this.limits = limits;
  }

  /** Closes every socket of this gateway instance with {@code code} (1001 "going away" at shutdown: clients reconnect). */
  public void closeAll(int code, String reason) {
    for (SockJSSocket socket : List.copyOf(sockets.keySet())) {
      socket.close(code, reason);
    }
  }

  /** Sockets open on this gateway instance. */
  public int openSockets() {
    return sockets.size();
  }

  private static final class SocketState {
    Identity identity;
    /** A sign-in by a frame's {@code authorization} header under way (see {@link #identityOf}). */
    Future<Identity> signingIn;
    final Map<UUID, Long> presentUntil = new HashMap<>();
    final Set<UUID> meetings = new HashSet<>();
    /** The meeting addresses this socket gets through {@link MeetingFanOut}, each with the bridge's local address for it. */
    final Map<String, String> fannedOut = new HashMap<>();
    /** How many times this socket was revoked (see {@link MeetingFanOut#localAddress}). */
    int epoch;
    /** Revocations per meeting: a check that was under way when one came must not let the socket back in. */
    final Map<UUID, Integer> revocations = new HashMap<>();
    TokenBucket chat;
    TokenBucket reactions;
    /** Buckets of the addresses in {@link Limits#rates}, made on first use. */
    final Map<String, TokenBucket> rated = new HashMap<>();

    int revocationsOf(UUID meetingId) {
      return revocations.getOrDefault(meetingId, 0);
    }
  }

  @Override
  public void handle(BridgeEvent event) {
    try {
      switch (event.type()) {
        case SOCKET_CREATED -> socketCreated(event);
        case SOCKET_CLOSED -> socketClosed(event);
        case SEND -> send(event);
        case PUBLISH -> refuse(event, null, ParleyException.forbidden("clients may not publish; use send"));
        case REGISTER -> register(event);
        case UNREGISTER -> unregister(event);
        case SOCKET_ERROR -> socketError(event);
        default -> event.complete(true);
      }
    } catch (ParleyException e) {
      refuse(event, replyTarget(event), e);
    }
  }

  private void socketCreated(BridgeEvent event) {
    SocketState state = new SocketState();
    state.chat = new TokenBucket(limits.chatRatePerSecond(), limits.chatBurst());
    state.reactions = new TokenBucket(limits.reactionRatePerSecond(), limits.reactionBurst());
    RoutingContext rc = event.socket().routingContext();
    if (!(event.socket() instanceof BridgeWebSocket)) {
      // Vert.x's polling and streaming transports: their queue (characters) is what bounds them
      event.socket().setWriteQueueMaxSize(limits.maxQueuedBytes());
    }
    sockets.put(event.socket(), state);
    metrics.socketOpened();
    Identity identity = rc == null ? null : AuthenticateHandler.identity(rc);
    if (identity != null) {
      signIn(state, identity);
    }
    event.complete(true);
  }

  private void socketClosed(BridgeEvent event) {
    SocketState state = sockets.remove(event.socket());
    if (state != null) {
      metrics.socketClosed();
      state.fannedOut.keySet().forEach(address -> fanOut.leave(address, event.socket()));
    }
    if (state != null && state.identity != null) {
      metrics.userSocketClosed(userKey(state.identity));
      DeliveryOptions options = identityHeader(state.identity);
      for (UUID meeting : state.meetings) {
        eventBus.send(Addresses.PRESENCE_DISCONNECTED, new JsonObject().put("meetingId", meeting.toString()), options);
      }
    }
    event.complete(true);
  }

  /**
   * The transport failed the socket (the bridge has already dropped its registrations). A frame
   * over the transport's limit closes it with 1009, so the client knows why instead of waiting for
   * pings that go unanswered; a dropped connection is routine. One log line either way.
   */
  private void socketError(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    String message = raw == null ? null : raw.getString("message");
    if (SocketErrors.tooLarge(message)) {
      LOG.info("Bridge socket closed with 1009: a frame over the transport's limit ({})", message);
      event.socket().close(SocketErrors.TOO_LARGE, "frame too large: at most " + limits.maxFrameBytes() + " bytes");
    } else if ("Connection was closed".equals(message)) {
      LOG.debug("Bridge socket dropped without a close frame");
    } else {
      LOG.info("Bridge socket failed: {}", message);
      event.socket().close();
    }
    event.complete(true);
  }

  /** An unregister for a fanned-out address leaves the fan-out, and the bridge drops its local registration. */
  private void unregister(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    String local = state == null || address == null ? null : state.fannedOut.remove(address);
    if (local != null) {
      fanOut.leave(address, event.socket());
      raw.put("address", local);
    }
    event.complete(true);
  }

  /** Sockets of this gateway instance that get what is published to {@code address} (for tests). */
  public int fanOutAudience(String address) {
    return fanOut.audience(address);
  }

  private void register(BridgeEvent event) {
    SocketState state = stateOf(event);
    String address = event.getRawMessage().getString("address");
    Addresses.Outbound target = Addresses.parseOutbound(address);
    if (target == null) {
      throw ParleyException.forbidden("address not allowed");
    }
    int revocations = state.revocationsOf(target.meetingId());
    identityOf(event, state)
      .compose(identity -> {
        if (target.person() != null && !target.person().equals(identity.userId())) {
          return Future.failedFuture(ParleyException.forbidden("lobby".equals(target.kind())
            ? "you can only hear your own lobby answers" : "you can only receive your own signaling"));
        }
        Future<Void> allowed = "lobby".equals(target.kind())
          ? requireWaiting(identity, target.meetingId()) : requirePresent(state, identity, target.meetingId());
        return allowed.map(identity);
      })
      .compose(identity -> state.revocationsOf(target.meetingId()) == revocations ? Future.succeededFuture(identity)
        // revoked while the check was under way: what it saw is out of date
        : Future.failedFuture(ParleyException.forbidden("you are no longer in this meeting")))
      .onSuccess(identity -> {
        if (sockets.get(event.socket()) != state) {
          event.complete(false);
          return;
        }
        if ("events".equals(target.kind()) && state.meetings.add(target.meetingId())) {
          eventBus.send(Addresses.PRESENCE_CONNECTED, new JsonObject().put("meetingId", target.meetingId().toString()),
            identityHeader(identity));
        }
        // Delivered by the fan-out; the bridge registers (and counts, and later unregisters) a
        // consumer on a local address where nothing is published.
        String local = state.fannedOut.get(address);
        if (local == null) {
          local = MeetingFanOut.localAddress(address, state.epoch);
          state.fannedOut.put(address, local);
          fanOut.join(address, event.socket());
        }
        event.getRawMessage().put("address", local);
        event.complete(true);
      })
      .onFailure(err -> refuse(event, address, err));
  }

  /**
   * {@code parley.bridge.revoke}: the sockets of that person on this gateway instance get nothing
   * more from the meeting, and must pass the membership check again before registering or sending.
   */
  public void revoke(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      return;
    }
    String tenant = body.getString("tenant");
    String userId = body.getString("userId");
    UUID meetingId;
    try {
      meetingId = UUID.fromString(body.getString("meetingId", ""));
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring a revocation without a meeting id: {}", body.encode());
      return;
    }
    String prefix = Addresses.meeting(meetingId);
    boolean ended = "ended".equals(body.getString("reason"));
    sockets.forEach((socket, state) -> {
      Identity identity = state.identity;
      if (identity == null || !identity.userId().equals(userId) || !identity.tenant().equals(tenant)) {
        return;
      }
      state.revocations.merge(meetingId, 1, Integer::sum);
      state.presentUntil.remove(meetingId);
      boolean dropped = state.fannedOut.keySet().removeIf(address -> {
        if (address.equals(prefix) || address.startsWith(prefix + ".")) {
          fanOut.leave(address, socket);
          return true;
        }
        return false;
      });
      if (dropped) {
        state.epoch++;
      }
      // The socket no longer counts for the meeting's presence (after an end there is none to count).
      if (state.meetings.remove(meetingId) && !ended) {
        eventBus.send(Addresses.PRESENCE_DISCONNECTED, new JsonObject().put("meetingId", meetingId.toString()),
          identityHeader(identity));
      }
    });
  }

  private void send(BridgeEvent event) {
    SocketState state = stateOf(event);
    JsonObject raw = event.getRawMessage();
    if (!INBOUND.contains(raw.getString("address"))) {
      throw ParleyException.forbidden("address not allowed");
    }
    if (raw.encode().length() > limits.maxFrameBytes()) {
      throw ParleyException.tooLarge("frame larger than " + limits.maxFrameBytes() + " bytes");
    }
    if (!(raw.getValue("body") instanceof JsonObject body)) {
      throw ParleyException.badRequest("body must be a JSON object");
    }
    UUID meetingId = Inputs.meetingId(body);
    String address = raw.getString("address");
    identityOf(event, state)
      .compose(identity -> requirePresent(state, identity, meetingId).map(identity))
      .onSuccess(identity -> {
        if (Addresses.CHAT_SEND.equals(address) && !state.chat.take()) {
          refuse(event, replyTarget(event), ParleyException.rateLimited("too many chat messages; slow down"));
          return;
        }
        if (Addresses.MEETING_REACTION.equals(address) && !state.reactions.take()) {
          refuse(event, replyTarget(event), ParleyException.rateLimited("too many reactions; slow down"));
          return;
        }
        Rate rate = limits.rates().get(address);
        if (rate != null && !state.rated.computeIfAbsent(address, a -> new TokenBucket(rate.perSecond(), rate.burst())).take()) {
          refuse(event, replyTarget(event), ParleyException.rateLimited("too many " + address + " frames; slow down"));
          return;
        }
        JsonObject headers = new JsonObject();
        JsonObject clientHeaders = raw.getJsonObject("headers");
        if (clientHeaders != null) {
          clientHeaders.forEach(h -> {
            if (FORWARDED_HEADERS.contains(h.getKey().toLowerCase()) && h.getValue() instanceof String v && v.length() < 256) {
              headers.put(h.getKey().toLowerCase(), v);
            }
          });
        }
        // The gateway's span for this frame: a child of the client's traceparent, parent of the service's.
        frames.record(address, identity, headers);
        headers.put(Identity.HEADER, identity.toJson().encode());
        raw.put("headers", headers);
        event.complete(true);
      })
      .onFailure(err -> refuse(event, replyTarget(event), err));
  }

  private SocketState stateOf(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    if (state == null) {
      throw ParleyException.unauthorized("socket is closed");
    }
    return state;
  }

  /**
   * The socket's identity: the opening request's, or signed in by the first frame that carries an
   * {@code authorization} header (browsers cannot set headers on a WebSocket, and a token in the URL
   * is kept by the server for the socket's life and shows in logs). Frames that come while that
   * sign-in is being checked wait for it instead of being refused; a refused sign-in (401, with the
   * verifier's reason) lets a later frame try again with another token.
   */
  private Future<Identity> identityOf(BridgeEvent event, SocketState state) {
    if (state.identity != null) {
      return Future.succeededFuture(state.identity);
    }
    if (state.signingIn != null) {
      return state.signingIn;
    }
    JsonObject headers = event.getRawMessage().getJsonObject("headers");
    String authorization = headers == null ? null : headers.getString("authorization", headers.getString("Authorization"));
    if (authorization == null) {
      return Future.failedFuture(ParleyException.unauthorized("sign in first: pass access_token or an authorization header"));
    }
    String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
    Future<Identity> signingIn = verifier.verify(token)
      .map(identity -> {
        if (state.identity == null && sockets.get(event.socket()) == state) {
          signIn(state, identity);
        }
        return state.identity == null ? identity : state.identity;
      });
    state.signingIn = signingIn;
    signingIn.onComplete(done -> state.signingIn = null);
    return signingIn;
  }

  private void signIn(SocketState state, Identity identity) {
    state.identity = identity;
    metrics.userSocketOpened(userKey(identity));
  }

  private static String userKey(Identity identity) {
    return identity.tenant() + "/" + identity.userId();
  }

  private Future<Void> requirePresent(SocketState state, Identity identity, UUID meetingId) {
    Long until = state.presentUntil.get(meetingId);
    long now = System.currentTimeMillis();
    if (until != null && until > now) {
      return Future.succeededFuture();
    }
    int revocations = state.revocationsOf(meetingId);
    return eventBus.<JsonObject>request(Addresses.MEETING_MEMBERSHIP, new JsonObject().put("meetingId", meetingId.toString()),
        identityHeader(identity).setSendTimeout(limits.requestTimeoutMs()))
      .compose(reply -> {
        JsonObject m = reply.body();
        if ("ended".equals(m.getString("status"))) {
          return Future.failedFuture(ParleyException.conflict("meeting has ended"));
        }
        if (!m.getBoolean("present", false)) {
          return Future.failedFuture(ParleyException.forbidden("join the meeting first"));
        }
        if (state.revocationsOf(meetingId) == revocations) {
          // not cached when a revocation came meanwhile: the answer may predate it
          state.presentUntil.put(meetingId, now + limits.membershipCacheMs());
        }
        return Future.<Void>succeededFuture();
      });
  }

  /** The caller waits in the meeting's lobby (or was just answered): they may hear the answer. */
  private Future<Void> requireWaiting(Identity identity, UUID meetingId) {
    return eventBus.<JsonObject>request(Addresses.MEETING_MEMBERSHIP, new JsonObject().put("meetingId", meetingId.toString()),
        identityHeader(identity).setSendTimeout(limits.requestTimeoutMs()))
      .compose(reply -> reply.body().getString("admission") != null ? Future.<Void>succeededFuture()
        : Future.failedFuture(ParleyException.forbidden("you are not waiting in this meeting's lobby")));
  }

  /** A per-socket rate: {@code burst} at once, refilled at {@code ratePerSecond}. */
  private static final class TokenBucket {
    private final double ratePerSecond;
    private final double burst;
    private double tokens;
    private long lastRefillNanos = System.nanoTime();

    TokenBucket(double ratePerSecond, double burst) {
      this.ratePerSecond = ratePerSecond;
      this.burst = burst;
      this.tokens = burst;
    }

    boolean take() {
      long nowNanos = System.nanoTime();
      tokens = Math.min(burst, tokens + (nowNanos - lastRefillNanos) / 1e9 * ratePerSecond);
      lastRefillNanos = nowNanos;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  private static String replyTarget(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    if (raw == null) {
      return null;
    }
    return event.type() == BridgeEventType.REGISTER ? raw.getString("address") : raw.getString("replyAddress");
  }

  /** Writes an error frame the client library delivers to the callback at {@code target}, then refuses. */
  private void refuse(BridgeEvent event, String target, Throwable err) {
    int code;
    String message;
    if (err instanceof ParleyException pe) {
      code = pe.status();
      message = pe.getMessage();
    } else if (err instanceof ReplyException re && re.failureCode() >= 400) {
      code = re.failureCode();
      message = re.getMessage();
    } else {
      code = 503;
      message = "service unavailable";
      LOG.warn("Bridge check failed: {}", err.toString());
    }
    JsonObject frame = new JsonObject().put("type", "err").put("failureCode", code)
      .put("failureType", "RECIPIENT_FAILURE").put("message", message).put("body", ParleyException.codeFor(code));
    if (target != null && target.length() <= 200) {
      frame.put("address", target);
    }
    event.socket().write(frame.encode());
    if (!event.future().isComplete()) {
      event.complete(false);
    }
  }

  private static DeliveryOptions identityHeader(Identity identity) {
    return new DeliveryOptions().addHeader(Identity.HEADER, identity.toJson().encode());
  }
}
