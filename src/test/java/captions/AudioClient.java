package captions;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;


/** A microphone for tests: streams a WAV's PCM to /ws/audio and reports the close code. */
final class AudioClient {

  final WebSocket socket;
  private final WebSocketClient client;
  final Promise<Short> closed = Promise.promise();
  volatile String closeReason;

  private AudioClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.closeHandler(v -> {
      closeReason = socket.closeReason();
      closed.tryComplete(socket.closeStatusCode());
      client.close();
    });
  }

  static Future<AudioClient> connect(Vertx vertx, int port, String token, String meetingId, String lang) {
    // Large frames are sent whole (not fragmented), so the server's frame limit is what is tested.
    WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
      .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/ws/audio?meetingId=" + meetingId + "&lang=" + lang + (token == null ? "" : "&access_token=" + token)))
      .map(ws -> new AudioClient(client, ws));
  }

  /** Sends {@code pcm} in chunks of {@code chunkBytes}, one every {@code everyMs}, then the end frame. */
  Future<Void> stream(Vertx vertx, byte[] pcm, int chunkBytes, long everyMs, boolean sendEnd) {
    Promise<Void> done = Promise.promise();
    int[] offset = {0};
    vertx.setPeriodic(Math.max(1, everyMs), id -> {
      if (offset[0] >= pcm.length) {
        vertx.cancelTimer(id);
        if (sendEnd) {
          socket.writeTextMessage("{\"type\":\"end\"}");
        }
        done.tryComplete();
        return;
      }
      int n = Math.min(chunkBytes, pcm.length - offset[0]);
      socket.writeBinaryMessage(Buffer.buffer().appendBytes(pcm, offset[0], n));
      offset[0] += n;
    });
    return done.future();
  }
}
