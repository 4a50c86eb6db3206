package data.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.function.Supplier;

/**
 * An open range of a blob. The stream must be consumed to its end or {@link #close() closed}
 * (for example when the HTTP client goes away); it releases its file or connection either way.
 *
 * @param stream      the bytes of {@code [start, start + length)}, paused-aware (backpressure)
 * @param start       the first byte's offset
 * @param length      how many bytes the stream yields
 * @param totalSize   the whole blob's size (for {@code Content-Range})
 * @param contentType the stored content type
 * @param closer      releases the underlying resource; idempotent
 */
public record BlobRead(ReadStream<Buffer> stream, long start, long length, long totalSize, String contentType,
                       Supplier<Future<Void>> closer) {

  /** The offset of the last byte served, inclusive ({@code start - 1} for an empty read). */
  public long endInclusive() {
    return start + length - 1;
  }

  /** Releases the stream's resource early; safe to call after the stream ended. */
  public Future<Void> close() {
    return closer.get();
  }
}
