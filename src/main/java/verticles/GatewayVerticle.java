package verticles;

import common.Addresses;
import common.ParleyException;
import handlers.AuthenticateHandler;
import handlers.AuthorizeBridgeHandler;
import data.RedisLock;
import handlers.AppendRecordingChunkHandler;
import handlers.CheckReadinessHandler;
import handlers.DownloadObjectHandler;
import handlers.MeetingAccess;
import handlers.ObjectAccess;
import handlers.SignObjectLinks;
import handlers.UploadObjectHandler;
import handlers.gateway.ApiContract;
import handlers.ForwardToServiceHandler;
import handlers.RenderErrorHandler;
import handlers.RenderTranscriptHandler;
import handlers.StreamAudioHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.List;

/**
 * The edge: REST routes (forwarded to services over the event bus), the SockJS event-bus bridge,
 * health and metrics. Holds no business logic.
 */
public final class GatewayVerticle extends VerticleBase {

  /**
   * The web client's policy: its own scripts and styles only; media and images also from blob:
   * (local previews, recordings); connect-src 'self' also covers same-origin ws:/wss: (CSP 3).
   */
  static final String WEB_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    + "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    + "form-action 'self'; frame-ancestors 'none'";

  private final Services services;
  private final CheckReadinessHandler readiness;
  private final int port;
  private HttpServer server;
  private ApiContract contract;

  public GatewayVerticle(Services services, CheckReadinessHandler readiness, int port) {
    this.services = services;
    this.readiness = readiness;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    JsonObject config = services.config();
    JsonObject http = config.getJsonObject("http");
    JsonObject bridge = config.getJsonObject("bridge");
    long timeout = bridge.getLong("replyTimeoutMs", 10_000L);
    EventBus eb = vertx.eventBus();

    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/health/ready").handler(readiness);
    if (services.registry() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(services.registry()));
    }

    // Each API route carries its own body and auth handlers, so that the metrics' route label is
    // the route's template alone rather than every prefix route the request passed through.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(http.getLong("maxBodyBytes", 1_048_576L));
    AuthenticateHandler auth = AuthenticateHandler.bearer(services.tokens());
    contract = ApiContract.register(vertx, router);
    router.post("/api/v1/auth/dev-token").handler(body).handler(this::devToken);
    router.get("/api/v1/client-config").handler(auth).handler(this::clientConfig);
    router.get("/api/v1/me").handler(auth).handler(ctx -> json(ctx, 200, AuthenticateHandler.identity(ctx).toJson()));
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
    storageRoutes(router, body, auth, timeout);
    router.route("/api/v1/*").handler(auth).handler(ctx -> ctx.fail(ParleyException.notFound("no such endpoint: "
      + ctx.request().method() + " " + ctx.request().path())));

    AuthorizeBridgeHandler guard = new AuthorizeBridgeHandler(eb, services.tokens(), services.metrics(),
      services.openTelemetry(), new AuthorizeBridgeHandler.Limits(
      bridge.getInteger("maxFrameBytes", 65_536), bridge.getLong("membershipCacheMs", 5_000L),
      config.getJsonObject("chat").getDouble("ratePerSecond", 5d), config.getJsonObject("chat").getDouble("burst", 10d),
      timeout));
    SockJSBridgeOptions bridgeOptions = new SockJSBridgeOptions()
      .setMaxHandlersPerSocket(bridge.getInteger("maxHandlersPerSocket", 32))
      .setMaxAddressLength(200)
      .setPingTimeout(bridge.getLong("pingTimeoutMs", 30_000L))
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
      webroot.handle(ctx);
    });

    router.route().failureHandler(new RenderErrorHandler());
    router.route().last().handler(ctx -> ctx.fail(404));

    // The transport accepts frames up to 4x the contract's limits so that the handlers can refuse
    // oversized ones with their proper codes (bridge: 413 error frame; audio: close 1009) instead
    // of the connection being dropped (1006).
    int maxFrame = 4 * Math.max(bridge.getInteger("maxFrameBytes", 65_536), StreamAudioHandler.MAX_FRAME_BYTES);
    HttpServerOptions options = new HttpServerOptions()
      .setHost(http.getString("host", "0.0.0.0"))
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
  private void storageRoutes(Router router, BodyHandler body, AuthenticateHandler auth, long timeout) {
    Storage storage = services.storage();
    JsonObject blobs = services.config().getJsonObject("blobs");
    ObjectAccess access = new ObjectAccess(new MeetingAccess(services.meetings()), storage.objects());
    router.post("/api/v1/meetings/:meetingId/recordings").handler(auth)
      .handler(new UploadObjectHandler(vertx, "recording", access, storage.store(), services.policies()));
    router.post("/api/v1/meetings/:meetingId/files").handler(auth)
      .handler(new UploadObjectHandler(vertx, "file", access, storage.store(), services.policies()));
    forward(router, body, auth, HttpMethod.POST, "/api/v1/meetings/:meetingId/recordings/chunked", Addresses.RECORDING_START, 201, timeout);
    router.put("/api/v1/recordings/:recordingId/content").handler(auth)
      .handler(new AppendRecordingChunkHandler(vertx, access, storage.store(), services.policies(),
        blobs.getLong("maxChunkBytes", 16_777_216L), new RedisLock(services.redis())));
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
        Math.max(timeout, blobs.getJsonObject("lifecycle", new JsonObject()).getLong("lockSeconds", 900L) * 1000)));
  }

  private void forward(Router router, BodyHandler body, AuthenticateHandler auth, HttpMethod method, String path,
                       String address, int status, long timeout) {
    router.route(method, path).handler(body).handler(auth).handler(contract.validator(method, path))
      .handler(new ForwardToServiceHandler(vertx.eventBus(), address, status, timeout));
  }

  private void devToken(RoutingContext ctx) {
    if (services.devIssuer() == null) {
      ctx.fail(ParleyException.notFound("the development token issuer is disabled"));
      return;
    }
    JsonObject request;
    try {
      request = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(ParleyException.badRequest("body is not a JSON object"));
      return;
    }
    if (request == null) {
      ctx.fail(ParleyException.badRequest("body must be a JSON object with name and tenant"));
      return;
    }
    try {
      json(ctx, 201, services.devIssuer().issue(request));
    } catch (ParleyException e) {
      ctx.fail(e);
    }
  }

  /**
   * What the web client needs once signed in: the STUN/TURN servers (TURN credentials are not for
   * anonymous callers) and whether the dev issuer is on.
   */
  private void clientConfig(RoutingContext ctx) {
    JsonObject webrtc = services.config().getJsonObject("webrtc");
    JsonArray ice = webrtc == null ? null : webrtc.getJsonArray("iceServers");
    json(ctx, 200, new JsonObject().put("iceServers", ice == null ? new JsonArray() : ice)
      .put("devSignIn", services.devIssuer() != null));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
