package handlers.gateway;

import common.ParleyException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import security.DevTokenIssuer;

/** {@code POST /api/v1/auth/dev-token} {@code {name, tenant, email?, roles?}}: the development issuer; 404 when it is off. */
public final class IssueDevTokenHandler implements Handler<RoutingContext> {

  private final DevTokenIssuer issuer;

  /** @param issuer null when development sign-in is off */
  public IssueDevTokenHandler(DevTokenIssuer issuer) {
    this.issuer = issuer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (issuer == null) {
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
      // the name and e-mail end up in the users table
      handlers.Inputs.requireStorable(request);
      Responses.json(ctx, 201, issuer.issue(request));
    } catch (ParleyException e) {
      ctx.fail(e);
    }
  }
}
