package handlers.captions;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Puts one stream's RTP packets back in sequence-number order with a small jitter buffer: a
 * packet is released once the ones before it are in, or once {@code depth} later packets have
 * arrived (the missing ones are then declared lost, so the decoder can conceal them). Duplicates
 * and packets older than the last one released are dropped. Sequence numbers wrap at 2^16; they
 * are unwrapped into a 64-bit index. A jump of more than {@code MAX_GAP} (the sender restarted
 * its numbering) starts over.
 */
final class RtpReorderBuffer {

  /** What comes out, in order: a packet, or a gap of {@code lost} packets before it. */
  record Released(RtpPacket packet, int lost) {
  }

  static final int MAX_GAP = 3000;

  private final int depth;
  private final TreeMap<Long, RtpPacket> waiting = new TreeMap<>();
  private long next = -1;
  private long highest = -1;
  private long duplicates;
  private long late;
  private long lost;

  RtpReorderBuffer(int depth) {
    this.depth = Math.max(0, depth);
  }

  /** Adds one packet; returns what can be released now, in order. */
  List<Released> add(RtpPacket packet) {
    List<Released> out = new ArrayList<>(2);
    long index = unwrap(packet.sequence());
    if (next < 0 || Math.abs(index - next) > MAX_GAP) {
      waiting.clear();
      next = index;
      highest = index;
    }
    if (index < next) {
      late++;
      return out;
    }
    if (waiting.putIfAbsent(index, packet) != null) {
      duplicates++;
      return out;
    }
    highest = Math.max(highest, index);
    drain(out);
    return out;
  }

  private void drain(List<Released> out) {
    while (!waiting.isEmpty()) {
      long first = waiting.firstKey();
      if (first == next) {
        out.add(new Released(waiting.pollFirstEntry().getValue(), 0));
        next++;
      } else if (highest - next >= depth) {
        int gap = (int) (first - next);
        lost += gap;
        out.add(new Released(waiting.pollFirstEntry().getValue(), gap));
        next = first + 1;
      } else {
        return;
      }
    }
  }

  /** The sequence number as an index that keeps growing across wraps (relative to the next expected one). */
  private long unwrap(int sequence) {
    if (next < 0) {
      return sequence;
    }
    long base = next & ~0xffffL;
    long candidate = base | sequence;
    if (candidate - next > 0x8000) {
      candidate -= 0x10000;
    } else if (next - candidate > 0x8000) {
      candidate += 0x10000;
    }
    return candidate;
  }

  long duplicates() {
    return duplicates;
  }

  long late() {
    return late;
  }

  long lost() {
    return lost;
  }
}
