package handlers.bridge;

import common.Addresses;
import common.ParleyException;
import handlers.AuthenticateHandler;
import handlers.Inputs;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
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
 *   <li>REGISTER for {@code meeting.{id}[.chat|.captions]} needs the caller present in that meeting,
 *   and {@code meeting.{id}.signal.{pid}} needs {@code pid} to be the caller;</li>
 *   <li>SEND needs a JSON object naming a meeting the caller is present in; the caller is stamped
 *   in the {@code x-parley-identity} header and every client-supplied header but trace context is
 *   dropped; {@code chat.send} is rate limited per socket; PUBLISH from clients is refused.</li>
 * </ul>
 * A refused frame gets an error frame with the contract's code (to the reply address, so the
 * client's callback sees it) before anything happens. Runs on the gateway verticle's event loop;
 * the socket map is confined to it.
 */
public final class AuthorizeBridgeHandler implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(AuthorizeBridgeHandler.class);
  private static final Set<String> FORWARDED_HEADERS = Set.of("traceparent", "tracestate");
  /** The addresses clients may send to (ARCHITECTURE.md section 4); the bridge options list the same. */
  public static final Set<String> INBOUND = Set.of(Addresses.CHAT_SEND, Addresses.SIGNAL_SEND, Addresses.PRESENCE_PING,
    Addresses.CAPTIONS_LANGUAGE, Addresses.MEETING_HAND);

  /** The local addresses the bridge's consumers of meeting-wide addresses are pointed at (see {@link MeetingFanOut}). */
  public static final String FAN_OUT_LOCAL_REGEX = MeetingFanOut.LOCAL_REGEX;

  /** Limits and rates from the {@code bridge} and {@code chat} configuration sections. */
  public record Limits(int maxFrameBytes, long membershipCacheMs, double chatRatePerSecond, double chatBurst,
                       long requestTimeoutMs) {
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
    this.fanOut = new MeetingFanOut(eventBus);
    this.eventBus = eventBus;
    this.metrics = metrics;
    this.verifier = verifier;
    this.limits = limits;
  }

  /** Sockets open on this gateway instance. */
  public int openSockets() {
    return sockets.size();
  }

  private static final class SocketState {
    Identity identity;
    final Map<UUID, Long> presentUntil = new HashMap<>();
    final Set<UUID> meetings = new HashSet<>();
    /** Meeting-wide addresses this socket gets through {@link MeetingFanOut}. */
    final Set<String> fannedOut = new HashSet<>();
    double chatTokens;
    long lastRefillNanos = System.nanoTime();
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
        default -> event.complete(true);
      }
    } catch (ParleyException e) {
      refuse(event, replyTarget(event), e);
    }
  }

  private void socketCreated(BridgeEvent event) {
    SocketState state = new SocketState();
    state.chatTokens = limits.chatBurst();
    RoutingContext rc = event.socket().routingContext();
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
      state.fannedOut.forEach(address -> fanOut.leave(address, event.socket()));
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

  /** An unregister for a fanned-out address leaves the fan-out, and the bridge drops its local registration. */
  private void unregister(BridgeEvent event) {
    SocketState state = sockets.get(event.socket());
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    if (state != null && address != null && state.fannedOut.remove(address)) {
      fanOut.leave(address, event.socket());
      raw.put("address", MeetingFanOut.localAddress(address));
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
    identityOf(event, state)
      .compose(identity -> {
        if (target.signalTarget() != null && !target.signalTarget().equals(identity.userId())) {
          return Future.failedFuture(ParleyException.forbidden("you can only receive your own signaling"));
        }
        return requirePresent(state, identity, target.meetingId()).map(identity);
      })
      .onSuccess(identity -> {
        if ("events".equals(target.kind()) && state.meetings.add(target.meetingId())) {
          eventBus.send(Addresses.PRESENCE_CONNECTED, new JsonObject().put("meetingId", target.meetingId().toString()),
            identityHeader(identity));
        }
        if (target.signalTarget() == null && sockets.get(event.socket()) == state) {
          // Meeting-wide: delivered by the fan-out; the bridge registers (and counts, and later
          // unregisters) a consumer on a local address where nothing is published.
          event.getRawMessage().put("address", MeetingFanOut.localAddress(address));
          state.fannedOut.add(address);
          fanOut.join(address, event.socket());
        }
        event.complete(true);
      })
      .onFailure(err -> refuse(event, address, err));
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
        if (Addresses.CHAT_SEND.equals(address) && !takeChatToken(state)) {
          refuse(event, replyTarget(event), ParleyException.rateLimited("too many chat messages; slow down"));
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

  private Future<Identity> identityOf(BridgeEvent event, SocketState state) {
    if (state.identity != null) {
      return Future.succeededFuture(state.identity);
    }
    JsonObject headers = event.getRawMessage().getJsonObject("headers");
    String authorization = headers == null ? null : headers.getString("authorization", headers.getString("Authorization"));
    if (authorization == null) {
      return Future.failedFuture(ParleyException.unauthorized("sign in first: pass access_token or an authorization header"));
    }
    String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization;
    return verifier.verify(token).map(identity -> {
      if (state.identity == null && sockets.containsValue(state)) {
        signIn(state, identity);
      }
      return state.identity == null ? identity : state.identity;
    });
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
        state.presentUntil.put(meetingId, now + limits.membershipCacheMs());
        return Future.<Void>succeededFuture();
      });
  }

  private boolean takeChatToken(SocketState state) {
    long nowNanos = System.nanoTime();
    double elapsed = (nowNanos - state.lastRefillNanos) / 1e9;
    state.lastRefillNanos = nowNanos;
    state.chatTokens = Math.min(limits.chatBurst(), state.chatTokens + elapsed * limits.chatRatePerSecond());
    if (state.chatTokens < 1) {
      return false;
    }
    state.chatTokens -= 1;
    return true;
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
