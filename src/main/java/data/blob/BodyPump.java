package data.blob;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a body into a {@link Sink}, counting and hashing it on the way, with backpressure: when
 * the sink is not ready for more, the body is paused until it is. Not thread-safe: the body's
 * handlers and the sink's futures must run on one context (the caller's).
 */
final class BodyPump {

  /** Where the bytes go. The returned future completes when the sink can take more. */
  interface Sink {
    Future<Void> write(Buffer chunk);
  }

  /** What was read: its size and lower-case hex SHA-256. */
  record Result(long size, String sha256) {
  }

  private final ReadStream<Buffer> body;
  private final long limit;
  private final String limitMessage;
  private final Sink sink;
  private final MessageDigest digest = sha256();
  private final Promise<Result> promise = Promise.promise();
  private Future<Void> lastWrite = Future.succeededFuture();
  private long size;
  private boolean done;

  private BodyPump(ReadStream<Buffer> body, long limit, String limitMessage, Sink sink) {
    this.body = body;
    this.limit = limit;
    this.limitMessage = limitMessage;
    this.sink = sink;
  }

  /**
   * Pumps {@code body} into {@code sink}; more than {@code limit} bytes fails with 413 and
   * {@code limitMessage}. After a failure the rest of the body is read and dropped.
   */
  static Future<Result> pump(ReadStream<Buffer> body, long limit, String limitMessage, Sink sink) {
    BodyPump pump = new BodyPump(body, limit, limitMessage, sink);
    pump.begin();
    return pump.promise.future();
  }

  private void begin() {
    body.exceptionHandler(err -> fail(new ParleyException(400, "aborted",
        "the body failed before its end: " + err.getMessage(), err)));
    body.endHandler(v -> lastWrite.onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else if (!done) {
        done = true;
        promise.complete(new Result(size, HexFormat.of().formatHex(digest.digest())));
      }
    }));
    body.handler(this::onChunk);
    body.resume();
  }

  private void onChunk(Buffer chunk) {
    if (done) {
      return;
    }
    size += chunk.length();
    if (size > limit) {
      fail(ParleyException.tooLarge(limitMessage));
      return;
    }
    digest.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
    Future<Void> write = sink.write(chunk);
    lastWrite = write;
    if (write.isComplete()) {
      if (write.failed()) {
        fail(write.cause());
      }
      return;
    }
    // The sink is busy (disk queue full, a block being staged): hold the source until it is ready.
    body.pause();
    write.onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else if (!done) {
        body.resume();
      }
    });
  }

  private void fail(Throwable err) {
    if (done) {
      return;
    }
    done = true;
    promise.fail(err);
    body.resume(); // drain and drop what is left so the connection is not stuck
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
