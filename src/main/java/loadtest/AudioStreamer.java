package loadtest;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A participant speaking: PCM (16 kHz, mono, signed 16-bit little-endian) from a WAV file, looped,
 * sent to {@code /ws/audio} in 100 ms frames at real-time pace, and the {@code {"type":"end"}} frame
 * when stopped. When the server pushes back (the socket's write queue is full) a frame is skipped
 * and counted.
 */
final class AudioStreamer {

  static final int CHUNK_BYTES = 3200;

  private final Context context;
  private final WebSocketClient client;
  private final Options options;
  private final Metrics metrics;
  private final String uri;
  private final byte[] pcm;
  private WebSocket ws;
  private long timer = -1;
  private int offset;
  private boolean stopping;

  AudioStreamer(Context context, WebSocketClient client, Options options, Metrics metrics, String meetingId,
                String token, byte[] pcm) {
    this.context = context;
    this.client = client;
    this.options = options;
    this.metrics = metrics;
    this.uri = "/ws/audio?meetingId=" + meetingId + "&lang=en-US&access_token=" + token;
    this.pcm = pcm;
  }

  /** The PCM samples of a WAV file (the bytes of its {@code data} chunk). */
  static byte[] readWav(Path file) throws IOException {
    byte[] wav = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int at = 12;
    while (at + 8 <= wav.length) {
      String id = new String(wav, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
      int size = b.getInt(at + 4);
      if (id.equals("data")) {
        int length = Math.min(size, wav.length - at - 8);
        byte[] out = new byte[length];
        System.arraycopy(wav, at + 8, out, 0, length);
        return out;
      }
      at += 8 + size + (size & 1);
    }
    throw new IOException(file + " has no data chunk");
  }

  void start() {
    context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(options.host())
        .setPort(options.port()).setURI(uri).setConnectTimeout(30_000))
      .onFailure(err -> metrics.error("audio connect"))
      .onSuccess(socket -> {
        ws = socket;
        socket.textMessageHandler(t -> { });
        socket.closeHandler(x -> {
          Short code = socket.closeStatusCode();
          if (!stopping || (code != null && code != 1000)) {
            metrics.error("audio close " + code);
          }
          context.owner().cancelTimer(timer);
        });
        timer = context.owner().setPeriodic(100, t -> sendChunk());
      }));
  }

  private void sendChunk() {
    if (ws == null || stopping) {
      return;
    }
    if (ws.writeQueueFull()) {
      metrics.audioSkipped.increment();
      return;
    }
    Buffer chunk = Buffer.buffer(CHUNK_BYTES);
    int n = 0;
    while (n < CHUNK_BYTES) {
      int take = Math.min(CHUNK_BYTES - n, pcm.length - offset);
      chunk.appendBytes(pcm, offset, take);
      n += take;
      offset = (offset + take) % pcm.length;
    }
    ws.writeBinaryMessage(chunk);
    metrics.audioChunks.increment();
  }

  void stop() {
    context.runOnContext(v -> {
      stopping = true;
      context.owner().cancelTimer(timer);
      if (ws != null) {
        ws.writeTextMessage("{\"type\":\"end\"}");
      }
    });
  }

  void close() {
    context.runOnContext(v -> {
      stopping = true;
      if (ws != null) {
        ws.close();
      }
    });
  }
}
