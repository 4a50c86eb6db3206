package handlers.captions;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("SRTP receiving side: RFC 3711's vectors, both suites, rollover, and tampered, replayed, truncated packets refused")
class SrtpDecryptorTest {

  static final HexFormat HEX = HexFormat.of().withUpperCase();
  static final long SSRC = 0xDECAFBADL;

  static byte[] hex(String s) {
    return HEX.parseHex(s.replaceAll("\\s", ""));
  }

  static Buffer rtp(int seq, byte[] payload) {
    return RtpPacket.build(111, seq, 960L * seq, SSRC, payload);
  }

  static byte[] payload(int seq) {
    byte[] p = new byte[60];
    Arrays.fill(p, (byte) seq);
    p[0] = (byte) 0x78; // an Opus TOC byte, as Chromium sends
    return p;
  }

  static SrtpDecryptor.Unprotected ok(SrtpDecryptor rx, Buffer packet) {
    SrtpDecryptor.Unprotected u = rx.unprotect(packet);
    assertEquals(SrtpDecryptor.Outcome.OK, u.outcome());
    return u;
  }

  @Test
  @DisplayName("RFC 3711 B.3: the cipher key, cipher salt and authentication key derived from the master key and salt")
  void keyDerivation() {
    byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
    assertEquals("C61E7A93744F39EE10734AFE3FF7A087", HEX.formatHex(SrtpDecryptor.derive(key, salt, 0x00, 16)));
    assertEquals("30CBBC08863D8C85D49DB34A9AE1", HEX.formatHex(SrtpDecryptor.derive(key, salt, 0x02, 14)));
    assertEquals("CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE" + "E049646C43D9327AD175578EF7227098"
        + "6371C10C9A369AC2F94A8C5FBCDDDC25" + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2",
      HEX.formatHex(SrtpDecryptor.derive(key, salt, 0x01, 94)), "the RFC lists 94 bytes of the auth key stream; HMAC-SHA1 takes the first 20");
  }

  @Test
  @DisplayName("RFC 3711 B.2: the IV of SSRC 0, index 0 is the shifted salt, and the AES-CM keystream's first and last blocks")
  void keystream() {
    byte[] iv = SrtpDecryptor.iv(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0, 0);
    assertEquals("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", HEX.formatHex(iv));
    byte[] stream = SrtpDecryptor.keystream(hex("2B7E151628AED2A6ABF7158809CF4F3C"), iv, 1_044_512);
    assertEquals("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
      HEX.formatHex(stream, 0, 48));
    assertEquals("EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44",
      HEX.formatHex(stream, stream.length - 48, stream.length));
    // SSRC and index land where 4.1.1 puts them: SSRC * 2^64, index (ROC 1, SEQ 2) * 2^16
    assertEquals("F0F1F2F3" + "F5F7F5F3" + "F8F9FAFAFCFF" + "0000",
      HEX.formatHex(SrtpDecryptor.iv(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), 0x01020304L, (1L << 16) | 2)));
  }

  @ParameterizedTest(name = "suite {0}")
  @ValueSource(ints = {80, 32})
  @DisplayName("a stream protected with the key decrypts to the very packets, the tag 10 or 4 bytes, across the sequence wrap (ROC 0 -> 1) with reordering")
  void roundTripAcrossTheWrap(int suite) {
    byte[] master = SrtpDecryptor.freshMaster();
    SrtpSender tx = new SrtpSender(suite, master);
    SrtpDecryptor rx = new SrtpDecryptor(suite, master);
    int[] order = {65530, 65531, 65532, 65533, 65534, 0, 65535, 1, 2, 4, 3, 5};
    Buffer[] sent = new Buffer[order.length];
    // protected in sending order (the sender's ROC steps at 65535 -> 0), received in `order`
    int[] sending = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5};
    java.util.Map<Integer, Buffer> bySeq = new java.util.HashMap<>();
    for (int seq : sending) {
      Buffer packet = tx.protect(rtp(seq, payload(seq)));
      assertEquals(12 + 60 + suite / 8, packet.length());
      bySeq.put(seq, packet);
    }
    for (int i = 0; i < order.length; i++) {
      sent[i] = bySeq.get(order[i]);
      Buffer plain = ok(rx, sent[i]).rtp();
      assertEquals(rtp(order[i], payload(order[i])), plain, "packet " + order[i] + " decrypts to itself");
    }
    assertEquals(1, rx.rolloverCounter(), "the receiver's ROC followed the wrap");
    assertTrue(!Arrays.equals(payload(3), Arrays.copyOfRange(bySeq.get(3).getBytes(), 12, 72)), "the payload was encrypted on the wire");
  }

  @Test
  @DisplayName("a packet with CSRCs and a header extension: the header stays in the clear and authenticated, the payload decrypts")
  void csrcsAndExtension() {
    byte[] master = SrtpDecryptor.freshMaster();
    Buffer plain = Buffer.buffer().appendByte((byte) 0x92).appendByte((byte) 111).appendUnsignedShort(7).appendUnsignedInt(960 * 7)
      .appendUnsignedInt(SSRC).appendUnsignedInt(0x11111111L).appendUnsignedInt(0x22222222L)
      .appendUnsignedShort(0xBEDE).appendUnsignedShort(1).appendUnsignedInt(0x10ff0000L).appendBytes(payload(7));
    Buffer wire = new SrtpSender(80, master).protect(plain);
    assertEquals(plain.getBuffer(0, 28), wire.getBuffer(0, 28), "header, CSRCs and extension are not encrypted");
    Buffer back = ok(new SrtpDecryptor(80, master), wire).rtp();
    assertEquals(plain, back);
    RtpPacket packet = RtpPacket.parse(back);
    assertArrayEquals(payload(7), packet.payload());
  }

  @ParameterizedTest(name = "suite {0}")
  @ValueSource(ints = {80, 32})
  @DisplayName("tampered payload, header or tag, another key, another suite: unauthenticated; none of them moves the ROC or the window")
  void tampered(int suite) {
    byte[] master = SrtpDecryptor.freshMaster();
    SrtpSender tx = new SrtpSender(suite, master);
    SrtpDecryptor rx = new SrtpDecryptor(suite, master);
    ok(rx, tx.protect(rtp(100, payload(100))));
    Buffer next = tx.protect(rtp(101, payload(101)));
    for (int at : new int[] {1, 5, 9, 12, 40, next.length() - 1}) { // PT, timestamp, SSRC, payload, payload, tag
      Buffer bad = next.copy();
      bad.setByte(at, (byte) (bad.getByte(at) ^ 0x01));
      SrtpDecryptor.Unprotected u = rx.unprotect(bad);
      assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, u.outcome(), "a bit flipped at byte " + at);
      assertNull(u.rtp());
    }
    byte[] other = master.clone();
    other[3] ^= 0x40;
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(new SrtpSender(suite, other).protect(rtp(101, payload(101)))).outcome(),
      "another master key");
    byte[] otherSalt = master.clone();
    otherSalt[29] ^= 0x01;
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(new SrtpSender(suite, otherSalt).protect(rtp(101, payload(101)))).outcome(),
      "another master salt");
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(new SrtpSender(112 - suite, master).protect(rtp(101, payload(101))))
      .outcome(), "the other suite's tag length");
    // a forgery far ahead (trying to push the ROC on) is refused, and the genuine packet still comes in
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(new SrtpSender(suite, other).protect(rtp(30_000, payload(1)), 0))
      .outcome());
    assertEquals(rtp(101, payload(101)), ok(rx, next).rtp(), "the genuine packet is still taken after the forgeries");
    assertEquals(0, rx.rolloverCounter());
    // a plain RTP packet (what Janus sends when it was not given the key) is not taken either
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(rtp(102, payload(102))).outcome());
  }

  @Test
  @DisplayName("replays: the same packet twice, one already taken out of order, one older than the 64-packet window; new ones still come")
  void replayed() {
    byte[] master = SrtpDecryptor.freshMaster();
    SrtpSender tx = new SrtpSender(80, master);
    SrtpDecryptor rx = new SrtpDecryptor(80, master);
    Buffer[] packets = new Buffer[200];
    for (int seq = 0; seq < packets.length; seq++) {
      packets[seq] = tx.protect(rtp(1000 + seq, payload(seq)));
    }
    ok(rx, packets[0]);
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[0]).outcome(), "the same packet again");
    ok(rx, packets[5]);
    ok(rx, packets[3]); // late but within the window, never seen: taken
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[3]).outcome(), "a late one, again");
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[5]).outcome());
    ok(rx, packets[4]);
    ok(rx, packets[150]);
    ok(rx, packets[150 - SrtpDecryptor.REPLAY_WINDOW + 1]); // the oldest the window still holds
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[150 - SrtpDecryptor.REPLAY_WINDOW]).outcome(),
      "older than the window: refused even though never seen");
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[2]).outcome());
    ok(rx, packets[151]);
    ok(rx, packets[199]);
    assertEquals(SrtpDecryptor.Outcome.REPLAYED, rx.unprotect(packets[199]).outcome());
  }

  @Test
  @DisplayName("truncated and broken datagrams: shorter than header and tag, not version 2, an extension beyond the end (malformed); a cut tag (unauthenticated)")
  void truncated() {
    byte[] master = SrtpDecryptor.freshMaster();
    SrtpSender tx = new SrtpSender(80, master);
    SrtpDecryptor rx = new SrtpDecryptor(80, master);
    Buffer packet = tx.protect(rtp(9, payload(9)));
    assertEquals(SrtpDecryptor.Outcome.MALFORMED, rx.unprotect(Buffer.buffer()).outcome());
    assertEquals(SrtpDecryptor.Outcome.MALFORMED, rx.unprotect(packet.getBuffer(0, 21)).outcome(), "12 + 10 bytes are the least");
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(packet.getBuffer(0, packet.length() - 1)).outcome(),
      "one byte of the tag cut off");
    assertEquals(SrtpDecryptor.Outcome.UNAUTHENTICATED, rx.unprotect(packet.getBuffer(0, 40)).outcome(), "the payload cut");
    Buffer v1 = packet.copy();
    v1.setByte(0, (byte) 0x40);
    assertEquals(SrtpDecryptor.Outcome.MALFORMED, rx.unprotect(v1).outcome());
    Buffer longExtension = Buffer.buffer().appendByte((byte) 0x90).appendByte((byte) 111).appendUnsignedShort(10)
      .appendUnsignedInt(0).appendUnsignedInt(SSRC).appendUnsignedShort(0xBEDE).appendUnsignedShort(200).appendBytes(new byte[20]);
    assertEquals(SrtpDecryptor.Outcome.MALFORMED, rx.unprotect(longExtension).outcome());
    assertEquals(rtp(9, payload(9)), ok(rx, packet).rtp(), "and the whole packet is still taken");
  }

  @Test
  @DisplayName("bad settings are refused with a clear message; a fresh master is 30 random bytes, base64 as Janus's srtp_crypto")
  void settings() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SrtpDecryptor(64, new byte[30])).getMessage().contains("80 or 32"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SrtpDecryptor(80, new byte[29])).getMessage().contains("30 bytes"));
    byte[] a = SrtpDecryptor.freshMaster();
    byte[] b = SrtpDecryptor.freshMaster();
    assertEquals(30, a.length);
    assertTrue(!Arrays.equals(a, b), "two forwards never share a key");
    String crypto = SrtpDecryptor.crypto(a);
    assertEquals(40, crypto.length(), crypto);
    assertArrayEquals(a, java.util.Base64.getDecoder().decode(crypto));
  }
}
