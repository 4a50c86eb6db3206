package handlers.captions;

import io.vertx.core.buffer.Buffer;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The receiving side of SRTP (RFC 3711) for one forwarded stream, as Janus's VideoRoom protects
 * {@code rtp_forward}'s packets with libsrtp when given {@code srtp_suite} and {@code srtp_crypto}:
 * AES_CM_128_HMAC_SHA1_80 (suite 80) or AES_CM_128_HMAC_SHA1_32 (suite 32), the master key and salt
 * being the 30 bytes whose base64 is {@code srtp_crypto} (16 of key, then 14 of salt), no MKI, key
 * derivation rate 0. Session keys are derived once (the AES-CM PRF of RFC 3711 4.3); each packet's
 * index is estimated from its sequence number and the rollover counter (Appendix A), its tag
 * checked (HMAC-SHA1 over the header, the encrypted payload and the ROC) before anything else is
 * believed, replays within a 64-packet window refused, and its payload decrypted with AES in
 * counter mode under the IV of RFC 3711 4.1.1. Only an authenticated packet moves the ROC and the
 * window. Not thread-safe: one instance per stream, used on its socket's event loop.
 */
final class SrtpDecryptor {

  static final int MASTER_KEY_BYTES = 16;
  static final int MASTER_SALT_BYTES = 14;
  static final int MASTER_BYTES = MASTER_KEY_BYTES + MASTER_SALT_BYTES;
  static final int REPLAY_WINDOW = 64;

  private static final int LABEL_ENCRYPTION = 0x00;
  private static final int LABEL_AUTHENTICATION = 0x01;
  private static final int LABEL_SALT = 0x02;
  private static final int AUTH_KEY_BYTES = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What became of a datagram. */
  enum Outcome {
    /** Authenticated, fresh, decrypted. */
    OK,
    /** Not an SRTP packet at all: too short for a header and a tag, not version 2, a header beyond its end. */
    MALFORMED,
    /** Its tag is not the one this key gives: another key, a forgery, a damaged or truncated packet. */
    UNAUTHENTICATED,
    /** Already received, or older than the replay window (or than the stream's first packet). */
    REPLAYED
  }

  /** {@code rtp} is the plain RTP packet (header and decrypted payload, no tag) when {@code outcome} is OK, else null. */
  record Unprotected(Outcome outcome, Buffer rtp) {
  }

  private final int suite;
  private final int tagBytes;
  private final SecretKeySpec sessionKey;
  private final byte[] sessionSalt;
  private final Mac mac;
  private final Cipher cipher;
  private final byte[] roc = new byte[4];

  /** The highest authenticated index (ROC * 2^16 + SEQ), -1 before the first packet. */
  private long highest = -1;
  /** Bit i set: index {@code highest - i} has been received. */
  private long window;

  /**
   * @param suite  80 or 32 (bits of the authentication tag)
   * @param master the 30-byte master key and salt
   */
  SrtpDecryptor(int suite, byte[] master) {
    if (suite != 80 && suite != 32) {
      throw new IllegalArgumentException("SRTP suite must be 80 or 32 (AES_CM_128_HMAC_SHA1_80 or _32), not " + suite);
    }
    if (master == null || master.length != MASTER_BYTES) {
      throw new IllegalArgumentException("an SRTP master key and salt is " + MASTER_BYTES + " bytes");
    }
    this.suite = suite;
    this.tagBytes = suite / 8;
    byte[] key = Arrays.copyOfRange(master, 0, MASTER_KEY_BYTES);
    byte[] salt = Arrays.copyOfRange(master, MASTER_KEY_BYTES, MASTER_BYTES);
    this.sessionKey = new SecretKeySpec(derive(key, salt, LABEL_ENCRYPTION, 16), "AES");
    this.sessionSalt = derive(key, salt, LABEL_SALT, 14);
    try {
      this.mac = Mac.getInstance("HmacSHA1");
      this.mac.init(new SecretKeySpec(derive(key, salt, LABEL_AUTHENTICATION, AUTH_KEY_BYTES), "HmacSHA1"));
      this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks AES-CTR or HMAC-SHA1", e);
    }
  }

  /** A fresh random master key and salt. */
  static byte[] freshMaster() {
    byte[] master = new byte[MASTER_BYTES];
    RANDOM.nextBytes(master);
    return master;
  }

  /** {@code master} as Janus's {@code srtp_crypto} wants it: standard base64, padded. */
  static String crypto(byte[] master) {
    return Base64.getEncoder().encodeToString(master);
  }

  int suite() {
    return suite;
  }

  /** Checks, then decrypts, one datagram. */
  Unprotected unprotect(Buffer datagram) {
    int length = datagram.length();
    if (length < RtpPacket.HEADER_BYTES + tagBytes) {
      return new Unprotected(Outcome.MALFORMED, null);
    }
    int first = datagram.getUnsignedByte(0);
    if ((first >> 6) != 2) {
      return new Unprotected(Outcome.MALFORMED, null);
    }
    int header = RtpPacket.HEADER_BYTES + 4 * (first & 0x0f);
    if ((first & 0x10) != 0) {
      if (header + 4 > length - tagBytes) {
        return new Unprotected(Outcome.MALFORMED, null);
      }
      header += 4 + 4 * datagram.getUnsignedShort(header + 2);
    }
    int authenticated = length - tagBytes;
    if (header > authenticated) {
      return new Unprotected(Outcome.MALFORMED, null);
    }
    int seq = datagram.getUnsignedShort(2);
    long v = guessRoc(seq);
    long index = (v << 16) | seq;
    if (v < 0 || v > 0xffffffffL || replayed(index)) {
      return new Unprotected(Outcome.REPLAYED, null);
    }
    byte[] bytes = datagram.getBytes();
    roc[0] = (byte) (v >>> 24);
    roc[1] = (byte) (v >>> 16);
    roc[2] = (byte) (v >>> 8);
    roc[3] = (byte) v;
    mac.update(bytes, 0, authenticated);
    byte[] expected = mac.doFinal(roc);
    // compared in constant time, on the tag's length only
    if (!MessageDigest.isEqual(Arrays.copyOf(expected, tagBytes), Arrays.copyOfRange(bytes, authenticated, length))) {
      return new Unprotected(Outcome.UNAUTHENTICATED, null);
    }
    long ssrc = datagram.getUnsignedInt(8);
    byte[] plain = Arrays.copyOf(bytes, authenticated);
    try {
      cipher.init(Cipher.DECRYPT_MODE, sessionKey, new IvParameterSpec(iv(sessionSalt, ssrc, index)));
      cipher.doFinal(bytes, header, authenticated - header, plain, header);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    }
    accept(index);
    return new Unprotected(Outcome.OK, Buffer.buffer(plain));
  }

  // --- Index, rollover and replay (RFC 3711 3.3.1, 3.3.2, Appendix A) ---

  private long guessRoc(int seq) {
    if (highest < 0) {
      return 0;
    }
    long rocNow = highest >>> 16;
    int sl = (int) (highest & 0xffff);
    if (sl < 32768) {
      return seq - sl > 32768 ? rocNow - 1 : rocNow;
    }
    return sl - 32768 > seq ? rocNow + 1 : rocNow;
  }

  private boolean replayed(long index) {
    if (highest < 0 || index > highest) {
      return false;
    }
    long behind = highest - index;
    return behind >= REPLAY_WINDOW || (window & (1L << behind)) != 0;
  }

  private void accept(long index) {
    if (highest < 0) {
      highest = index;
      window = 1;
    } else if (index > highest) {
      long ahead = index - highest;
      window = ahead >= REPLAY_WINDOW ? 1 : (window << ahead) | 1;
      highest = index;
    } else {
      window |= 1L << (highest - index);
    }
  }

  /** The rollover counter now (for tests). */
  long rolloverCounter() {
    return highest < 0 ? 0 : highest >>> 16;
  }

  // --- The RFC's primitives, package-private for its test vectors ---

  /** Session key derivation with key derivation rate 0 (RFC 3711 4.3.1): AES-CM under the master key of (label XOR salt) * 2^16. */
  static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    byte[] iv = Arrays.copyOf(masterSalt, 16);
    iv[7] ^= (byte) label; // key_id = label || r (r = 0), 56 bits, right-aligned with the 112-bit salt
    return keystream(masterKey, iv, length);
  }

  /** {@code length} bytes of AES-CM keystream from the counter block {@code iv} (RFC 3711 4.1.1). */
  static byte[] keystream(byte[] key, byte[] iv, int length) {
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return aes.doFinal(new byte[length]);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    }
  }

  /** IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), 128 bits (RFC 3711 4.1.1). */
  static byte[] iv(byte[] sessionSalt, long ssrc, long index) {
    byte[] iv = Arrays.copyOf(sessionSalt, 16);
    for (int b = 0; b < 4; b++) {
      iv[4 + b] ^= (byte) (ssrc >>> (24 - 8 * b));
    }
    for (int b = 0; b < 6; b++) {
      iv[8 + b] ^= (byte) (index >>> (40 - 8 * b));
    }
    return iv;
  }
}
