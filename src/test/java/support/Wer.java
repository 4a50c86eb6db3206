package support;

import java.util.Arrays;
import java.util.List;

/** Word error rate: word-level Levenshtein distance over the reference length, on normalised words. */
public final class Wer {

  private Wer() {
  }

  /** The PCM of a 16 kHz mono 16-bit WAV in the test resources' audio folder (its 44-byte header skipped). */
  public static byte[] pcm(String resource) throws java.io.IOException {
    try (java.io.InputStream in = Wer.class.getResourceAsStream("/audio/" + resource)) {
      byte[] wav = in.readAllBytes();
      return java.util.Arrays.copyOfRange(wav, 44, wav.length);
    }
  }

  public static double of(String reference, String hypothesis) {
    List<String> ref = words(reference);
    List<String> hyp = words(hypothesis);
    int[][] d = new int[ref.size() + 1][hyp.size() + 1];
    for (int i = 0; i <= ref.size(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= hyp.size(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= ref.size(); i++) {
      for (int j = 1; j <= hyp.size(); j++) {
        int sub = d[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
        d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
      }
    }
    return ref.isEmpty() ? (hyp.isEmpty() ? 0 : 1) : (double) d[ref.size()][hyp.size()] / ref.size();
  }

  /** Lower case, accents folded ("María" is "maria", as the recogniser writes it), letters and apostrophes only. */
  private static List<String> words(String s) {
    String folded = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return Arrays.stream(folded.toLowerCase().replaceAll("[^a-z' ]", " ").trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }
}
