package security;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.TokenCredentials;

/**
 * Verifies a JWT's signature with a Vert.x auth provider (the OIDC provider's JWKS, or the dev
 * issuer's key), then applies {@link ClaimsMapping}. The algorithm check happens first, so a
 * forged header never reaches key selection.
 */
final class JwtTokenVerifier implements TokenVerifier {

  private final AuthenticationProvider provider;
  private final ClaimsMapping claims;
  private final String mode;

  JwtTokenVerifier(AuthenticationProvider provider, ClaimsMapping claims, String mode) {
    this.provider = provider;
    this.claims = claims;
    this.mode = mode;
  }

  @Override
  public String mode() {
    return mode;
  }

  @Override
  public Future<Identity> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ParleyException.unauthorized("missing bearer token"));
    }
    try {
      ClaimsMapping.checkHeader(token);
    } catch (ParleyException e) {
      return Future.failedFuture(e);
    }
    return provider.authenticate(new TokenCredentials(token))
      .recover(err -> Future.failedFuture(ParleyException.unauthorized(describe(err, token))))
      .map(user -> claims.toIdentity(decodedClaims(user)));
  }

  private static JsonObject decodedClaims(User user) {
    JsonObject accessToken = user.attributes().getJsonObject("accessToken");
    return accessToken != null ? accessToken : user.principal();
  }

  /**
   * What is wrong, in words a caller can act on. The provider says "expired" for every time claim
   * it refuses (a future {@code nbf} too), so time claims are told apart here from the token's own claims,
   * read without trusting them: the token is refused whatever they say.
   */
  private String describe(Throwable err, String token) {
    String message = err.getMessage() == null ? "" : err.getMessage().toLowerCase();
    String timeProblem = message.contains("signature") ? null : claims.timeProblem(ClaimsMapping.unverifiedPayload(token));
    if (timeProblem != null) {
      return timeProblem;
    }
    if (message.contains("expired")) {
      return "token expired";
    }
    if (message.contains("issuer") || message.contains("iss")) {
      return "token issuer is not trusted";
    }
    if (message.contains("audience") || message.contains("aud")) {
      return "token audience is not accepted";
    }
    return "invalid token signature or claims";
  }
}
