package handlers.captions;

import io.vertx.core.buffer.Buffer;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The sending side of SRTP as libsrtp does it for Janus's forwarder (RFC 3711: AES-CM, HMAC-SHA1
 * tag of 80 or 32 bits, ROC counting the sequence number's wraps from 0), for tests and benches
 * that play Janus. Built on the primitives the RFC's vectors check ({@link SrtpDecryptor#derive},
 * {@link SrtpDecryptor#iv}); the authentication and the ROC are its own.
 */
final class SrtpSender {

  private final int tagBytes;
  private final byte[] key;
  private final byte[] salt;
  private final Mac mac;
  private long roc;
  private int lastSeq = -1;

  SrtpSender(int suite, byte[] master) {
    this.tagBytes = suite / 8;
    byte[] masterKey = Arrays.copyOfRange(master, 0, 16);
    byte[] masterSalt = Arrays.copyOfRange(master, 16, 30);
    this.key = SrtpDecryptor.derive(masterKey, masterSalt, 0, 16);
    this.salt = SrtpDecryptor.derive(masterKey, masterSalt, 2, 14);
    try {
      mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(SrtpDecryptor.derive(masterKey, masterSalt, 1, 20), "HmacSHA1"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Protects {@code rtp} (its header length taken from its CSRC count and extension), packets given in sending order. */
  Buffer protect(Buffer rtp) {
    int seq = rtp.getUnsignedShort(2);
    if (lastSeq >= 0 && seq < lastSeq && lastSeq - seq > 32768) {
      roc++;
    }
    lastSeq = seq;
    return protect(rtp, roc);
  }

  /** Protects {@code rtp} under rollover counter {@code roc}, whatever came before. */
  Buffer protect(Buffer rtp, long roc) {
    byte[] bytes = rtp.getBytes();
    int first = bytes[0] & 0xff;
    int header = 12 + 4 * (first & 0x0f);
    if ((first & 0x10) != 0) {
      header += 4 + 4 * rtp.getUnsignedShort(header + 2);
    }
    long index = (roc << 16) | rtp.getUnsignedShort(2);
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(SrtpDecryptor.iv(salt, rtp.getUnsignedInt(8), index)));
      byte[] out = Arrays.copyOf(bytes, bytes.length + tagBytes);
      aes.doFinal(bytes, header, bytes.length - header, out, header);
      mac.update(out, 0, bytes.length);
      byte[] tag = mac.doFinal(new byte[] {(byte) (roc >>> 24), (byte) (roc >>> 16), (byte) (roc >>> 8), (byte) roc});
      System.arraycopy(tag, 0, out, bytes.length, tagBytes);
      return Buffer.buffer(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
