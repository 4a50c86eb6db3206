package handlers;

import common.ParleyException;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import security.Identity;
import security.TokenVerifier;

/**
 * Establishes the caller from {@code Authorization: Bearer <jwt>} (and, where a browser cannot set
 * headers, the {@code access_token} query parameter or {@code parley_token} cookie). The identity
 * is put in the routing context under {@link #IDENTITY}.
 */
public final class AuthenticateHandler implements Handler<RoutingContext> {

  public static final String IDENTITY = "parley.identity";
  public static final String COOKIE = "parley_token";

  private final TokenVerifier verifier;
  private final boolean allowQueryAndCookie;
  private final boolean optional;

  private AuthenticateHandler(TokenVerifier verifier, boolean allowQueryAndCookie, boolean optional) {
    this.verifier = verifier;
    this.allowQueryAndCookie = allowQueryAndCookie;
    this.optional = optional;
  }

  /** For the REST API: the header only. */
  public static AuthenticateHandler bearer(TokenVerifier verifier) {
    return new AuthenticateHandler(verifier, false, false);
  }

  /** For sockets (bridge, audio): header, query or cookie; without any, the request goes on unauthenticated. */
  public static AuthenticateHandler socket(TokenVerifier verifier) {
    return new AuthenticateHandler(verifier, true, true);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = tokenOf(ctx.request(), allowQueryAndCookie);
    if (token == null) {
      if (optional) {
        ctx.next();
      } else {
        ctx.fail(ParleyException.unauthorized("missing bearer token"));
      }
      return;
    }
    verifier.verify(token)
      .onSuccess(identity -> {
        ctx.put(IDENTITY, identity);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }

  public static Identity identity(RoutingContext ctx) {
    return ctx.get(IDENTITY);
  }

  static String tokenOf(HttpServerRequest request, boolean allowQueryAndCookie) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }
    if (allowQueryAndCookie) {
      String query = request.getParam("access_token");
      if (query != null) {
        return query;
      }
      Cookie cookie = request.getCookie(COOKIE);
      if (cookie != null) {
        return cookie.getValue();
      }
    }
    return null;
  }
}
