package handlers.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * One fanned-out message in one framing, encoded once for every socket of a meeting: its payload
 * ({@code a["..."]} or the raw envelope) and, made on first use, the whole WebSocket frame a server
 * sends for it (RFC 6455 section 5.2: FIN, the opcode, the length, no mask, the payload), the bytes
 * Netty's frame encoder would produce for each socket. Sockets whose connection has no WebSocket
 * extension get those bytes written below the frame encoder (see {@link BridgeWebSocket#writeShared});
 * the others (permessage-deflate) get a frame of the payload, which the extension compresses.
 *
 * <p>Confined to the event loop that fans out; {@link #release} once every socket has been written.
 */
final class SharedFrame {

  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;

  private final BridgeWebSocket.Framing framing;
  private final ByteBuf payload;
  private ByteBuf wire;

  SharedFrame(BridgeWebSocket.Framing framing, byte[] payload) {
    this.framing = framing;
    this.payload = Unpooled.wrappedBuffer(payload);
  }

  /** The payload, shared: callers take a retained duplicate. */
  ByteBuf payload() {
    return payload;
  }

  /** The encoded WebSocket frame, shared: callers take a retained duplicate. */
  ByteBuf wire() {
    if (wire == null) {
      wire = encode(framing == BridgeWebSocket.Framing.SOCKJS ? OPCODE_TEXT : OPCODE_BINARY, payload);
    }
    return wire;
  }

  void release() {
    payload.release();
    if (wire != null) {
      wire.release();
    }
  }

  /** A final, unmasked frame of {@code opcode} holding {@code payload} (not consumed). */
  static ByteBuf encode(int opcode, ByteBuf payload) {
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    // direct: a heap buffer would be copied into a direct one by the NIO transport for every socket it is written to
    ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length);
    frame.writeByte(0x80 | opcode);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126);
      frame.writeShort(length);
    } else {
      frame.writeByte(127);
      frame.writeLong(length);
    }
    frame.writeBytes(payload, payload.readerIndex(), length);
    return frame;
  }
}
