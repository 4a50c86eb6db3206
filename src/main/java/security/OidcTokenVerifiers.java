package security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Production identity: any OIDC provider (Entra ID, Keycloak...). Discovery from the issuer URL
 * loads the JWKS; a token signed with an unknown {@code kid} triggers one JWKS reload (at most
 * every 30 s), which is how key rotation is followed.
 */
public final class OidcTokenVerifiers {

  private static final Logger LOG = LoggerFactory.getLogger(OidcTokenVerifiers.class);

  private static final long DISCOVERY_TIMEOUT_SECONDS = 20;

  private OidcTokenVerifiers() {
  }

  public static Future<TokenVerifier> discover(Vertx vertx, JsonObject auth) {
    String issuer = auth.getString("issuer");
    String audience = auth.getString("audience");
    if (audience == null || audience.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("auth.audience is required with auth.issuer (PARLEY_AUTH_AUDIENCE)"));
    }
    int leeway = auth.getInteger("leewaySeconds", 30);
    OAuth2Options options = new OAuth2Options()
      .setSite(issuer)
      // getString(key, default) gives null for a key present as null, as in the defaults file
      .setClientId(auth.getString("clientId") != null ? auth.getString("clientId") : audience)
      .setValidateIssuer(true)
      .setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(audience)).setLeeway(leeway));
    return OpenIDConnectAuth.discover(vertx, options)
      .timeout(DISCOVERY_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
      .recover(err -> Future.failedFuture(new IllegalStateException(
        "OIDC discovery failed for " + issuer + ": " + err.getMessage(), err)))
      .map(oauth2 -> new RotatingVerifier(oauth2, new JwtTokenVerifier(oauth2, new ClaimsMapping(auth, issuer, audience), "oidc")));
  }

  /**
   * Retries a failed verification once after reloading the JWKS: at most once per 30 s for a given
   * key id (so a rotated-in key is picked up on first sight), and at most every 250 ms overall (so
   * a flood of forged key ids cannot turn into a flood of JWKS requests).
   */
  private static final class RotatingVerifier implements TokenVerifier {
    private static final long PER_KID_INTERVAL_MS = 30_000;
    private static final long GLOBAL_INTERVAL_MS = 250;
    private static final int TRACKED_KIDS = 1_000;

    private final OAuth2Auth oauth2;
    private final TokenVerifier delegate;
    private final Map<String, Long> reloadedForKid = new ConcurrentHashMap<>();
    private final AtomicLong lastReload = new AtomicLong();

    RotatingVerifier(OAuth2Auth oauth2, TokenVerifier delegate) {
      this.oauth2 = oauth2;
      this.delegate = delegate;
    }

    @Override
    public String mode() {
      return delegate.mode();
    }

    @Override
    public Future<Identity> verify(String token) {
      return delegate.verify(token).recover(err -> {
        if (!(err instanceof common.ParleyException pe) || !pe.getMessage().startsWith("invalid token signature")
          || !mayReload(ClaimsMapping.keyId(token))) {
          return Future.failedFuture(err);
        }
        LOG.info("Token did not verify with the known keys; reloading the issuer's JWKS once");
        return oauth2.jWKSet()
          .recover(reloadErr -> {
            LOG.warn("JWKS reload failed: {}", reloadErr.getMessage());
            return Future.succeededFuture();
          })
          .compose(v -> delegate.verify(token));
      });
    }

    private boolean mayReload(String kid) {
      long now = System.currentTimeMillis();
      long previous = lastReload.get();
      String key = kid == null ? "" : kid;
      Long kidPrevious = reloadedForKid.get(key);
      if (kidPrevious != null && now - kidPrevious < PER_KID_INTERVAL_MS) {
        return false;
      }
      if (now - previous < GLOBAL_INTERVAL_MS || !lastReload.compareAndSet(previous, now)) {
        return false;
      }
      if (reloadedForKid.size() >= TRACKED_KIDS) {
        reloadedForKid.clear();
      }
      reloadedForKid.put(key, now);
      return true;
    }
  }
}
