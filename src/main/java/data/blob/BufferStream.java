package data.blob;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A small in-memory body (an exported transcript) as a {@link ReadStream}, for {@link BlobStore#put}.
 * It honours pause and fetch and delivers on the given context.
 */
public final class BufferStream implements ReadStream<Buffer> {

  private final Context context;
  private Buffer pending;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;

  public BufferStream(Context context, Buffer content) {
    this.context = context;
    this.pending = content;
  }

  @Override
  public BufferStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized BufferStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public synchronized BufferStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BufferStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public synchronized BufferStream fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public synchronized BufferStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    context.runOnContext(v -> deliver());
  }

  private void deliver() {
    Handler<Buffer> h;
    Buffer b = null;
    Handler<Void> end = null;
    synchronized (this) {
      h = handler;
      if (h == null || demand <= 0 || ended) {
        return;
      }
      if (pending != null) {
        b = pending;
        pending = null;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
      }
      if (pending == null && (b != null || demand > 0)) {
        ended = true;
        end = endHandler;
      }
    }
    if (b != null) {
      h.handle(b);
    }
    if (end != null) {
      end.handle(null);
    }
  }
}
