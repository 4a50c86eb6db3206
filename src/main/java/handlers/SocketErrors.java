package handlers;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.HttpClosedException;

/**
 * What went wrong on a WebSocket (the bridge's, the audio socket's), as the transport reports it:
 * a frame or message over the server's size limit (answered with close 1009), or the peer gone
 * without a close frame (nothing to answer). Both are logged as one line, never with a stack trace.
 */
public final class SocketErrors {

  /** The close code for a frame or message that is too large (RFC 6455). */
  public static final short TOO_LARGE = 1009;

  private SocketErrors() {
  }

  /**
   * True when the transport refused a frame (Netty: over {@code maxWebSocketFrameSize}) or a
   * message (Vert.x: frames adding up to more than {@code maxWebSocketMessageSize}, which is how an
   * oversized message compressed with permessage-deflate shows up).
   */
  public static boolean tooLarge(Throwable err) {
    if (err instanceof CorruptedWebSocketFrameException corrupted) {
      return corrupted.closeStatus() != null && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    }
    return err instanceof IllegalStateException && tooLarge(err.getMessage());
  }

  /** The same, from the message alone (the SockJS bridge passes only that on). */
  public static boolean tooLarge(String message) {
    return message != null && (message.contains("overflow max message size") || message.startsWith("Max frame length"));
  }

  /** True when the peer went away without closing (a dropped connection). */
  public static boolean connectionClosed(Throwable err) {
    return err instanceof HttpClosedException;
  }
}
