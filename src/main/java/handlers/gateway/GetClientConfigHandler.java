package handlers.gateway;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/client-config}: what the web client needs once signed in: the STUN/TURN
 * servers (TURN credentials are not for anonymous callers) and whether the dev issuer is on.
 */
public final class GetClientConfigHandler implements Handler<RoutingContext> {

  private final JsonObject answer;

  public GetClientConfigHandler(JsonArray iceServers, boolean devSignIn) {
    this.answer = new JsonObject().put("iceServers", iceServers.copy()).put("devSignIn", devSignIn);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Responses.json(ctx, 200, answer);
  }
}
