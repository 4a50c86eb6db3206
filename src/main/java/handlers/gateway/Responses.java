package handlers.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A JSON answer, the way every gateway route sends one. */
public final class Responses {

  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
