package security;

import io.vertx.core.Future;

/**
 * Turns a bearer token into an {@link Identity}, or fails with a 401 {@code ParleyException}
 * whose message says why (expired, wrong issuer, unsupported algorithm...).
 */
public interface TokenVerifier {

  Future<Identity> verify(String token);

  /** "dev" or "oidc", for logs and {@code /health/ready}. */
  String mode();
}
