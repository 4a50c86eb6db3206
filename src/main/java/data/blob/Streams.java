package data.blob;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.io.EOFException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Read streams the stores hand out: all honour pause/fetch and release their resource at the end. */
final class Streams {

  private Streams() {
  }

  /** A stream that yields nothing and ends as soon as it is resumed. */
  static ReadStream<Buffer> empty(Context ctx) {
    return new Pull(ctx, () -> Future.succeededFuture(null), () -> Future.succeededFuture());
  }

  /**
   * A blocking {@link InputStream} of exactly {@code length} bytes read in chunks on the worker
   * pool, one chunk at a time and only while there is demand.
   */
  static Pull fromInputStream(Context ctx, WorkerExecutor worker, InputStream in, long length, int chunkSize) {
    long[] remaining = {length};
    return new Pull(ctx, () -> worker.executeBlocking(() -> {
      if (remaining[0] == 0) {
        return null;
      }
      byte[] bytes = in.readNBytes((int) Math.min(chunkSize, remaining[0]));
      if (bytes.length == 0) {
        throw new EOFException("the blob ended " + remaining[0] + " bytes early");
      }
      remaining[0] -= bytes.length;
      return Buffer.buffer(bytes);
    }, true), () -> worker.executeBlocking(() -> {
      closeQuietly(in);
      return null;
    }, false));
  }

  /**
   * A pull-based stream: {@code next} yields the next buffer, or null at the end. Runs its
   * handlers on {@code ctx}; {@code release} is called once, at the end, on failure or on close.
   */
  static final class Pull implements ReadStream<Buffer> {
    private final Context ctx;
    private final Supplier<Future<Buffer>> next;
    private final Supplier<Future<Void>> release;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private boolean pulling;
    private boolean finished;
    private Future<Void> released;

    Pull(Context ctx, Supplier<Future<Buffer>> next, Supplier<Future<Void>> release) {
      this.ctx = ctx;
      this.next = next;
      this.release = release;
    }

    @Override
    public Pull exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public Pull handler(Handler<Buffer> handler) {
      this.handler = handler;
      if (handler != null) {
        ctx.runOnContext(v -> pull());
      }
      return this;
    }

    @Override
    public Pull pause() {
      demand = 0;
      return this;
    }

    @Override
    public Pull resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public Pull fetch(long amount) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      ctx.runOnContext(v -> pull());
      return this;
    }

    @Override
    public Pull endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }

    /** Stops reading and releases the resource; no further events. */
    Future<Void> close() {
      finished = true;
      return releaseOnce();
    }

    private Future<Void> releaseOnce() {
      if (released == null) {
        released = release.get().recover(err -> Future.succeededFuture());
      }
      return released;
    }

    private void pull() {
      if (pulling || finished || demand == 0 || handler == null) {
        return;
      }
      pulling = true;
      next.get().onComplete(ar -> {
        pulling = false;
        if (finished) {
          return;
        }
        if (ar.failed()) {
          finished = true;
          releaseOnce().onComplete(x -> {
            if (exceptionHandler != null) {
              exceptionHandler.handle(ar.cause());
            }
          });
        } else if (ar.result() == null) {
          finished = true;
          releaseOnce().onComplete(x -> {
            if (endHandler != null) {
              endHandler.handle(null);
            }
          });
        } else {
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          Handler<Buffer> h = handler;
          if (h != null) {
            h.handle(ar.result());
          }
          pull();
        }
      });
    }
  }

  /** Wraps a stream (an open file) so that its resource is released when it ends or fails. */
  static final class Closing implements ReadStream<Buffer> {
    private final ReadStream<Buffer> delegate;
    private final Supplier<Future<Void>> release;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Future<Void> released;

    Closing(ReadStream<Buffer> delegate, Supplier<Future<Void>> release) {
      this.delegate = delegate;
      this.release = release;
      delegate.endHandler(v -> close().onComplete(x -> {
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }));
      delegate.exceptionHandler(err -> close().onComplete(x -> {
        if (exceptionHandler != null) {
          exceptionHandler.handle(err);
        }
      }));
    }

    Future<Void> close() {
      if (released == null) {
        released = release.get().recover(err -> Future.succeededFuture());
      }
      return released;
    }

    @Override
    public Closing exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public Closing handler(Handler<Buffer> handler) {
      delegate.handler(handler);
      return this;
    }

    @Override
    public Closing pause() {
      delegate.pause();
      return this;
    }

    @Override
    public Closing resume() {
      delegate.resume();
      return this;
    }

    @Override
    public Closing fetch(long amount) {
      delegate.fetch(amount);
      return this;
    }

    @Override
    public Closing endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing more to release
    }
  }
}
