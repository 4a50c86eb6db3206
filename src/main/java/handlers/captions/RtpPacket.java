package handlers.captions;

import io.vertx.core.buffer.Buffer;

/**
 * One RTP packet (RFC 3550) as Janus forwards it: version 2, CSRCs and a header extension
 * skipped, padding removed. {@link #parse} returns null for anything that is not a well-formed
 * RTP packet (too short, wrong version, lengths beyond the datagram, RTCP), so that a caller can
 * count it and go on.
 */
record RtpPacket(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, byte[] payload) {

  static final int HEADER_BYTES = 12;

  static RtpPacket parse(Buffer datagram) {
    int length = datagram.length();
    if (length < HEADER_BYTES) {
      return null;
    }
    int first = datagram.getUnsignedByte(0);
    if ((first >> 6) != 2) {
      return null;
    }
    boolean padding = (first & 0x20) != 0;
    boolean extension = (first & 0x10) != 0;
    int csrcs = first & 0x0f;
    int second = datagram.getUnsignedByte(1);
    int payloadType = second & 0x7f;
    if (payloadType >= 72 && payloadType <= 76) {
      return null; // RTCP (SR, RR, SDES, BYE, APP) on the RTP port
    }
    int offset = HEADER_BYTES + 4 * csrcs;
    if (extension) {
      if (offset + 4 > length) {
        return null;
      }
      offset += 4 + 4 * datagram.getUnsignedShort(offset + 2);
    }
    int end = length;
    if (padding) {
      int pad = datagram.getUnsignedByte(length - 1);
      if (pad == 0) {
        return null;
      }
      end -= pad;
    }
    if (offset >= end) {
      return null;
    }
    return new RtpPacket(payloadType, (second & 0x80) != 0, datagram.getUnsignedShort(2), datagram.getUnsignedInt(4),
      datagram.getUnsignedInt(8), datagram.getBytes(offset, end));
  }

  /** A minimal packet (no CSRC, no extension), as a test or a bench sends it. */
  static Buffer build(int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
    return Buffer.buffer(HEADER_BYTES + payload.length)
      .appendByte((byte) 0x80).appendByte((byte) (payloadType & 0x7f)).appendUnsignedShort(sequence & 0xffff)
      .appendUnsignedInt(timestamp & 0xffffffffL).appendUnsignedInt(ssrc & 0xffffffffL).appendBytes(payload);
  }
}
