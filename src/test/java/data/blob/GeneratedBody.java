package data.blob;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * A request body made up on the fly, never held whole: byte {@code i} is
 * {@code PATTERN[i % PATTERN.length]} (a prime length, so every offset is distinguishable in a
 * range check). Honours pause/resume/fetch like an HTTP request, counts its pauses, and can fail
 * part-way like a client that goes away.
 */
public final class GeneratedBody implements ReadStream<Buffer> {

  private static final byte[] PATTERN = new byte[131_071];
  private static final byte[] DOUBLED = new byte[PATTERN.length * 2];

  static {
    new Random(42).nextBytes(PATTERN);
    System.arraycopy(PATTERN, 0, DOUBLED, 0, PATTERN.length);
    System.arraycopy(PATTERN, 0, DOUBLED, PATTERN.length, PATTERN.length);
  }

  private final Context ctx;
  private final long size;
  private final int chunkSize;
  private final long failAt;
  private long position;
  private long demand = Long.MAX_VALUE;
  private boolean scheduled;
  private boolean finished;
  private int pauses;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /** @param failAt the offset at which the body fails instead of going on; -1 for never */
  public GeneratedBody(Context ctx, long size, int chunkSize, long failAt) {
    if (chunkSize > PATTERN.length) {
      throw new IllegalArgumentException("chunk larger than the pattern");
    }
    this.ctx = ctx;
    this.size = size;
    this.chunkSize = chunkSize;
    this.failAt = failAt;
  }

  public static GeneratedBody of(Context ctx, long size) {
    return new GeneratedBody(ctx, size, 64 * 1024, -1);
  }

  /** The expected bytes {@code [start, start + length)} (length up to a few MiB). */
  public static Buffer bytes(long start, int length) {
    Buffer out = Buffer.buffer(length);
    long p = start;
    int left = length;
    while (left > 0) {
      int off = (int) (p % PATTERN.length);
      int n = Math.min(left, PATTERN.length);
      out.appendBytes(DOUBLED, off, n);
      p += n;
      left -= n;
    }
    return out;
  }

  /** The SHA-256 of the first {@code size} bytes, in lower-case hex. */
  public static String sha256(long size) {
    MessageDigest d = BodyPump.sha256();
    long p = 0;
    while (p < size) {
      int off = (int) (p % PATTERN.length);
      int n = (int) Math.min(size - p, PATTERN.length);
      d.update(DOUBLED, off, n);
      p += n;
    }
    return HexFormat.of().formatHex(d.digest());
  }

  public int pauses() {
    return pauses;
  }

  public long emitted() {
    return position;
  }

  @Override
  public GeneratedBody exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public GeneratedBody handler(Handler<Buffer> handler) {
    this.handler = handler;
    schedule();
    return this;
  }

  @Override
  public GeneratedBody pause() {
    if (demand != 0) {
      pauses++;
    }
    demand = 0;
    return this;
  }

  @Override
  public GeneratedBody resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public GeneratedBody fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public GeneratedBody endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled && !finished && handler != null) {
      scheduled = true;
      ctx.runOnContext(v -> emit());
    }
  }

  private void emit() {
    scheduled = false;
    // A burst per turn, then yield the event loop, as a socket would.
    for (int i = 0; i < 16 && demand > 0 && !finished; i++) {
      if (failAt >= 0 && position >= failAt) {
        finished = true;
        if (exceptionHandler != null) {
          exceptionHandler.handle(new IOException("the client went away"));
        }
        return;
      }
      if (position >= size) {
        finished = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      int n = (int) Math.min(chunkSize, size - position);
      if (failAt >= 0) {
        n = (int) Math.min(n, Math.max(1, failAt - position));
      }
      Buffer chunk = Buffer.buffer(n).appendBytes(DOUBLED, (int) (position % PATTERN.length), n);
      position += n;
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(chunk);
    }
    if (demand > 0 && !finished) {
      schedule();
    }
  }
}
