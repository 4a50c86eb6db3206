package handlers.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;

/**
 * The REST contract as an OpenAPI 3.1 document, kept in the source tree as {@value #RESOURCE},
 * served at {@value #PATH} (no token) and used to check request bodies before they reach a service
 * ({@link ValidateRequestHandler}). It is read and compiled once per Vert.x instance, however many
 * gateway instances there are; the gateway listens only once it has loaded, and a document that
 * cannot be compiled stops start-up with one line saying why.
 */
public final class ApiContract {

  /** Where the document is, on the class path. */
  public static final String RESOURCE = "openapi/parley.json";
  /** Where it is served. */
  public static final String PATH = "/api/v1/openapi.json";

  private static final String SHARED = "parley.openapi";

  /** The document as served, as JSON, and compiled with its validator. */
  record Loaded(Buffer document, JsonObject json, OpenAPIContract contract, RequestValidator validator) {
  }

  /** What the gateway instances of one Vert.x share: one load, and the router started last. */
  private static final class Shared implements Shareable {
    final Promise<Loaded> loaded = Promise.promise();
    volatile Router router;
  }

  private final Shared shared;

  private ApiContract(Shared shared) {
    this.shared = shared;
  }

  /**
   * Starts loading the contract (or joins the load another gateway instance started) and routes
   * {@code GET} {@value #PATH} on {@code router}; register it before the {@code /api/v1/*} catch-all.
   */
  public static ApiContract register(Vertx vertx, Router router) {
    Shared fresh = new Shared();
    Shared existing = vertx.sharedData().<String, Shared>getLocalMap(SHARED).putIfAbsent("contract", fresh);
    Shared shared = existing == null ? fresh : existing;
    if (existing == null) {
      load(vertx).onComplete(shared.loaded);
    }
    shared.router = router;
    router.get(PATH).handler(ctx -> shared.loaded.future()
      .onSuccess(loaded -> ctx.response().putHeader("Content-Type", "application/json").end(loaded.document()))
      .onFailure(ctx::fail));
    return new ApiContract(shared);
  }

  /** Completes once the contract is loaded; fails with the reason when it cannot be. */
  public Future<Void> ready() {
    return shared.loaded.future().mapEmpty();
  }

  /**
   * The check for the route {@code method path} (a Vert.x route path, {@code :param}): the
   * contract's schema for its JSON body when the route is one the gateway validates, else a step
   * that lets the request through. See {@link ValidateRequestHandler}.
   */
  public Handler<RoutingContext> validator(HttpMethod method, String routePath) {
    return new ValidateRequestHandler(shared.loaded.future(), method, openApiPath(routePath));
  }

  /** {@code /api/v1/meetings/:meetingId} as the document writes it: {@code /api/v1/meetings/{meetingId}}. */
  public static String openApiPath(String routePath) {
    return routePath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  /** The router of the gateway instance started last on {@code vertx}, or null: for the test that compares it with the document. */
  public static Router router(Vertx vertx) {
    Shared shared = vertx.sharedData().<String, Shared>getLocalMap(SHARED).get("contract");
    return shared == null ? null : shared.router;
  }

  private static Future<Loaded> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE)
      .compose(bytes -> {
        JsonObject json = new JsonObject(bytes);
        // from() adds bookkeeping fields to what it is given: it gets a copy.
        return OpenAPIContract.from(vertx, compilable(json))
          .map(contract -> new Loaded(bytes, json, contract, RequestValidator.create(vertx, contract)));
      })
      .recover(err -> Future.failedFuture(new IllegalStateException("the OpenAPI document " + RESOURCE
        + " cannot be used: " + err.getMessage() + (err.getCause() == null ? "" : " (" + err.getCause().getMessage() + ")"), err)));
  }

  /**
   * A copy that vertx-openapi 5.0 compiles: it takes only JSON, multipart, text and octet-stream
   * bodies, so the other media types (the uploads' video/webm, the transcript's text/vtt ...) are
   * left out of the copy, and a request body left with none is dropped. None of those bodies is
   * validated here: the upload handlers check them by their bytes. The document served is the
   * original.
   */
  static JsonObject compilable(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("paths", new JsonObject()).forEach(path -> ((JsonObject) path.getValue()).forEach(entry -> {
      if (!(entry.getValue() instanceof JsonObject operation) || "parameters".equals(entry.getKey())) {
        return;
      }
      if (operation.getValue("requestBody") instanceof JsonObject body && supportedOnly(body)) {
        operation.remove("requestBody");
      }
      operation.getJsonObject("responses", new JsonObject()).forEach(r -> supportedOnly(r.getValue()));
    }));
    copy.getJsonObject("components", new JsonObject()).getJsonObject("responses", new JsonObject())
      .forEach(r -> supportedOnly(r.getValue()));
    return copy;
  }

  /** Removes the unsupported media types of a request body or response; true when none is left. */
  private static boolean supportedOnly(Object bodyOrResponse) {
    if (!(bodyOrResponse instanceof JsonObject o) || !(o.getValue("content") instanceof JsonObject content)) {
      return false;
    }
    content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
    if (content.isEmpty()) {
      o.remove("content");
      return true;
    }
    return false;
  }
}
