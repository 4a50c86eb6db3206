package handlers.gateway;

import handlers.AuthenticateHandler;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/client-config}: what the web client needs. To anyone: whether the development
 * issuer is on, and the OIDC provider to sign in with ({@code oidc: {issuer, clientId, scopes}}, when
 * the server validates an issuer's tokens); to a signed-in caller also the STUN/TURN servers (TURN
 * credentials are not for anonymous callers) and how meetings carry media
 * ({@code media: {mode: sfu|mesh, meshMax}}).
 */
public final class GetClientConfigHandler implements Handler<RoutingContext> {

  private final JsonObject anyone;
  private final JsonObject signedIn;

  /** @param oidc {@code {issuer, clientId, scopes}}, or null when the browser cannot sign in through OIDC */
  public GetClientConfigHandler(JsonArray iceServers, boolean devSignIn, JsonObject oidc, JsonObject media) {
    this.anyone = new JsonObject().put("devSignIn", devSignIn).put("oidc", oidc);
    this.signedIn = anyone.copy().put("iceServers", iceServers.copy()).put("media", media.copy());
  }

  @Override
  public void handle(RoutingContext ctx) {
    Responses.json(ctx, 200, AuthenticateHandler.identity(ctx) == null ? anyone : signedIn);
  }
}
