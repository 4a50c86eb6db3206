package data.blob;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads the first bytes of an upload for {@link ContentSniffer} without losing them: the body is
 * paused once {@code n} bytes (or its end) have arrived, and {@link Peeked#body()} replays those
 * bytes before the rest, so it can go to {@link BlobStore#put} as if untouched.
 */
public final class HeadPeek {

  /** The head read so far and the whole body, head included. */
  public record Peeked(Buffer head, ReadStream<Buffer> body) {
  }

  private HeadPeek() {
  }

  /** Reads up to {@code n} leading bytes; fails if the body fails before that. Call on a Vert.x context. */
  public static Future<Peeked> peek(Vertx vertx, ReadStream<Buffer> body, int n) {
    Context ctx = vertx.getOrCreateContext();
    Promise<Peeked> promise = Promise.promise();
    Buffer head = Buffer.buffer(n);
    Replay replay = new Replay(ctx, body, head);
    body.exceptionHandler(err -> {
      replay.failure = err;
      promise.tryFail(err);
    });
    body.endHandler(v -> {
      replay.sourceEnded = true;
      promise.tryComplete(new Peeked(head.copy(), replay));
    });
    body.handler(chunk -> {
      head.appendBuffer(chunk);
      if (head.length() >= n && !promise.future().isComplete()) {
        body.pause();
        promise.tryComplete(new Peeked(head.getBuffer(0, n), replay));
      }
    });
    body.resume();
    return promise.future();
  }

  /** Emits the buffered head first, then hands over to the source. */
  private static final class Replay implements ReadStream<Buffer> {
    private final Context ctx;
    private final ReadStream<Buffer> source;
    private Buffer pending;
    private boolean sourceEnded;
    private Throwable failure;
    private boolean paused;
    private boolean handedOver;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    Replay(Context ctx, ReadStream<Buffer> source, Buffer pending) {
      this.ctx = ctx;
      this.source = source;
      this.pending = pending;
    }

    @Override
    public Replay exceptionHandler(Handler<Throwable> h) {
      exceptionHandler = h;
      if (handedOver) {
        source.exceptionHandler(h);
      }
      return this;
    }

    @Override
    public Replay handler(Handler<Buffer> h) {
      handler = h;
      if (handedOver) {
        source.handler(h);
      } else {
        ctx.runOnContext(v -> flush());
      }
      return this;
    }

    @Override
    public Replay pause() {
      paused = true;
      if (handedOver) {
        source.pause();
      }
      return this;
    }

    @Override
    public Replay resume() {
      paused = false;
      if (handedOver) {
        source.resume();
      } else {
        ctx.runOnContext(v -> flush());
      }
      return this;
    }

    @Override
    public Replay fetch(long amount) {
      return resume();
    }

    @Override
    public Replay endHandler(Handler<Void> h) {
      endHandler = h;
      if (handedOver) {
        source.endHandler(h);
      }
      return this;
    }

    private void flush() {
      if (handedOver || paused || handler == null) {
        return;
      }
      if (pending != null) {
        Buffer b = pending;
        pending = null;
        if (b.length() > 0) {
          handler.handle(b);
        }
        if (paused) {
          return; // resume() flushes again and hands over
        }
      }
      handedOver = true;
      if (failure != null) {
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
      } else if (sourceEnded) {
        if (endHandler != null) {
          endHandler.handle(null);
        }
      } else {
        source.exceptionHandler(exceptionHandler);
        source.endHandler(endHandler);
        source.handler(handler);
        source.resume();
      }
    }
  }
}
