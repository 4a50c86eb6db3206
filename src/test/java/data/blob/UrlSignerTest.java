package data.blob;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Signed download URLs")
class UrlSignerTest {

  private final UrlSigner signer = new UrlSigner("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private final Instant now = Instant.parse("2026-01-01T10:00:00Z");
  private final String path = "/api/v1/recordings/acme/m1/recordings/r1";

  private long exp(String query) {
    return Long.parseLong(query.split("&")[0].substring("exp=".length()));
  }

  private String sig(String query) {
    return query.split("&")[1].substring("sig=".length());
  }

  @Test
  @DisplayName("A link verifies for its path until its expiry, and not a second later")
  void verifiesUntilExpiry() {
    String q = signer.sign(path, now.plusSeconds(300));
    assertTrue(q.matches("exp=\\d+&sig=[A-Za-z0-9_-]+"), q);
    assertEquals(now.plusSeconds(300).getEpochSecond(), exp(q));
    assertTrue(signer.verify(path, exp(q), sig(q), now));
    assertTrue(signer.verify(path, exp(q), sig(q), now.plusSeconds(300)));
    assertFalse(signer.verify(path, exp(q), sig(q), now.plusSeconds(301)));
  }

  @Test
  @DisplayName("An edited path, expiry or signature, or another key's signature, does not verify")
  void refusesEdits() {
    String q = signer.sign(path, now.plusSeconds(300));
    assertFalse(signer.verify(path + "2", exp(q), sig(q), now));
    assertFalse(signer.verify("/api/v1/recordings/acme/m1/recordings/r2", exp(q), sig(q), now));
    assertFalse(signer.verify(path, exp(q) + 3600, sig(q), now));
    String s = sig(q);
    String flipped = (s.charAt(0) == 'A' ? 'B' : 'A') + s.substring(1);
    assertFalse(signer.verify(path, exp(q), flipped, now));
    assertFalse(signer.verify(path, exp(q), "", now));
    assertFalse(signer.verify(path, exp(q), "not base64!!", now));
    assertFalse(signer.verify(path, exp(q), null, now));
    UrlSigner other = new UrlSigner("another-secret-key-of-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    assertFalse(other.verify(path, exp(q), sig(q), now));
  }

  @Test
  @DisplayName("Keys shorter than 32 bytes are refused; base64 keys and random keys work")
  void keys() {
    assertThrows(IllegalArgumentException.class, () -> new UrlSigner(new byte[16]));
    String b64 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    UrlSigner same = UrlSigner.fromBase64(b64);
    String q = signer.sign(path, now.plusSeconds(60));
    assertTrue(same.verify(path, exp(q), sig(q), now));
    UrlSigner random = UrlSigner.withRandomKey();
    String r = random.sign(path, now.plusSeconds(60));
    assertTrue(random.verify(path, exp(r), sig(r), now));
    assertFalse(signer.verify(path, exp(r), sig(r), now));
  }
}
