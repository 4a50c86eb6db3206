package data.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Collects a body into parts of a fixed size and sends each, one after the other, for stores that
 * upload piece by piece (Azure blocks, S3 parts). At most two part arrays exist at once: the one
 * being sent and the one being filled; a full part waits for the previous send, and the body is
 * paused meanwhile (the future {@link #write} returns). Runs on one context, like {@link BodyPump}.
 */
abstract class PartSink implements BodyPump.Sink {

  private final int partSize;
  private final Deque<byte[]> spare = new ArrayDeque<>(2);
  private byte[] filling;
  private int fill;
  private boolean started;
  private Future<Void> sending = Future.succeededFuture();

  PartSink(int partSize) {
    this.partSize = partSize;
  }

  /** Sends one full (or the last) part; called only once the previous part was sent. */
  protected abstract Future<Void> send(byte[] part, int length);

  @Override
  public Future<Void> write(Buffer chunk) {
    int pos = 0;
    Future<Void> ready = Future.succeededFuture();
    while (pos < chunk.length()) {
      if (filling == null) {
        filling = spare.isEmpty() ? new byte[partSize] : spare.pop();
        fill = 0;
      }
      int n = Math.min(chunk.length() - pos, filling.length - fill);
      chunk.getBytes(pos, pos + n, filling, fill);
      fill += n;
      pos += n;
      if (fill == filling.length) {
        // A chunk bigger than a part (never from HTTP, 64 KiB at most) may fill two: wait for both.
        Future<Void> previous = ready;
        Future<Void> freed = sendFilled();
        ready = previous.compose(v -> freed);
      }
    }
    return ready;
  }

  /** True when nothing was sent yet: the whole body is {@link #pending()} (it fits in one part). */
  boolean nothingSent() {
    return !started;
  }

  /** The bytes not sent yet: the part being filled (empty when none). */
  byte[] pending() {
    return filling == null ? new byte[0] : filling;
  }

  int pendingLength() {
    return filling == null ? 0 : fill;
  }

  /** Sends what is left, if anything; completes when every part is sent. */
  Future<Void> flush() {
    if (filling != null && fill > 0) {
      sendFilled();
    }
    return sending;
  }

  /** Completes when the part in flight, if any, is done (successfully or not). */
  Future<Void> settled() {
    return sending.transform(ar -> Future.succeededFuture());
  }

  /** Drops the part arrays (the body, and so this sink, may stay referenced after the upload). */
  void release() {
    sending.onComplete(ar -> {
      spare.clear();
      filling = null;
      sending = Future.succeededFuture(); // a finished future's mapper still holds the last part
    });
  }

  /** Queues the full part after the one in flight; completes when that earlier one is done. */
  private Future<Void> sendFilled() {
    byte[] part = filling;
    int length = fill;
    filling = null;
    fill = 0;
    started = true;
    Future<Void> previous = sending;
    sending = previous.compose(v -> send(part, length)).onSuccess(v -> spare.push(part));
    return previous;
  }
}
