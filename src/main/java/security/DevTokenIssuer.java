package security;

import common.ParleyException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The development identity provider: signs RS256 tokens with a key kept in the data folder, so
 * tokens survive a restart. Enabled only in dev mode; the gateway logs a loud warning.
 */
public final class DevTokenIssuer {

  private static final Logger LOG = LoggerFactory.getLogger(DevTokenIssuer.class);

  public static final String ISSUER = "parley-dev";
  public static final String AUDIENCE = "parley";

  private final JWTAuth jwt;
  private final int ttlSeconds;

  private DevTokenIssuer(JWTAuth jwt, int ttlSeconds) {
    this.jwt = jwt;
    this.ttlSeconds = ttlSeconds;
  }

  /** Loads or creates the signing key (blocking file I/O: call from a worker or at start-up). */
  public static DevTokenIssuer create(Vertx vertx, Path keyFile, JsonObject auth) {
    String privatePem = loadOrCreateKey(keyFile);
    String publicPem = publicPemOf(privatePem);
    JWTAuthOptions options = new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privatePem))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicPem))
      .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))
        .setLeeway(auth.getInteger("leewaySeconds", 30)));
    return new DevTokenIssuer(JWTAuth.create(vertx, options), auth.getInteger("devTokenTtlSeconds", 43200));
  }

  public TokenVerifier verifier(JsonObject auth) {
    return new JwtTokenVerifier(jwt, new ClaimsMapping(auth.copy().put("tenantClaim", "tid").put("rolesClaim", "roles")
      .put("nameClaim", "name").put("emailClaim", "email").put("localeClaim", "locale"), ISSUER, AUDIENCE), "dev");
  }

  /**
   * Issues a token for {@code {name, tenant, email?, roles?, locale?}}. The user id is derived from
   * tenant and e-mail (or name), so the same person gets the same id each time.
   */
  public JsonObject issue(JsonObject request) {
    String name = requiredString(request, "name", 100);
    String tenant = requiredString(request, "tenant", 63).toLowerCase();
    if (!Tenants.isValidId(tenant)) {
      throw ParleyException.badRequest("tenant must be lower-case letters, digits, '-' or '_' (at most 63)");
    }
    Object emailValue = request.getValue("email");
    if (emailValue != null && !(emailValue instanceof String)) {
      throw ParleyException.badRequest("email must be a string");
    }
    String email = (String) emailValue;
    if (email != null && (email.length() > 254 || !email.contains("@"))) {
      throw ParleyException.badRequest("email is not a valid address");
    }
    Object rolesValue = request.getValue("roles");
    if (rolesValue != null && !(rolesValue instanceof JsonArray)) {
      throw ParleyException.badRequest("roles must be an array of strings");
    }
    JsonArray roles = rolesValue == null ? new JsonArray() : (JsonArray) rolesValue;
    for (Object role : roles) {
      if (!(role instanceof String r) || !r.matches("[a-z][a-z0-9_-]{0,31}")) {
        throw ParleyException.badRequest("roles must be short lower-case names such as \"admin\"");
      }
    }
    String identityKey = tenant + "/" + (email != null ? email.toLowerCase() : name);
    String userId = UUID.nameUUIDFromBytes(identityKey.getBytes(StandardCharsets.UTF_8)).toString();
    JsonObject claims = new JsonObject().put("sub", userId).put("tid", tenant).put("name", name).put("roles", roles);
    if (email != null) {
      claims.put("email", email);
    }
    if (request.getValue("locale") instanceof String locale && locale.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
      claims.put("locale", locale);
    }
    String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setIssuer(ISSUER)
      .setAudience(List.of(AUDIENCE)).setExpiresInSeconds(ttlSeconds));
    return new JsonObject().put("token", token).put("userId", userId).put("tenant", tenant)
      .put("expiresIn", ttlSeconds);
  }

  private static String requiredString(JsonObject request, String field, int max) {
    Object value = request.getValue(field);
    if (value == null) {
      throw ParleyException.badRequest(field + " is required");
    }
    if (!(value instanceof String s)) {
      throw ParleyException.badRequest(field + " must be a string");
    }
    String trimmed = s.strip();
    if (trimmed.isEmpty()) {
      throw ParleyException.badRequest(field + " must not be blank");
    }
    if (trimmed.length() > max) {
      throw ParleyException.badRequest(field + " is longer than " + max + " characters");
    }
    return trimmed;
  }

  private static String loadOrCreateKey(Path keyFile) {
    try {
      if (Files.exists(keyFile)) {
        restrict(keyFile);
        return Files.readString(keyFile);
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
      Files.createDirectories(keyFile.getParent());
      Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      // Created owner-only, so that the key is never readable by others, not even for a moment.
      if (posix(keyFile.getParent())) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      Files.writeString(tmp, pem);
      Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      restrict(keyFile);
      return pem;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the dev issuer key at " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * The key file is the owner's alone (0600) and its folder is not open to other users (their
   * permissions removed): a dev signing key readable by others lets anyone on the machine mint tokens.
   */
  private static void restrict(Path keyFile) throws IOException {
    if (!posix(keyFile)) {
      return;
    }
    if (!Files.getPosixFilePermissions(keyFile).equals(OWNER_ONLY)) {
      LOG.warn("The dev issuer key {} was readable by others: its mode is now 0600", keyFile);
      Files.setPosixFilePermissions(keyFile, OWNER_ONLY);
    }
    Path folder = keyFile.toAbsolutePath().getParent();
    Set<PosixFilePermission> folderPerms = EnumSet.copyOf(Files.getPosixFilePermissions(folder));
    if (folderPerms.removeAll(EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_EXECUTE))) {
      Files.setPosixFilePermissions(folder, folderPerms);
    }
  }

  private static String publicPemOf(String privatePem) {
    try {
      String base64 = privatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      KeyFactory factory = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey key = (RSAPrivateCrtKey) factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      byte[] encoded = factory.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
      return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded)
        + "\n-----END PUBLIC KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the dev issuer key is unreadable: " + e.getMessage(), e);
    }
  }
}
