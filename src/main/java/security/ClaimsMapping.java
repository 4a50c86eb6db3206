package security;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Everything about a JWT that we check ourselves, whichever library verified its signature:
 * the header's algorithm (RS/ES/PS only, so {@code alg:none} and HS256-signed-with-the-public-key
 * are refused before any key is looked up), issuer, audience, expiry and not-before with a small
 * leeway, and the mapping of configurable claims onto an {@link Identity}.
 */
public final class ClaimsMapping {

  static final Set<String> ALLOWED_ALGORITHMS = Set.of(
    "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512");

  private final String issuer;
  private final String audience;
  private final String tenantClaim;
  private final String rolesClaim;
  private final String nameClaim;
  private final String emailClaim;
  private final String localeClaim;
  private final String defaultTenant;
  private final long leewaySeconds;

  public ClaimsMapping(JsonObject auth, String issuer, String audience) {
    this.issuer = issuer;
    this.audience = audience;
    this.tenantClaim = auth.getString("tenantClaim", "tid");
    this.rolesClaim = auth.getString("rolesClaim", "roles");
    this.nameClaim = auth.getString("nameClaim", "name");
    this.emailClaim = auth.getString("emailClaim", "email");
    this.localeClaim = auth.getString("localeClaim", "locale");
    this.defaultTenant = auth.getString("defaultTenant");
    this.leewaySeconds = auth.getLong("leewaySeconds", 30L);
  }

  public long leewaySeconds() {
    return leewaySeconds;
  }

  /** Decodes and checks the header without verifying the signature: cheap refusals first. */
  public static void checkHeader(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw ParleyException.unauthorized("malformed token");
    }
    if (parts[2].isEmpty()) {
      throw ParleyException.unauthorized("unsigned tokens are not accepted");
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[0]), java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw ParleyException.unauthorized("malformed token header");
    }
    String alg = header.getValue("alg") instanceof String s ? s : null;
    if (alg == null || !ALLOWED_ALGORITHMS.contains(alg)) {
      throw ParleyException.unauthorized("token algorithm '" + alg + "' is not accepted; use RS, ES or PS");
    }
  }

  /** The {@code kid} of a token's header, or null. Only call after {@link #checkHeader}. */
  static String keyId(String token) {
    try {
      String header = token.substring(0, token.indexOf('.'));
      Object kid = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(header),
        java.nio.charset.StandardCharsets.UTF_8)).getValue("kid");
      return kid instanceof String s && s.length() <= 200 ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * What is wrong with a token's time claims ({@code exp}, {@code nbf}, {@code iat}), allowing
   * {@code leewaySeconds} of clock skew, or null when they hold.
   */
  String timeProblem(JsonObject claims) {
    if (claims == null) {
      return null;
    }
    long now = Instant.now().getEpochSecond();
    Long exp = numeric(claims, "exp");
    if (exp != null && now - leewaySeconds > exp) {
      return "token expired " + (now - exp) + " s ago";
    }
    Long nbf = numeric(claims, "nbf");
    if (nbf != null && now + leewaySeconds < nbf) {
      return "token not valid yet: its nbf is " + (nbf - now) + " s in the future (check the clocks)";
    }
    Long iat = numeric(claims, "iat");
    if (iat != null && now + leewaySeconds < iat) {
      return "token issued in the future: its iat is " + (iat - now) + " s ahead (check the clocks)";
    }
    return null;
  }

  /** A token's payload, decoded without checking its signature (only to word a refusal), or null. */
  static JsonObject unverifiedPayload(String token) {
    try {
      String[] parts = token.split("\\.", -1);
      return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Checks registered claims and maps the rest onto an identity. */
  public Identity toIdentity(JsonObject claims) {
    if (issuer != null && !issuer.equals(claims.getString("iss"))) {
      throw ParleyException.unauthorized("token issuer is not trusted");
    }
    if (audience != null && !audienceMatches(claims.getValue("aud"))) {
      throw ParleyException.unauthorized("token audience does not include " + audience);
    }
    if (numeric(claims, "exp") == null) {
      throw ParleyException.unauthorized("token has no expiry");
    }
    String timeProblem = timeProblem(claims);
    if (timeProblem != null) {
      throw ParleyException.unauthorized(timeProblem);
    }
    String subject = claims.getString("sub");
    if (subject == null || subject.isBlank()) {
      throw ParleyException.unauthorized("token has no subject");
    }
    String tenant = stringClaim(claims, tenantClaim);
    if (tenant == null) {
      tenant = defaultTenant;
    }
    if (tenant == null || !Tenants.isValidId(tenant)) {
      throw ParleyException.unauthorized("token has no usable tenant claim '" + tenantClaim + "'");
    }
    String name = firstNonBlank(stringClaim(claims, nameClaim), claims.getString("preferred_username"), subject);
    return new Identity(subject, tenant, name, stringClaim(claims, emailClaim), roles(claims.getValue(rolesClaim)),
      stringClaim(claims, localeClaim));
  }

  private boolean audienceMatches(Object aud) {
    if (aud instanceof String s) {
      return s.equals(audience);
    }
    if (aud instanceof JsonArray array) {
      return array.contains(audience);
    }
    return false;
  }

  private static Long numeric(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    return v instanceof Number n ? n.longValue() : null;
  }

  private static String stringClaim(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  private static List<String> roles(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(r -> out.add(String.valueOf(r)));
    } else if (value instanceof String s) {
      out.addAll(Arrays.asList(s.trim().split("[\\s,]+")));
    }
    out.removeIf(String::isBlank);
    return out;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
