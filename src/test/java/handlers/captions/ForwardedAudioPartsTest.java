package handlers.captions;

import io.github.jaredmdobson.concentus.OpusException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the forwarded-audio path on their own: RTP parsing, reordering, Opus decoding and resampling, the silence gate. */
@DisplayName("Forwarded audio parts: RTP, jitter buffer, Opus 48 kHz -> 16 kHz, silence gate")
class ForwardedAudioPartsTest {

  static RtpPacket packet(int seq) {
    return RtpPacket.parse(RtpPacket.build(111, seq, seq * 960L, 7, new byte[] {(byte) seq}));
  }

  @Test
  @DisplayName("RTP: header fields, CSRCs, an extension and padding are read; short, non-v2, RTCP and bad padding are refused")
  void rtp() {
    RtpPacket p = RtpPacket.parse(RtpPacket.build(111, 65535, 4_000_000_000L, 0xfedcba98L, new byte[] {1, 2, 3}));
    assertNotNull(p);
    assertEquals(111, p.payloadType());
    assertEquals(65535, p.sequence());
    assertEquals(4_000_000_000L, p.timestamp());
    assertEquals(0xfedcba98L, p.ssrc());
    assertArrayEquals(new byte[] {1, 2, 3}, p.payload());
    // one CSRC, a one-word extension, two bytes of padding
    Buffer full = Buffer.buffer().appendByte((byte) 0xB1).appendByte((byte) (0x80 | 111)).appendUnsignedShort(9)
      .appendUnsignedInt(960).appendUnsignedInt(5).appendUnsignedInt(77)
      .appendUnsignedShort(0xBEDE).appendUnsignedShort(1).appendUnsignedInt(0x10203040)
      .appendBytes(new byte[] {9, 8}).appendByte((byte) 0).appendByte((byte) 2);
    RtpPacket q = RtpPacket.parse(full);
    assertNotNull(q);
    assertTrue(q.marker());
    assertArrayEquals(new byte[] {9, 8}, q.payload());
    assertNull(RtpPacket.parse(Buffer.buffer(new byte[11])), "shorter than a header");
    assertNull(RtpPacket.parse(Buffer.buffer().appendByte((byte) 0x40).appendBytes(new byte[15])), "version 1");
    assertNull(RtpPacket.parse(Buffer.buffer().appendByte((byte) 0x80).appendByte((byte) 200).appendBytes(new byte[20])), "RTCP SR");
    assertNull(RtpPacket.parse(Buffer.buffer().appendByte((byte) 0xA0).appendByte((byte) 111).appendBytes(new byte[10])
      .appendByte((byte) 1).appendByte((byte) 40)), "padding longer than the packet");
    assertNull(RtpPacket.parse(Buffer.buffer().appendByte((byte) 0x90).appendByte((byte) 111).appendBytes(new byte[10])
      .appendUnsignedShort(0xBEDE).appendUnsignedShort(50)), "extension beyond the datagram");
    assertNull(RtpPacket.parse(RtpPacket.build(111, 1, 1, 1, new byte[0])), "no payload");
  }

  static List<Integer> seqs(List<RtpReorderBuffer.Released> out) {
    return out.stream().map(r -> r.packet().sequence()).toList();
  }

  @Test
  @DisplayName("jitter buffer: reordered packets come out in order, duplicates and late ones are dropped, a gap is declared lost after the depth, across the wrap")
  void reorder() {
    RtpReorderBuffer buffer = new RtpReorderBuffer(3);
    assertEquals(List.of(65533), seqs(buffer.add(packet(65533))));
    assertEquals(List.of(), seqs(buffer.add(packet(65535))), "65534 is awaited");
    assertEquals(List.of(65534, 65535), seqs(buffer.add(packet(65534))));
    assertEquals(List.of(), seqs(buffer.add(packet(65534))), "a repeat of one already released");
    assertEquals(1, buffer.late());
    assertEquals(List.of(), seqs(buffer.add(packet(1))), "0 is awaited");
    assertEquals(List.of(0, 1), seqs(buffer.add(packet(0))), "across the wrap");
    // 2 is lost: 3, 4 wait; 5 makes the depth: 3 comes out with a gap of one
    assertEquals(List.of(), seqs(buffer.add(packet(3))));
    assertEquals(List.of(), seqs(buffer.add(packet(3))), "a duplicate of one waiting");
    assertEquals(1, buffer.duplicates());
    assertEquals(List.of(), seqs(buffer.add(packet(4))));
    List<RtpReorderBuffer.Released> out = buffer.add(packet(5));
    assertEquals(List.of(3, 4, 5), seqs(out));
    assertEquals(1, out.get(0).lost());
    assertEquals(1, buffer.lost());
    assertEquals(List.of(), seqs(buffer.add(packet(2))), "too late now");
    assertEquals(2, buffer.late());
    assertEquals(List.of(20_000), seqs(buffer.add(packet(20_000))), "a jump (the sender restarted) starts over");
  }

  static byte[] tone(double hz, int samples48k) {
    short[] s = new short[samples48k];
    for (int i = 0; i < samples48k; i++) {
      s[i] = (short) (10_000 * Math.sin(2 * Math.PI * hz * i / 48_000));
    }
    return new OpusSpeechDecoder.Decimator().apply(s, samples48k);
  }

  static double rmsAfterWarmUp(byte[] pcm) {
    return SpeechGate.rms(java.util.Arrays.copyOfRange(pcm, 200, pcm.length));
  }

  @Test
  @DisplayName("48 kHz -> 16 kHz: a third of the samples; 1 kHz passes, 12 kHz (above the new Nyquist) is gone; packets join without a seam")
  void decimation() {
    byte[] low = tone(1000, 4800);
    assertEquals(2 * 1600, low.length);
    assertEquals(10_000 / Math.sqrt(2), rmsAfterWarmUp(low), 150, "1 kHz keeps its level");
    assertTrue(rmsAfterWarmUp(tone(12_000, 4800)) < 10_000 / Math.sqrt(2) / 100, "12 kHz is attenuated by more than 40 dB");
    // the same tone in uneven packets gives the same samples
    short[] s = new short[4800];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (10_000 * Math.sin(2 * Math.PI * 700 * i / 48_000));
    }
    OpusSpeechDecoder.Decimator whole = new OpusSpeechDecoder.Decimator();
    OpusSpeechDecoder.Decimator split = new OpusSpeechDecoder.Decimator();
    byte[] a = whole.apply(s, s.length);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    int[] cuts = {0, 961, 2000, 2001, 4800};
    for (int k = 0; k + 1 < cuts.length; k++) {
      short[] part = java.util.Arrays.copyOfRange(s, cuts[k], cuts[k + 1]);
      b.writeBytes(split.apply(part, part.length));
    }
    assertArrayEquals(a, b.toByteArray());
  }

  @Test
  @DisplayName("Opus: an encoded frame decodes to 20 ms at 16 kHz; garbage is refused with an exception; loss is concealed")
  void opus() throws Exception {
    byte[] speech = new byte[2 * 16_000];
    for (int i = 0; i < 16_000; i++) {
      short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
      speech[2 * i] = (byte) v;
      speech[2 * i + 1] = (byte) (v >> 8);
    }
    List<byte[]> frames = OpusRtp.frames(speech);
    assertEquals(50, frames.size());
    OpusSpeechDecoder decoder = new OpusSpeechDecoder();
    byte[] pcm = null;
    for (byte[] f : frames.subList(0, 10)) {
      pcm = decoder.decode(f);
      assertEquals(2 * 320, pcm.length);
    }
    assertTrue(SpeechGate.rms(pcm) > 3000, "the tone is there: " + SpeechGate.rms(pcm));
    assertEquals(3 * 2 * 320, decoder.conceal(3).length, "three lost packets concealed");
    assertEquals(OpusSpeechDecoder.MAX_CONCEALED * 2 * 320, decoder.conceal(50).length, "a long gap is concealed only so far");
    assertThrows(OpusException.class, () -> decoder.decode(new byte[0]));
    assertThrows(OpusException.class, () -> decoder.decode(new byte[] {0x03, 0x00}), "code 3 with no frames");
    assertEquals(2 * 320, decoder.decode(frames.get(10)).length, "and it decodes on after garbage");
  }

  @Test
  @DisplayName("silence gate: speech passes, then the hangover, then silence is held back except the preroll released before new speech")
  void gate() {
    SpeechGate gate = new SpeechGate(-50, 100, 40);
    byte[] loud = new byte[640];
    for (int i = 0; i < 320; i++) {
      short v = (short) (i % 2 == 0 ? 5000 : -5000);
      loud[2 * i] = (byte) v;
      loud[2 * i + 1] = (byte) (v >> 8);
    }
    byte[] quiet = new byte[640];
    assertNull(gate.offer(quiet), "silence before any speech is skipped");
    assertEquals(1280, gate.offer(loud).length, "the held 20 ms of silence comes out in front of the speech");
    // 100 ms of hangover = 5 chunks of 20 ms pass, the 6th does not
    for (int i = 0; i < 5; i++) {
      assertNotNull(gate.offer(quiet), "hangover chunk " + i);
    }
    assertNull(gate.offer(quiet));
    assertNull(gate.offer(quiet));
    assertNull(gate.offer(quiet));
    assertEquals(0, gate.hangoverLeft());
    // 40 ms preroll: two held chunks come out in front of the speech
    assertEquals(640 * 3, gate.offer(loud).length);
    assertEquals(3200, gate.hangoverLeft(), "100 ms of hangover owed after speech");
    assertEquals(3200, gate.fillHangover(10_000).length);
    assertEquals(0, gate.hangoverLeft());
    assertTrue(gate.skippedBytes() >= 640 * 4);
  }
}
