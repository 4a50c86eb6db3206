package ai.stt;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Audio in: PCM signed 16-bit little-endian mono. A write queues audio for the stream's worker
 * thread; {@link #writeQueueFull()} turns true when more than the configured lag of audio is
 * waiting, and the drain handler fires when it is back under half, so a socket can be paused and
 * resumed (or piped). An odd byte count carries its last byte over to the next write.
 */
public interface RecognitionStream extends WriteStream<Buffer> {

  /** Audio queued but not yet recognised, in milliseconds. */
  long backlogMillis();

  /** Stops at once, without a last result; frees the recogniser. */
  void abort();
}
