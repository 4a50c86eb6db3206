package verticles;

import common.Addresses;
import common.ParleyException;
import config.Section;
import data.RedisLock;
import handlers.AuthenticateHandler;
import handlers.MeetingAccess;
import handlers.bridge.AuthorizeBridgeHandler;
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
import io.vertx.micrometer.PrometheusScrapingHandler;
import telemetry.Readiness;

/**
 * The edge: REST routes (forwarded to services over the event bus), the SockJS event-bus bridge,
 * the audio socket, health and metrics, and the web client. Holds no business logic.
 */
public final class GatewayVerticle extends VerticleBase {

  /**
   * The web client's policy: its own scripts and styles only; media and images also from blob:
   * (local previews, recordings); connect-src 'self' also covers same-origin ws:/wss: (CSP 3).
   */
  static final String WEB_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    + "form-action 'self'; frame-ancestors 'none'";

  /** The {@code http}, {@code bridge}, {@code chat} (rates), {@code blobs} and {@code webrtc} settings the edge needs. */
  record Settings(String host, long maxBodyBytes, int maxFrameBytes, int maxHandlersPerSocket, long pingTimeoutMs,
                  long replyTimeoutMs, long membershipCacheMs, double chatRatePerSecond, double chatBurst,
                  long maxChunkBytes, long lifecycleLockMs, JsonArray iceServers) {

    static Settings parse(JsonObject config) {
      Section http = Section.of(config, "http");
      Section bridge = Section.of(config, "bridge");
      Section chat = Section.of(config, "chat");
      Section blobs = Section.of(config, "blobs");
      return new Settings(http.string("host"), http.longValue("maxBodyBytes", 1024, 1L << 30),
        bridge.integer("maxFrameBytes", 1024, 16 << 20), bridge.integer("maxHandlersPerSocket", 1, 10_000),
        bridge.longValue("pingTimeoutMs", 1_000, 3_600_000), bridge.longValue("replyTimeoutMs", 100, 3_600_000),
        bridge.longValue("membershipCacheMs", 0, 3_600_000),
        chat.decimal("ratePerSecond", 0.01, 1e9), chat.decimal("burst", 1, 1e9),
        blobs.longValue("maxChunkBytes", 1024, 1L << 32),
        blobs.section("lifecycle").longValue("lockSeconds", 1, 86_400) * 1000,
        Section.of(config, "webrtc").array("iceServers"));
    }
  }

  private final Services services;
  private final Readiness readiness;
  private final int port;
  private HttpServer server;
  private ApiContract contract;

  public GatewayVerticle(Services services, Readiness readiness, int port) {
    this.services = services;
    this.readiness = readiness;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    long timeout = settings.replyTimeoutMs();
    EventBus eb = vertx.eventBus();

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
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
    router.get("/api/v1/client-config").handler(auth)
      .handler(new GetClientConfigHandler(settings.iceServers(), services.devIssuer() != null));
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
    forward(router, body, auth, HttpMethod.GET, "/api/v1/meetings/:meetingId/chat", Addresses.CHAT_HISTORY, 200, timeout);
    router.get("/api/v1/meetings/:meetingId/transcript").handler(auth).handler(new RenderTranscriptHandler(eb, timeout));
    forward(router, body, auth, HttpMethod.GET, "/api/v1/usage", Addresses.USAGE_GET, 200, timeout);
    storageRoutes(router, body, auth, settings);
    router.route("/api/v1/*").handler(auth).handler(ctx -> ctx.fail(ParleyException.notFound("no such endpoint: "
      + ctx.request().method() + " " + ctx.request().path())));

    AuthorizeBridgeHandler guard = new AuthorizeBridgeHandler(eb, services.tokens(), services.metrics(),
      services.openTelemetry(), new AuthorizeBridgeHandler.Limits(
      settings.maxFrameBytes(), settings.membershipCacheMs(), settings.chatRatePerSecond(), settings.chatBurst(), timeout));
    SockJSBridgeOptions bridgeOptions = new SockJSBridgeOptions()
      .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
      .setMaxAddressLength(200)
      .setPingTimeout(settings.pingTimeoutMs())
      .setReplyTimeout(timeout)
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.OUTBOUND_REGEX))
      // where the guard points the bridge's own consumers of meeting-wide addresses (see MeetingFanOut)
      .addOutboundPermitted(new PermittedOptions().setAddressRegex(AuthorizeBridgeHandler.FAN_OUT_LOCAL_REGEX));
    for (String address : AuthorizeBridgeHandler.INBOUND) {
      bridgeOptions.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    router.route("/eventbus/*").handler(AuthenticateHandler.socket(services.tokens()));
    router.get("/ws/audio").handler(AuthenticateHandler.socket(services.tokens()))
      .handler(new StreamAudioHandler(eb, services.ai().stt(), services.openTelemetry(), timeout));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions()
        .setRegisterWriteHandler(false).setInsertJSESSIONID(false))
      .bridge(bridgeOptions, guard));

    // The web client, after every API, bridge and audio route so that it never shadows them; a
    // missing file falls through to the 404 below.
    // Signed links to a blob service of its own (Azure) play from there: allow that origin for media.
    String csp = services.storage().store().linkOrigin()
      .map(origin -> WEB_CSP.replace("media-src 'self' blob:;", "media-src 'self' blob: " + origin + ";"))
      .orElse(WEB_CSP);
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
      .setCompressionSupported(true);
    return contract.ready().compose(v -> vertx.createHttpServer(options).requestHandler(router).listen()).onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown();
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

  private void forward(Router router, BodyHandler body, AuthenticateHandler auth, HttpMethod method, String path,
                       String address, int status, long timeout) {
    router.route(method, path).handler(body).handler(auth).handler(contract.validator(method, path))
      .handler(new ForwardToServiceHandler(vertx.eventBus(), address, status, timeout));
  }
}
