package data.blob;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Signed download links for the filesystem store, which has no SAS of its own: the server signs
 * {@code path + expiry} with HMAC-SHA256 and checks it when the link is used. A link whose path or
 * expiry was edited, or that has expired, does not verify. Immutable and thread-safe.
 */
public final class UrlSigner {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] key;

  /** @param key the secret, at least 32 bytes (keep it in configuration, shared by all nodes) */
  public UrlSigner(byte[] key) {
    if (key == null || key.length < 32) {
      throw new IllegalArgumentException("the URL signing key must have at least 32 bytes");
    }
    this.key = key.clone();
  }

  /** A signer with a fresh random key: links die with this process (one node, development). */
  public static UrlSigner withRandomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new UrlSigner(k);
  }

  /** A signer from a base64 (standard or URL-safe) secret. */
  public static UrlSigner fromBase64(String secret) {
    try {
      return new UrlSigner(Base64.getMimeDecoder().decode(secret.replace('-', '+').replace('_', '/')));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the URL signing key is not base64: " + e.getMessage());
    }
  }

  /** The query {@code exp=<epoch seconds>&sig=<base64url>} that authorises {@code path} until {@code expiresAt}. */
  public String sign(String path, Instant expiresAt) {
    long exp = expiresAt.getEpochSecond();
    return "exp=" + exp + "&sig=" + B64.encodeToString(mac(path, exp));
  }

  /**
   * True only when {@code sig} is this signer's signature of exactly {@code path} and {@code exp},
   * and {@code now} is not past {@code exp}. The comparison takes the same time wherever they differ.
   */
  public boolean verify(String path, long exp, String sig, Instant now) {
    if (path == null || sig == null || sig.length() > 128) {
      return false;
    }
    byte[] given;
    try {
      given = B64D.decode(sig);
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean matches = MessageDigest.isEqual(mac(path, exp), given);
    return matches && now.getEpochSecond() <= exp;
  }

  private byte[] mac(String path, long exp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      // A separator that cannot appear in a path keeps (path, exp) pairs unambiguous.
      return mac.doFinal((path + "\n" + exp).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
