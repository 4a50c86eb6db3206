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
  private final OriginPolicy origins;

  private AuthenticateHandler(TokenVerifier verifier, boolean allowQueryAndCookie, boolean optional, OriginPolicy origins) {
    this.verifier = verifier;
    this.allowQueryAndCookie = allowQueryAndCookie;
    this.optional = optional;
    this.origins = origins;
  }

  /** For the REST API: the header only. */
  public static AuthenticateHandler bearer(TokenVerifier verifier) {
    return new AuthenticateHandler(verifier, false, false, null);
  }

  /** For routes that answer anyone, and say more to a signed-in caller: the header only; without one, the request goes on unauthenticated. */
  public static AuthenticateHandler optionalBearer(TokenVerifier verifier) {
    return new AuthenticateHandler(verifier, false, true, null);
  }

  /**
   * For sockets (bridge, audio): header, query or cookie; without any, the request goes on
   * unauthenticated. A token from the cookie counts only when {@code origins} allows the page that
   * opened the socket (403 otherwise).
   */
  public static AuthenticateHandler socket(TokenVerifier verifier, OriginPolicy origins) {
    return new AuthenticateHandler(verifier, true, true, origins);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = tokenOf(ctx.request(), allowQueryAndCookie);
    if (token != null && origins != null && fromCookie(ctx.request()) && !origins.allows(ctx.request())) {
      ctx.fail(ParleyException.forbidden("this page's origin may not use the sign-in cookie here: "
        + ctx.request().getHeader("Origin")));
      return;
    }
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

  /** True when the token {@link #tokenOf} finds is the cookie's (no header, no query parameter). */
  private static boolean fromCookie(HttpServerRequest request) {
    return request.getHeader("Authorization") == null && request.getParam("access_token") == null;
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
