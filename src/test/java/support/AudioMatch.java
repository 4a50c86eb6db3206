package support;

/**
 * Whether a recording holds a given utterance, judged by its sound rather than its words: the utterance's coarse
 * spectrogram (log energy in 16 bands, 100 Hz to 4 kHz, every 20 ms of 16 kHz mono 16-bit PCM) slid along the
 * recording's, and the best Pearson correlation found. The same sentence through Opus, AAC, lost packets and noise
 * keeps its pattern (0.8 and more) where a recogniser may already mishear half its words; another sentence said by
 * the same voice reaches about 0.55, noise or silence about 0.
 */
public final class AudioMatch {

  /** 32 ms at 16 kHz. */
  static final int WINDOW = 512;
  /** 20 ms at 16 kHz. */
  static final int HOP = 320;
  static final int BANDS = 16;

  /** The best correlation and where in the recording (seconds from its start) the utterance begins. */
  public record Match(double correlation, double atSeconds) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "correlation %.2f at %.2f s", correlation, atSeconds);
    }
  }

  private AudioMatch() {
  }

  /** Where {@code utterance} (16 kHz mono s16le) is found in {@code recording} (the same format), and how well. */
  public static Match find(byte[] utterance, byte[] recording) {
    double[][] u = spectrogram(utterance);
    double[][] r = spectrogram(recording);
    if (u.length < 2 || r.length < u.length) {
      return new Match(0, 0);
    }
    double best = -1;
    int at = 0;
    for (int offset = 0; offset + u.length <= r.length; offset++) {
      double c = correlation(u, r, offset);
      if (c > best) {
        best = c;
        at = offset;
      }
    }
    return new Match(best, at * HOP / 16_000.0);
  }

  /** Pearson correlation of {@code u} with the frames of {@code r} from {@code offset}, over every frame and band. */
  private static double correlation(double[][] u, double[][] r, int offset) {
    int n = u.length * BANDS;
    double su = 0;
    double sr = 0;
    for (int f = 0; f < u.length; f++) {
      for (int b = 0; b < BANDS; b++) {
        su += u[f][b];
        sr += r[offset + f][b];
      }
    }
    double mu = su / n;
    double mr = sr / n;
    double dot = 0;
    double nu = 0;
    double nr = 0;
    for (int f = 0; f < u.length; f++) {
      for (int b = 0; b < BANDS; b++) {
        double du = u[f][b] - mu;
        double dr = r[offset + f][b] - mr;
        dot += du * dr;
        nu += du * du;
        nr += dr * dr;
      }
    }
    return nu == 0 || nr == 0 ? 0 : dot / Math.sqrt(nu * nr);
  }

  /**
   * Log energy (dB) in {@link #BANDS} bands between 100 Hz and 4 kHz, equal in width on a log scale, of each 32 ms
   * Hann window, 20 ms apart.
   */
  static double[][] spectrogram(byte[] pcm) {
    int samples = pcm.length / 2;
    int frames = samples < WINDOW ? 0 : 1 + (samples - WINDOW) / HOP;
    double[][] out = new double[frames][BANDS];
    double[] re = new double[WINDOW];
    double[] im = new double[WINDOW];
    int[] edges = new int[BANDS + 1];
    for (int b = 0; b <= BANDS; b++) {
      double hz = 100 * Math.pow(4000.0 / 100, (double) b / BANDS);
      edges[b] = (int) Math.round(hz * WINDOW / 16_000.0);
    }
    for (int f = 0; f < frames; f++) {
      for (int i = 0; i < WINDOW; i++) {
        int at = (f * HOP + i) * 2;
        short s = (short) ((pcm[at] & 0xff) | (pcm[at + 1] << 8));
        re[i] = s * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (WINDOW - 1)));
        im[i] = 0;
      }
      fft(re, im);
      for (int b = 0; b < BANDS; b++) {
        double sum = 0;
        for (int k = edges[b]; k < Math.max(edges[b + 1], edges[b] + 1); k++) {
          sum += re[k] * re[k] + im[k] * im[k];
        }
        out[f][b] = 10 * Math.log10(1 + sum / WINDOW);
      }
    }
    return out;
  }

  /** In-place radix-2 FFT ({@code re.length} a power of two). */
  private static void fft(double[] re, double[] im) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      double angle = -2 * Math.PI / len;
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < len / 2; k++) {
          double c = Math.cos(angle * k);
          double s = Math.sin(angle * k);
          double xr = re[i + k + len / 2] * c - im[i + k + len / 2] * s;
          double xi = re[i + k + len / 2] * s + im[i + k + len / 2] * c;
          re[i + k + len / 2] = re[i + k] - xr;
          im[i + k + len / 2] = im[i + k] - xi;
          re[i + k] += xr;
          im[i + k] += xi;
        }
      }
    }
  }
}
