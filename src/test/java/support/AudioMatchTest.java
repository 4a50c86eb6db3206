package support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AudioMatchTest {

  /** {@code utterance} at {@code at} seconds of a {@code total}-second recording, scaled, with noise, every n-th 20 ms lost. */
  static byte[] recording(byte[] utterance, double at, double total, double gain, double noise, int loseEvery) {
    Random random = new Random(7);
    int n = (int) (total * 16_000);
    int offset = (int) (at * 16_000);
    byte[] out = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      double v = noise * random.nextGaussian();
      int j = i - offset;
      if (j >= 0 && j < utterance.length / 2 && !(loseEvery > 0 && (j / 320) % loseEvery == 0)) {
        v += gain * (short) ((utterance[2 * j] & 0xff) | (utterance[2 * j + 1] << 8));
      }
      int s = (int) Math.max(-32768, Math.min(32767, Math.round(v)));
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }

  @Test
  @DisplayName("the sentence is found where it was placed, quieter, in noise and with a third of its 20 ms frames lost; "
    + "other sentences in the same voice, and noise, score well below")
  void separatesTheSentenceFromOthers() throws Exception {
    byte[] fox = Wer.pcm("fox.wav");
    AudioMatch.Match clean = AudioMatch.find(fox, recording(fox, 3, 20, 0.5, 30, 0));
    assertTrue(clean.correlation() > 0.9, clean.toString());
    assertEquals(3.0, clean.atSeconds(), 0.03, clean.toString());
    AudioMatch.Match lossy = AudioMatch.find(fox, recording(fox, 7.5, 20, 0.3, 100, 3));
    assertTrue(lossy.correlation() > 0.75, lossy.toString());
    assertEquals(7.5, lossy.atSeconds(), 0.03, lossy.toString());
    for (String other : new String[] {"welcome.wav", "report.wav", "threat.wav"}) {
      AudioMatch.Match m = AudioMatch.find(fox, recording(Wer.pcm(other), 3, 20, 0.5, 30, 0));
      assertTrue(m.correlation() < 0.62, other + ": " + m);
    }
    AudioMatch.Match noise = AudioMatch.find(fox, recording(new byte[0], 0, 20, 1, 30, 0));
    assertTrue(noise.correlation() < 0.3, noise.toString());
    assertEquals(0, AudioMatch.find(fox, new byte[640]).correlation(), "a recording shorter than the sentence matches nothing");
  }
}
