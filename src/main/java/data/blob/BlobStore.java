package data.blob;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where recordings, shared files and transcripts are kept: the filesystem under
 * {@code ./data/blobs} by default ({@link FilesystemBlobStore}), Azure Blob Storage in production
 * ({@link AzureBlobStore}). Built by {@link BlobStoreFactory}; {@link #start()} must complete
 * before use.
 *
 * <p>Every method returns at once and never blocks the calling event loop; SDK calls that block
 * run on the named worker pool {@code parley-blob}. Failures are {@link common.ParleyException}s
 * with the contract's statuses: 400 bad key or range, 404 no such blob, 409 archived blob or
 * wrong append offset, 413 over the size limit, 416 range outside the blob, 503 store down.
 *
 * <p>Bodies are streamed: they are never held whole in memory. A write reads its source only as
 * fast as the store accepts it (the source is paused meanwhile), so heap use per upload is
 * bounded by a few buffers (one Azure block, 4 MiB by default, plus the one being filled).
 * Nothing partial is ever visible under a blob's key.
 */
public interface BlobStore {

  /** Access tiers, from fast and dear to slow and cheap. Archived blobs cannot be read. */
  enum Tier { HOT, COOL, ARCHIVE }

  /** {@code "filesystem"} or {@code "azure"}. */
  String provider();

  /** Prepares the store (folders, or the Azure container when missing). */
  Future<Void> start();

  /** Releases the store's worker pool and clients. */
  Future<Void> close();

  /** Succeeds when the store answers; fails with 503 otherwise (for {@code /health/ready}). */
  Future<Void> health();

  /**
   * Streams {@code body} into a new blob in the {@link Tier#HOT} tier, replacing any blob under
   * the same key only once the whole body has arrived. The SHA-256 and size are computed on the
   * way. A zero-byte body is stored (the HTTP routes reject empty uploads themselves).
   *
   * <p>More than {@code maxBytes} bytes: the write is aborted, the partial data deleted, and the
   * future fails with 413; the rest of the body is read and discarded (the caller may close the
   * connection instead). A body that fails (the client went away) likewise leaves nothing.
   *
   * <p>The body is paused at once and resumed when the store is ready, so the caller may hand
   * over a request it has not paused; if it does asynchronous work of its own first (reading the
   * head for {@link ContentSniffer}), it pauses the request itself.
   *
   * @param contentType stored as is; check it first with {@link ContentSniffer}
   */
  Future<BlobInfo> put(BlobKey key, ReadStream<Buffer> body, String contentType, long maxBytes);

  /**
   * Appends one chunk to a blob, as a browser's MediaRecorder produces a recording piece by
   * piece. {@code offset} must equal the blob's current size (0 creates it), otherwise the
   * future fails with 409 and a message naming the expected offset, so a client that lost track
   * can resume. A chunk that fails, or that would take the blob over {@code maxTotalBytes} (413),
   * leaves the blob as it was before the chunk. Appends to one key are serialised. Once a
   * second chunk is appended the blob has no whole-blob SHA-256 ({@link BlobInfo#sha256()} is null).
   *
   * @param contentType used when the chunk creates the blob; ignored afterwards
   */
  Future<BlobInfo> append(BlobKey key, long offset, ReadStream<Buffer> chunk, String contentType, long maxTotalBytes);

  /** {@link #append(BlobKey, long, ReadStream, String, long)} for a recording of unknown type. */
  default Future<BlobInfo> append(BlobKey key, long offset, ReadStream<Buffer> chunk, long maxTotalBytes) {
    return append(key, offset, chunk, "application/octet-stream", maxTotalBytes);
  }

  /**
   * Opens {@code [start, endInclusive]} of a blob for streaming (video seeking). A negative
   * {@code endInclusive}, or one past the end, means "to the end". {@code start} past the end of
   * a non-empty blob fails with 416. An archived blob is not served: rehydration is started and
   * the future fails with 409 ("... is archived; rehydration started ...").
   */
  Future<BlobRead> read(BlobKey key, long start, long endInclusive);

  /** Size, SHA-256 (when known), tier, last modification and content type; 404 when absent. */
  Future<BlobInfo> stat(BlobKey key);

  /** Deletes a blob; deleting an absent blob succeeds. */
  Future<Void> delete(BlobKey key);

  /**
   * Moves a blob to another tier. Leaving {@link Tier#ARCHIVE} this way is a rehydration
   * (it takes time on Azure); prefer {@link #rehydrate}.
   */
  Future<Void> setTier(BlobKey key, Tier tier);

  /**
   * Starts bringing an archived blob back to {@link Tier#COOL}; completes once started, not
   * once done ({@link BlobInfo#rehydrating()} is true meanwhile). A blob that is not archived
   * is left as it is.
   */
  Future<Void> rehydrate(BlobKey key);

  /** The blobs whose key path starts with {@code prefix} (for example {@code "acme/m1/"}), by key. */
  Future<List<BlobInfo>> list(String prefix);

  /**
   * A URL the browser can download the blob from directly, with read permission only, valid for
   * {@code ttl}: a SAS URL on Azure. Empty for the filesystem store: the server then streams the
   * blob itself, or signs its own route with {@link UrlSigner}. Archived blobs fail with 409 as
   * for {@link #read}.
   */
  Future<Optional<URI>> signedUrl(BlobKey key, Duration ttl);

  /**
   * The origin ({@code scheme://host[:port]}) that {@link #signedUrl} links point at, when it is
   * not this server: the web client's content security policy must allow media from it.
   */
  default Optional<String> linkOrigin() {
    return Optional.empty();
  }
}
