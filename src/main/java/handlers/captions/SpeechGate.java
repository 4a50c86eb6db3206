package handlers.captions;

import java.util.ArrayDeque;

/**
 * Skips silence before it reaches a recogniser and says where utterances end: 16 kHz S16LE chunks
 * pass while there is speech (RMS above {@code thresholdDbfs}) and for {@code hangoverMs} of
 * silence after it; then the utterance has ended ({@link #utteranceEnded()} once) and further
 * silence is held back (only its last {@code prerollMs}, released in front of the next speech so
 * that its first sound is not cut).
 */
final class SpeechGate {

  private final double threshold;
  private final long hangoverBytes;
  private final long prerollBytes;
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private long heldBytes;
  /** Bytes of silence let through since the last speech; beyond {@code hangoverBytes} the gate is shut. */
  private long silentBytes;
  private boolean heardSpeech;
  private boolean ended;
  private long skippedBytes;

  SpeechGate(double thresholdDbfs, long hangoverMs, long prerollMs) {
    this.threshold = 32768.0 * Math.pow(10, thresholdDbfs / 20.0);
    this.hangoverBytes = hangoverMs * OpusSpeechDecoder.OUTPUT_RATE * 2 / 1000;
    this.prerollBytes = prerollMs * OpusSpeechDecoder.OUTPUT_RATE * 2 / 1000;
    this.silentBytes = hangoverBytes;
  }

  /** Offers one chunk; returns what goes to the recogniser now (possibly held preroll then the chunk), or null. */
  byte[] offer(byte[] pcm) {
    if (pcm.length == 0) {
      return null;
    }
    if (rms(pcm) >= threshold) {
      heardSpeech = true;
      silentBytes = 0;
      if (held.isEmpty()) {
        return pcm;
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) heldBytes + pcm.length);
      held.forEach(out::writeBytes);
      held.clear();
      heldBytes = 0;
      out.writeBytes(pcm);
      return out.toByteArray();
    }
    if (heardSpeech && silentBytes < hangoverBytes) {
      silentBytes += pcm.length;
      ended = silentBytes >= hangoverBytes;
      return pcm;
    }
    skippedBytes += pcm.length;
    held.addLast(pcm);
    heldBytes += pcm.length;
    while (heldBytes - held.peekFirst().length >= prerollBytes && held.size() > 1) {
      heldBytes -= held.pollFirst().length;
    }
    return null;
  }

  /**
   * Silence the recogniser still needs after speech when no audio comes (Opus DTX, a muted track):
   * what is left of the hangover, in bytes (0 when the gate is already shut).
   */
  int hangoverLeft() {
    return heardSpeech && silentBytes < hangoverBytes ? (int) (hangoverBytes - silentBytes) : 0;
  }

  /** Lets {@code bytes} of digital silence through as hangover. */
  byte[] fillHangover(int bytes) {
    int n = Math.min(bytes, hangoverLeft());
    n -= n % 2;
    silentBytes += n;
    ended = heardSpeech && silentBytes >= hangoverBytes;
    return new byte[n];
  }

  /** True once after the hangover of an utterance has passed: the utterance is over. */
  boolean utteranceEnded() {
    boolean was = ended;
    ended = false;
    return was;
  }

  long skippedBytes() {
    return skippedBytes;
  }

  static double rms(byte[] pcm) {
    long sum = 0;
    int samples = pcm.length / 2;
    for (int i = 0; i < samples; i++) {
      int v = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
      sum += (long) v * v;
    }
    return samples == 0 ? 0 : Math.sqrt((double) sum / samples);
  }
}
