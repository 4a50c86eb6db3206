package handlers.captions;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Test and bench audio: 16 kHz PCM encoded as 20 ms Opus frames in RTP packets, as a browser sends them through Janus. */
final class OpusRtp {

  static final int PAYLOAD_TYPE = 111;
  static final int FRAME_16K = 320;

  private OpusRtp() {
  }

  /** The Opus frames of {@code pcm} (16 kHz S16LE mono), 20 ms each, the last one padded with silence. */
  static List<byte[]> frames(byte[] pcm) {
    try {
      OpusEncoder encoder = new OpusEncoder(16_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
      encoder.setBitrate(32_000);
      List<byte[]> frames = new ArrayList<>();
      short[] frame = new short[FRAME_16K];
      byte[] out = new byte[1275];
      int samples = pcm.length / 2;
      for (int start = 0; start < samples; start += FRAME_16K) {
        java.util.Arrays.fill(frame, (short) 0);
        for (int i = 0; i < FRAME_16K && start + i < samples; i++) {
          int at = 2 * (start + i);
          frame[i] = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
        }
        int n = encoder.encode(frame, 0, FRAME_16K, out, 0, out.length);
        frames.add(java.util.Arrays.copyOf(out, n));
      }
      return frames;
    } catch (OpusException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Frame {@code i} as RTP packet number {@code i} of a stream starting at sequence {@code firstSeq} (48 kHz timestamps). */
  static Buffer packet(List<byte[]> frames, int i, int firstSeq, long ssrc) {
    return RtpPacket.build(PAYLOAD_TYPE, (firstSeq + i) & 0xffff, 960L * i, ssrc, frames.get(i));
  }
}
