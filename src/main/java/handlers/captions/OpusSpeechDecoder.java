package handlers.captions;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * One stream's Opus (RFC 7587: 48 kHz RTP clock, mono or stereo) to what the recognisers take:
 * 16 kHz mono PCM S16LE. Decodes at 48 kHz with Concentus (pure Java), then low-passes and keeps
 * every third sample. Lost packets are concealed by the decoder (at most {@link #MAX_CONCEALED}
 * of them in a row; a longer gap is left out). Not thread-safe: one per stream.
 */
final class OpusSpeechDecoder {

  static final int RTP_RATE = 48_000;
  static final int OUTPUT_RATE = 16_000;
  /** The longest Opus packet: 120 ms at 48 kHz. */
  static final int MAX_FRAME = 5760;
  /** Lost packets concealed in a row (100 ms of 20 ms packets). */
  static final int MAX_CONCEALED = 5;

  private final OpusDecoder decoder;
  private final short[] decoded = new short[MAX_FRAME];
  private final Decimator decimator = new Decimator();
  private int lastFrameSamples = 960;

  OpusSpeechDecoder() {
    try {
      decoder = new OpusDecoder(RTP_RATE, 1);
    } catch (OpusException e) {
      throw new IllegalStateException("Opus decoder: " + e.getMessage(), e);
    }
  }

  /**
   * One packet's audio at 16 kHz as S16LE bytes.
   *
   * @throws OpusException when the payload is not an Opus packet the decoder accepts
   */
  byte[] decode(byte[] payload) throws OpusException {
    if (payload.length == 0) {
      throw new OpusException("empty Opus payload");
    }
    int samples = decoder.decode(payload, 0, payload.length, decoded, 0, MAX_FRAME, false);
    if (samples <= 0) {
      throw new OpusException("no audio in the Opus packet");
    }
    lastFrameSamples = samples;
    return decimator.apply(decoded, samples);
  }

  /** Concealment for {@code packets} lost ones (capped), as 16 kHz S16LE bytes; empty when nothing to conceal. */
  byte[] conceal(int packets) {
    int n = Math.min(packets, MAX_CONCEALED);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      try {
        int samples = decoder.decode(null, 0, 0, decoded, 0, lastFrameSamples, false);
        if (samples > 0) {
          out.writeBytes(decimator.apply(decoded, samples));
        }
      } catch (OpusException e) {
        break;
      }
    }
    return out.toByteArray();
  }

  /**
   * 48 kHz to 16 kHz: a 63-tap windowed-sinc low-pass (Blackman, cut-off 7 kHz, below the new
   * Nyquist of 8 kHz) evaluated at every third input sample, its history kept across packets.
   */
  static final class Decimator {
    static final int FACTOR = 3;
    static final int TAPS = 63;
    private static final double[] KERNEL = kernel();
    private final double[] history = new double[TAPS - 1];
    private int phase;

    private static double[] kernel() {
      double[] k = new double[TAPS];
      double cutoff = 7_000.0 / RTP_RATE;
      int mid = (TAPS - 1) / 2;
      double sum = 0;
      for (int i = 0; i < TAPS; i++) {
        int n = i - mid;
        double sinc = n == 0 ? 2 * Math.PI * cutoff : Math.sin(2 * Math.PI * cutoff * n) / n;
        double window = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (TAPS - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (TAPS - 1));
        k[i] = sinc * window;
        sum += k[i];
      }
      for (int i = 0; i < TAPS; i++) {
        k[i] /= sum;
      }
      return k;
    }

    /** {@code count} samples of {@code in} at 48 kHz to S16LE bytes at 16 kHz. */
    byte[] apply(short[] in, int count) {
      int h = history.length;
      double[] x = new double[h + count];
      System.arraycopy(history, 0, x, 0, h);
      for (int i = 0; i < count; i++) {
        x[h + i] = in[i];
      }
      int outputs = 0;
      byte[] out = new byte[2 * ((count + FACTOR) / FACTOR)];
      int i = phase;
      for (; i < count; i += FACTOR) {
        double acc = 0;
        for (int t = 0; t < TAPS; t++) {
          acc += KERNEL[t] * x[i + t];
        }
        int v = (int) Math.round(acc);
        v = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        out[2 * outputs] = (byte) v;
        out[2 * outputs + 1] = (byte) (v >> 8);
        outputs++;
      }
      phase = i - count;
      System.arraycopy(x, count, history, 0, h);
      return outputs * 2 == out.length ? out : java.util.Arrays.copyOf(out, outputs * 2);
    }
  }
}
