package handlers.gateway;

import common.ParleyException;
import handlers.AuthenticateHandler;
import handlers.RequestHandler;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import security.Identity;

/**
 * A REST route that is answered by a service over the event bus. The request becomes one JSON
 * object: the JSON body (for methods with a body) or the query parameters (for GET), with the
 * path parameters on top; the caller rides in the identity header. The reply is the response body.
 */
public final class ForwardToServiceHandler implements Handler<RoutingContext> {

  private final EventBus eventBus;
  private final String address;
  private final int successStatus;
  private final long timeoutMs;
  private final JsonObject fixed;

  public ForwardToServiceHandler(EventBus eventBus, String address, int successStatus, long timeoutMs) {
    this(eventBus, address, successStatus, timeoutMs, new JsonObject());
  }

  /** @param fixed fields set by the route itself, over anything the client sent */
  public ForwardToServiceHandler(EventBus eventBus, String address, int successStatus, long timeoutMs, JsonObject fixed) {
    this.fixed = fixed;
    this.eventBus = eventBus;
    this.address = address;
    this.successStatus = successStatus;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject request;
    try {
      request = requestOf(ctx).mergeIn(fixed);
    } catch (ParleyException e) {
      ctx.fail(e);
      return;
    }
    Identity caller = AuthenticateHandler.identity(ctx);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs)
      .addHeader(Identity.HEADER, caller.toJson().encode());
    eventBus.<JsonObject>request(address, request, options)
      .onSuccess(reply -> ctx.response().setStatusCode(statusOf(reply.headers().get(RequestHandler.STATUS_HEADER)))
        .putHeader("Content-Type", "application/json").end(reply.body().encode()))
      .onFailure(ctx::fail);
  }

  /** The route's status, or the one the service chose for this answer (202 for a join that waits). */
  private int statusOf(String chosen) {
    if (chosen != null) {
      try {
        int status = Integer.parseInt(chosen);
        if (status >= 200 && status < 300) {
          return status;
        }
      } catch (NumberFormatException ignored) {
        // the route's own
      }
    }
    return successStatus;
  }

  private static JsonObject requestOf(RoutingContext ctx) {
    JsonObject request = new JsonObject();
    switch (ctx.request().method().name()) {
      case "GET", "HEAD", "DELETE" -> ctx.queryParams().forEach(e -> request.put(e.getKey(), e.getValue()));
      default -> {
        String raw = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
        if (!raw.isBlank()) {
          String type = ctx.request().getHeader("Content-Type");
          if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw ParleyException.unsupportedType("send the body as application/json");
          }
          Object parsed;
          try {
            parsed = new JsonObject(raw);
          } catch (DecodeException | ClassCastException e) {
            throw ParleyException.badRequest("body is not a JSON object");
          }
          request.mergeIn((JsonObject) parsed);
        }
      }
    }
    ctx.pathParams().forEach(request::put);
    return request;
  }
}
