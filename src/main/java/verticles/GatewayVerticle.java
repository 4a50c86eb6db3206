package verticles;

import common.Addresses;
import common.ParleyException;
import config.ConfigException;
import config.Section;
import data.RedisLock;
import handlers.AuthenticateHandler;
import handlers.MeetingAccess;
import handlers.OriginPolicy;
import handlers.bridge.AuthorizeBridgeHandler;
import handlers.bridge.UpgradeBridgeSocketHandler;
import handlers.captions.RenderTranscriptHandler;
import handlers.captions.StreamAudioHandler;
import handlers.gateway.ApiContract;
import handlers.gateway.CheckReadinessHandler;
import handlers.gateway.ForwardToServiceHandler;
import handlers.gateway.GetClientConfigHandler;
import handlers.gateway.IssueDevTokenHandler;
import handlers.gateway.RenderErrorHandler;
import handlers.gateway.Responses;
import handlers.storage.AppendRecordingChunkHandler;
import handlers.storage.DownloadObjectHandler;
import handlers.storage.ObjectAccess;
import handlers.storage.SignObjectLinks;
import handlers.storage.UploadObjectHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import io.vertx.micrometer.PrometheusScrapingHandler;
import telemetry.Readiness;

/**
 * The edge: REST routes (forwarded to services over the event bus), the SockJS event-bus bridge,
 * the audio socket, health and metrics, and the web client. Holds no business logic.
 */
public final class GatewayVerticle extends VerticleBase {

  /**
   * The web client's policy: its own scripts and styles only (and WebAssembly compiled from its own
   * files: the shared notes' Automerge); media and images also from blob:
   * (local previews, recordings); connect-src 'self' also covers same-origin ws:/wss: (CSP 3).
   */
  static final String WEB_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    + "form-action 'self'; frame-ancestors 'none'";

  /** The {@code http}, {@code bridge}, {@code chat} and {@code reactions} (rates), {@code blobs}, {@code webrtc} and {@code auth} (the browser's sign-in) settings the edge needs. */
  record Settings(String host, OriginPolicy origins, long maxBodyBytes, int maxFrameBytes, int maxHandlersPerSocket, long pingTimeoutMs,
                  long replyTimeoutMs, long membershipCacheMs, int maxQueuedBytes, double chatRatePerSecond, double chatBurst,
                  long maxChunkBytes, long lifecycleLockMs, JsonArray iceServers, long drainTimeoutMs, double reactionRatePerSecond,
                  double reactionBurst, JsonObject browserOidc,
                  java.util.Map<String, AuthorizeBridgeHandler.Rate> collabRates, boolean webSocketCompression) {

    static Settings parse(JsonObject config) {
      Section http = Section.of(config, "http");
      Section bridge = Section.of(config, "bridge");
      Section chat = Section.of(config, "chat");
      Section blobs = Section.of(config, "blobs");
      OriginPolicy origins;
      try {
        origins = OriginPolicy.of(http.strings("allowedOrigins"), http.optionalString("publicUrl"));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
      return new Settings(http.string("host"), origins, http.longValue("maxBodyBytes", 1024, 1L << 30),
        bridge.integer("maxFrameBytes", 1024, 16 << 20), bridge.integer("maxHandlersPerSocket", 1, 10_000),
        bridge.longValue("pingTimeoutMs", 1_000, 3_600_000), bridge.longValue("replyTimeoutMs", 100, 3_600_000),
        bridge.longValue("membershipCacheMs", 0, 3_600_000), bridge.integer("maxQueuedBytes", 4096, 1 << 30),
        chat.decimal("ratePerSecond", 0.01, 1e9), chat.decimal("burst", 1, 1e9),
        blobs.longValue("maxChunkBytes", 1024, 1L << 32),
        blobs.section("lifecycle").longValue("lockSeconds", 1, 86_400) * 1000,
        Section.of(config, "webrtc").array("iceServers"), http.longValue("drainTimeoutMs", 0, 600_000),
        Section.of(config, "reactions").decimal("ratePerSecond", 0.01, 1e9), Section.of(config, "reactions").decimal("burst", 1, 1e9),
        browserOidc(Section.of(config, "auth")), collabRates(Section.of(config, "collab")),
        http.bool("webSocketCompression"));
    }

    /**
     * The provider the web client signs in with: the issuer the server validates, the public client
     * id ({@code auth.clientId}, else the audience) and the scopes to ask for; null without an issuer.
     */
    static JsonObject browserOidc(Section auth) {
      String issuer = auth.optionalString("issuer");
      if (issuer == null) {
        return null;
      }
      String clientId = auth.optionalString("clientId") != null ? auth.optionalString("clientId") : auth.optionalString("audience");
      return clientId == null ? null
        : new JsonObject().put("issuer", issuer).put("clientId", clientId).put("scopes", auth.string("scopes"));
    }

    /** The origin of the sign-in provider, which the page then fetches (discovery, tokens); null without one. */
    String oidcOrigin() {
      if (browserOidc == null) {
        return null;
      }
      java.net.URI uri = java.net.URI.create(browserOidc.getString("issuer"));
      return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The per-socket rates of the collaboration addresses. */
    static java.util.Map<String, AuthorizeBridgeHandler.Rate> collabRates(Section collab) {
      Section polls = collab.section("polls");
      Section board = collab.section("whiteboard");
      Section notes = collab.section("notes");
      return java.util.Map.of(
        Addresses.NOTES_UPDATE, new AuthorizeBridgeHandler.Rate(notes.decimal("updatesPerSecond", 0.01, 1e9),
          notes.decimal("updateBurst", 1, 1e9)),
        Addresses.POLL_VOTE, new AuthorizeBridgeHandler.Rate(polls.decimal("votesPerSecond", 0.01, 1e9), polls.decimal("voteBurst", 1, 1e9)),
        Addresses.WHITEBOARD_DRAW, new AuthorizeBridgeHandler.Rate(board.decimal("opsPerSecond", 0.01, 1e9), board.decimal("opBurst", 1, 1e9)),
        Addresses.WHITEBOARD_POINTER, new AuthorizeBridgeHandler.Rate(board.decimal("pointersPerSecond", 0.01, 1e9),
          board.decimal("pointerBurst", 1, 1e9)));
    }
  }

  private final Services services;
  private final Readiness readiness;
  private final int port;
  private HttpServer server;
  private ApiContract contract;
  private Settings settings;
  private AuthorizeBridgeHandler guard;
  private StreamAudioHandler audio;

  public GatewayVerticle(Services services, Readiness readiness, int port) {
    this.services = services;
    this.readiness = readiness;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    settings = Settings.parse(services.config());
    long timeout = settings.replyTimeoutMs();
    EventBus eb = vertx.eventBus();

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      String path = ctx.request().path();
      if (readiness.draining() && (path.startsWith("/eventbus") || path.startsWith("/ws/"))) {
        // Shutting down: no new sockets here; the client's reconnect goes to another node (or this one, restarted).
        ctx.response().putHeader("Connection", "close").putHeader("Retry-After", "1");
        ctx.fail(new ParleyException(503, "unavailable", "this node is shutting down; reconnect"));
        return;
      }
      ctx.next();
    });
    router.get("/health/live").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(new CheckReadinessHandler(readiness));
    if (services.registry() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(services.registry()));
    }

    // Each API route carries its own body and auth handlers, so that the metrics' route label is
    // the route's template alone rather than every prefix route the request passed through.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes());
    AuthenticateHandler auth = AuthenticateHandler.bearer(services.tokens());
    contract = ApiContract.register(vertx, router);
    router.post("/api/v1/auth/dev-token").handler(body).handler(new IssueDevTokenHandler(services.devIssuer()));
    JsonObject oidc = services.devIssuer() == null ? settings.browserOidc() : null;
    router.get("/api/v1/client-config").handler(AuthenticateHandler.optionalBearer(services.tokens()))
      .handler(new GetClientConfigHandler(settings.iceServers(), services.devIssuer() != null, oidc,
        new JsonObject().put("mode", services.media().mode()).put("meshMax", services.media().meshMax())));
    router.get("/api/v1/me").handler(auth).handler(ctx -> Responses.json(ctx, 200, AuthenticateHandler.identity(ctx).toJson()));
    forward(router, body, auth, HttpMethod.GET, "/api/v1/tenant", Addresses.TENANT_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.PUT, "/api/v1/tenant", Addresses.TENANT_PUT, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings", Addresses.MEETING_CREATE, 201, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings", Addresses.MEETING_LIST, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId", Addresses.MEETING_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/join", Addresses.MEETING_JOIN, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/leave", Addresses.MEETING_LEAVE, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/end", Addresses.MEETING_END, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/participants", Addresses.MEETING_PARTICIPANTS, 200, timeout);
    roomRoutes(router, body, auth, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/chat", Addresses.CHAT_HISTORY, 200, timeout);
    collabRoutes(router, body, auth, timeout);
    breakoutRoutes(router, body, auth, timeout);
    router.get("/api/v1/meetings/:meetingId/transcript").handler(auth).handler(new RenderTranscriptHandler(eb, timeout));
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/recap", Addresses.RECAP_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/search", Addresses.SEARCH, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/usage", Addresses.USAGE_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/webhooks", Addresses.WEBHOOK_CREATE, 201, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/webhooks", Addresses.WEBHOOK_LIST, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/webhooks/deliveries", Addresses.WEBHOOK_DELIVERIES, 200, timeout);
    forward(router, body, auth, HttpMethod.DELETE, "/api/v1/webhooks/:webhookId", Addresses.WEBHOOK_DELETE, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/webhooks/:webhookId/test", Addresses.WEBHOOK_TEST, 202, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/languages", Addresses.LANGUAGES_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/budget", Addresses.BUDGET_GET, 200, timeout);
    storageRoutes(router, body, auth, settings);
    router.route("/api/v1/*").handler(auth).handler(ctx -> ctx.fail(ParleyException.notFound("no such endpoint: "
      + ctx.request().method() + " " + ctx.request().path())));

    guard = new AuthorizeBridgeHandler(eb, services.tokens(), services.metrics(),
      services.openTelemetry(), new AuthorizeBridgeHandler.Limits(
      settings.maxFrameBytes(), settings.membershipCacheMs(), settings.chatRatePerSecond(), settings.chatBurst(), timeout,
      settings.reactionRatePerSecond(), settings.reactionBurst(), settings.maxQueuedBytes(), settings.collabRates()));
    SockJSBridgeOptions bridgeOptions = new SockJSBridgeOptions()
      .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
      .setMaxAddressLength(200)
      .setPingTimeout(settings.pingTimeoutMs())
      .setReplyTimeout(timeout)
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.OUTBOUND_REGEX))
      // where the guard points the bridge's own consumers of meeting-wide addresses (see MeetingFanOut)
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(AuthorizeBridgeHandler.FAN_OUT_LOCAL_REGEX));
    // Every gateway instance on every node: a person's sockets may be on any of them.
    Future<Void> revocations = eb.consumer(Addresses.BRIDGE_REVOKE, guard::revoke).completion();
    for (String address : AuthorizeBridgeHandler.INBOUND) {
      bridgeOptions.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    router.route("/eventbus/*").handler(AuthenticateHandler.socket(services.tokens(), settings.origins()));
    audio = new StreamAudioHandler(eb, services.ai().stt(), services.ai().localStt(), services.budget(),
      services.openTelemetry(), timeout);
    Future<Void> budgetEvents = eb.<JsonObject>consumer(Addresses.AI_BUDGET, m -> audio.budgetChanged(m.body())).completion();
    router.get("/ws/audio").handler(AuthenticateHandler.socket(services.tokens(), settings.origins())).handler(audio);
    // The two WebSocket transports (SockJS's and the raw one) are served by our own handler (one
    // shared frame per message for every socket, see MeetingFanOut). The polling and streaming
    // fallbacks are off, so their URLs answer the JSON 404 (the web client and the load tool speak
    // WebSocket). One bridge for both.
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions().setRegisterWriteHandler(false).setInsertJSESSIONID(false);
    for (Transport fallback : new Transport[]{Transport.XHR, Transport.EVENT_SOURCE, Transport.HTML_FILE, Transport.JSON_P}) {
      sockJs.addDisabledTransport(fallback.name());
    }
    EventBusBridgeImpl bridge = new EventBusBridgeImpl(vertx, null, bridgeOptions, guard);
    UpgradeBridgeSocketHandler webSockets = new UpgradeBridgeSocketHandler(vertx, sockJs, bridge, settings.maxQueuedBytes());
    router.getWithRegex("/eventbus/[^/.]+/[^/.]+/websocket").handler(webSockets);
    router.get("/eventbus/websocket").handler(webSockets);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJs).socketHandler(bridge));

    // The web client, after every API, bridge and audio route so that it never shadows them; a
    // missing file falls through to the 404 below.
    // Signed links to a blob service of its own (Azure) play from there: allow that origin for media.
    String mediaCsp = services.storage().store().linkOrigin()
      .map(origin -> WEB_CSP.replace("media-src 'self' blob:;", "media-src 'self' blob: " + origin + ";"))
      .orElse(WEB_CSP);
    // Signing in through an OIDC provider: the page fetches its discovery and token endpoints.
    String csp = services.devIssuer() == null && settings.oidcOrigin() != null
      ? mediaCsp.replace("connect-src 'self';", "connect-src 'self' " + settings.oidcOrigin() + ";") : mediaCsp;
    StaticHandler webroot = StaticHandler.create("webroot").setCachingEnabled(false).setDirectoryListing(false)
      .setIncludeHidden(false);
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", csp).putHeader("Referrer-Policy", "no-referrer");
      if (ctx.normalizedPath().equals("/manifest.webmanifest")) {
        ctx.response().putHeader("Content-Type", "application/manifest+json"); // not in Vert.x's MIME table
      }
      webroot.handle(ctx);
    });

    router.route().failureHandler(new RenderErrorHandler());
    router.route().last().handler(ctx -> ctx.fail(404));

    // The transport accepts frames up to 4x the contract's limits so that the handlers can refuse
    // oversized ones with their proper codes (bridge: 413 error frame; audio: close 1009) instead
    // of the connection being dropped (1006).
    int maxFrame = 4 * Math.max(settings.maxFrameBytes(), StreamAudioHandler.MAX_FRAME_BYTES);
    HttpServerOptions options = new HttpServerOptions()
      .setHost(settings.host())
      .setPort(port)
      .setMaxWebSocketFrameSize(maxFrame)
      .setMaxWebSocketMessageSize(maxFrame)
      .setCompressionSupported(true)
      // Browsers offer permessage-deflate in every WebSocket handshake. Agreed to, each socket gets
      // its own compressor: every fanned-out frame is deflated once per socket (the shared bytes are
      // copied and compressed 100 times for a meeting of 100), and each socket keeps a deflate
      // window. Measured with 1,000 sockets offering it at 200 messages/s: 1.42 server cores and
      // p99 1,037 ms, against 0.61 cores and 14.4 ms declined (bench/loadtest.sh throughput --deflate).
      // Chat frames are a few hundred bytes; audio is PCM: compression saves little. Off unless
      // http.webSocketCompression.
      .setPerMessageWebSocketCompressionSupported(settings.webSocketCompression())
      .setPerFrameWebSocketCompressionSupported(settings.webSocketCompression())
      .setStrictThreadMode(true);
    // The server is made on this instance's own context: the contract's load is shared by every
    // instance and completes on the first one's event loop, so composing on it would serve this
    // instance's sockets there, while its revocation consumer and its fan-out state stay here (a
    // revocation then raced the events published just before it, and touched that state from
    // another thread).
    Promise<HttpServer> listening = Promise.promise();
    Future.all(contract.ready(), revocations, budgetEvents).onComplete(ready -> context.runOnContext(v -> {
      if (ready.failed()) {
        listening.fail(ready.cause());
      } else {
        vertx.createHttpServer(options).requestHandler(router).listen().onComplete(listening);
      }
    }));
    return listening.future().onSuccess(s -> server = s);
  }

  /**
   * Graceful: readiness says "draining" and new sockets get 503; every bridge and audio socket is
   * closed with 1001 "going away", which clients take as "reconnect now"; then the server stops
   * listening and waits up to {@code http.drainTimeoutMs} for the requests in flight.
   * {@code MainVerticle} undeploys the gateway before the services, so those requests are served.
   */
  @Override
  public Future<?> stop() {
    readiness.drain();
    String reason = "going away: this node is shutting down; reconnect";
    if (guard != null) {
      guard.closeAll(1001, reason);
    }
    if (audio != null) {
      audio.closeAll((short) 1001, reason);
    }
    return server == null ? Future.succeededFuture()
      : server.shutdown(settings.drainTimeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Recordings, shared files and signed links. Uploads have no body handler: the request is
   * streamed to the store by the handler itself.
   */
  private void storageRoutes(Router router, BodyHandler body, AuthenticateHandler auth, Settings settings) {
    long timeout = settings.replyTimeoutMs();
    Storage storage = services.storage();
    ObjectAccess access = new ObjectAccess(new MeetingAccess(services.meetings()), storage.objects());
    router.post("/api/v1/meetings/:meetingId/recordings").handler(auth)
      .handler(new UploadObjectHandler(vertx, "recording", access, storage.store(), services.policies()));
    router.post("/api/v1/meetings/:meetingId/files").handler(auth)
      .handler(new UploadObjectHandler(vertx, "file", access, storage.store(), services.policies()));
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/recordings/chunked", Addresses.RECORDING_START, 201, timeout);
    router.put("/api/v1/recordings/:recordingId/content").handler(auth)
      .handler(new AppendRecordingChunkHandler(vertx, access, storage.store(), services.policies(),
        settings.maxChunkBytes(), new RedisLock(services.redis())));
    forward(router, body, auth, HttpMethod.POST, "/api/v1/recordings/:recordingId/complete", Addresses.RECORDING_COMPLETE, 200, timeout);
    // server recordings (through the SFU): the media server is asked too, hence the longer wait
    long serverTimeout = timeout + Section.of(services.config(), "recordings.server").longValue("mediaTimeoutMs", 500, 120_000);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/recordings/start", Addresses.SERVER_RECORDING_START, 201,
      serverTimeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/recordings/:recordingId/stop", Addresses.SERVER_RECORDING_STOP, 200, serverTimeout);
    forward(router, body, auth, HttpMethod.POST, "/api/v1/recordings/:recordingId/retry", Addresses.SERVER_RECORDING_RETRY, 200, timeout);
    router.get("/api/v1/meetings/:meetingId/recordings").handler(auth).handler(new ForwardToServiceHandler(vertx.eventBus(),
      Addresses.OBJECTS_LIST, 200, timeout, new JsonObject().put("kind", "recording")));
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/files", Addresses.OBJECTS_LIST, 200, timeout);
    DownloadObjectHandler recordings = new DownloadObjectHandler(access, storage.store(), storage.links(),
      ObjectAccess.RECORDINGS, "recordingId");
    DownloadObjectHandler files = new DownloadObjectHandler(access, storage.store(), storage.links(), ObjectAccess.FILES, "fileId");
    router.get("/api/v1/recordings/:recordingId").handler(auth).handler(recordings);
    router.get("/api/v1/recordings/:recordingId/link").handler(auth).handler(recordings.linkRoute());
    router.get("/api/v1/files/:fileId").handler(auth).handler(files);
    router.get("/api/v1/files/:fileId/link").handler(auth).handler(files.linkRoute());
    router.get(SignObjectLinks.ROUTE).handler(storage.links().serveRoute());
    router.post("/api/v1/admin/lifecycle/run").handler(body).handler(auth)
      .handler(new ForwardToServiceHandler(vertx.eventBus(), Addresses.LIFECYCLE_RUN, 200,
        Math.max(timeout, settings.lifecycleLockMs())));
  }

  /** The host's control of the room: settings, the lobby, removals, mutes, roles, the audit log. */
  private void roomRoutes(Router router, BodyHandler body, AuthenticateHandler auth, long timeout) {
    String meeting = "/api/v1/meetings/:meetingId";
    String person = meeting + "/participants/:userId";
    forward(router, body, auth, HttpMethod.PATCH, meeting, Addresses.MEETING_UPDATE, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, meeting + "/lobby", Addresses.MEETING_LOBBY, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, person + "/admit", Addresses.MEETING_ADMIT, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, person + "/deny", Addresses.MEETING_DENY, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, person + "/remove", Addresses.MEETING_REMOVE, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, person + "/mute", Addresses.MEETING_MUTE, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, person + "/role", Addresses.MEETING_ROLE, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, meeting + "/mute-all", Addresses.MEETING_MUTE_ALL, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, meeting + "/audit", Addresses.MEETING_AUDIT, 200, timeout);
  }

  /** Polls (and the whiteboard's and the shared notes' replay). */
  private void collabRoutes(Router router, BodyHandler body, AuthenticateHandler auth, long timeout) {
    String polls = "/api/v1/meetings/:meetingId/polls";
    forward(router, body, auth, HttpMethod.POST, polls, Addresses.POLL_CREATE, 201, timeout);
    forward(router, body, auth, HttpMethod.GET, polls, Addresses.POLL_LIST, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, polls + "/:pollId", Addresses.POLL_GET, 200, timeout);
    forward(router, body, auth, HttpMethod.POST, polls + "/:pollId/close", Addresses.POLL_CLOSE, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/whiteboard", Addresses.WHITEBOARD_HISTORY, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/notes", Addresses.NOTES_HISTORY, 200, timeout);
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/notes/state", Addresses.NOTES_STATE, 200, timeout);
  }

  /** Breakout rooms. */
  private void breakoutRoutes(Router router, BodyHandler body, AuthenticateHandler auth, long timeout) {
    String breakouts = "/api/v1/meetings/:meetingId/breakouts";
    forward(router, body, auth, HttpMethod.POST, breakouts, Addresses.BREAKOUTS_OPEN, 201, timeout);
    forward(router, body, auth, HttpMethod.GET, breakouts, Addresses.BREAKOUTS_LIST, 200, timeout);
    forward(router, body, auth, HttpMethod.DELETE, breakouts, Addresses.BREAKOUTS_CLOSE, 202, timeout);
    forward(router, body, auth, HttpMethod.POST, breakouts + "/broadcast", Addresses.BREAKOUTS_BROADCAST, 200, timeout);
  }

  private void forward(Router router, BodyHandler body, AuthenticateHandler auth, HttpMethod method, String path,
                       String address, int status, long timeout) {
    router.route(method, path).handler(body).handler(auth).handler(contract.validator(method, path))
      .handler(new ForwardToServiceHandler(vertx.eventBus(), address, status, timeout));
  }
}
