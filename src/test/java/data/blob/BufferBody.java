package data.blob;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;

/** A body of given bytes, in chunks, honouring pause/resume, optionally failing at an offset. */
final class BufferBody implements ReadStream<Buffer> {

  private final Context ctx;
  private final Buffer data;
  private final int chunk;
  private final int failAt;
  private int pos;
  private boolean paused;
  private boolean scheduled;
  private boolean finished;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  BufferBody(Context ctx, Buffer data, int chunk, int failAt) {
    this.ctx = ctx;
    this.data = data;
    this.chunk = chunk;
    this.failAt = failAt;
  }

  @Override
  public BufferBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BufferBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public BufferBody pause() {
    paused = true;
    return this;
  }

  @Override
  public BufferBody resume() {
    paused = false;
    schedule();
    return this;
  }

  @Override
  public BufferBody fetch(long amount) {
    return resume();
  }

  @Override
  public BufferBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled && !finished && handler != null && !paused) {
      scheduled = true;
      ctx.runOnContext(v -> emit());
    }
  }

  private void emit() {
    scheduled = false;
    while (!paused && !finished) {
      if (failAt >= 0 && pos >= failAt) {
        finished = true;
        if (exceptionHandler != null) {
          exceptionHandler.handle(new IOException("the client went away"));
        }
        return;
      }
      if (pos >= data.length()) {
        finished = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      int end = Math.min(data.length(), pos + chunk);
      if (failAt >= 0) {
        end = Math.min(end, Math.max(pos + 1, failAt));
      }
      Buffer piece = data.getBuffer(pos, end);
      pos = end;
      handler.handle(piece);
    }
  }
}
