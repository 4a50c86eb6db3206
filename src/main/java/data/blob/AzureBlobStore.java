package data.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.ArchiveStatus;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.RehydratePriority;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Azure Blob Storage (and Azurite in tests) through the blocking azure-storage-blob client, every
 * call of which runs on the named worker pool {@code parley-blob}, never on an event loop.
 *
 * <p>Every blob is a block blob (only block blobs have access tiers). An upload stages the body
 * as blocks of {@link Settings#blockSize()} bytes while it arrives (one block being staged, one
 * being filled, the source paused when both are busy) and commits the block list at the end,
 * with the content type and the SHA-256 (metadata {@code sha256}). Until that commit nothing is
 * visible under the key; blocks of an aborted upload stay uncommitted, invisible, and are
 * discarded by the service (after a week). {@link #append} stages the chunk's blocks and commits
 * the old block list plus the new blocks on the condition that the blob's ETag did not change, so
 * a failed chunk leaves the blob as it was. A blob holds at most 50,000 blocks: with one
 * MediaRecorder chunk a second that is about 14 hours of recording.
 */
public final class AzureBlobStore implements BlobStore {

  private static final String SHA256 = "sha256";
  private static final int READ_CHUNK = 64 * 1024;

  /**
   * Parsed {@code blobs.azure} settings.
   *
   * @param connectionString the storage account's connection string (required)
   * @param container        the container, created on start when missing
   * @param blockSize        bytes per staged block (memory per upload is about twice this)
   * @param workerPoolSize   threads of the {@code parley-blob} pool
   * @param maxTries         tries per request, first one included
   * @param tryTimeout       time limit of one try
   * @param retryDelay       first back-off between tries (doubling up to {@code maxRetryDelay})
   * @param rehydratePriority {@code Standard} or {@code High}
   */
  public record Settings(String connectionString, String container, int blockSize, int workerPoolSize, int maxTries,
                         Duration tryTimeout, Duration retryDelay, Duration maxRetryDelay,
                         RehydratePriority rehydratePriority) {

    /** From the {@code blobs.azure} object; a missing connection string names its key. */
    public static Settings fromJson(JsonObject azure) {
      JsonObject a = azure == null ? new JsonObject() : azure;
      String cs = a.getString("connectionString");
      if (cs == null || cs.isBlank()) {
        throw new IllegalArgumentException("blobs.azure.connectionString is required when blobs.provider is \"azure\"");
      }
      String container = a.getString("container", "parley");
      if (container == null || !container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException("blobs.azure.container must be 3-63 lower-case letters, digits and single"
            + " hyphens, got " + container);
      }
      int blockSize = a.getInteger("blockSizeBytes", 4 * 1024 * 1024);
      if (blockSize < 64 * 1024 || blockSize > 100 * 1024 * 1024) {
        throw new IllegalArgumentException("blobs.azure.blockSizeBytes must be between 64 KiB and 100 MiB");
      }
      String priority = a.getString("rehydratePriority", "Standard");
      return new Settings(cs, container, blockSize, a.getInteger("workerPoolSize", 8), a.getInteger("maxTries", 3),
          Duration.ofSeconds(a.getLong("tryTimeoutSeconds", 60L)),
          Duration.ofMillis(a.getLong("retryDelayMs", 500L)),
          Duration.ofMillis(a.getLong("maxRetryDelayMs", 5000L)),
          RehydratePriority.fromString(priority));
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final WorkerExecutor worker;
  private final BlobContainerClient container;

  public AzureBlobStore(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    try {
      this.container = new BlobServiceClientBuilder()
          .connectionString(settings.connectionString())
          .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, settings.maxTries(), settings.tryTimeout(),
              settings.retryDelay(), settings.maxRetryDelay(), null))
          .buildClient()
          .getBlobContainerClient(settings.container());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("blobs.azure.connectionString is not a valid connection string: "
          + e.getMessage(), e);
    }
    this.worker = vertx.createSharedWorkerExecutor("parley-blob", settings.workerPoolSize());
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public Optional<String> linkOrigin() {
    URI url = URI.create(container.getBlobContainerUrl());
    return Optional.of(url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""));
  }

  @Override
  public Future<Void> start() {
    return blocking(() -> {
      container.createIfNotExists();
      return (Void) null;
    }).recover(err -> Future.failedFuture(map(err, null)));
  }

  @Override
  public Future<Void> close() {
    return worker.close();
  }

  @Override
  public Future<Void> health() {
    return blocking(() -> {
      if (!container.exists()) {
        throw ParleyException.unavailable("blob container " + settings.container() + " does not exist");
      }
      return (Void) null;
    }).recover(err -> Future.failedFuture(map(err, null)));
  }

  @Override
  public Future<BlobInfo> put(BlobKey key, ReadStream<Buffer> body, String contentType, long maxBytes) {
    body.pause();
    BlockBlobClient client = blockClient(key);
    BlockSink sink = new BlockSink(client);
    return BodyPump.pump(body, maxBytes, key + " is larger than " + maxBytes + " bytes", sink)
        .compose(r -> sink.finish().compose(ids -> blocking(() -> {
          Map<String, String> metadata = Map.of(SHA256, r.sha256());
          client.commitBlockListWithResponse(ids, new BlobHttpHeaders().setContentType(contentType), metadata,
              AccessTier.HOT, null, null, Context.NONE);
          return null;
        })))
        .onComplete(ar -> sink.release())
        .compose(v -> stat(key))
        .recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<BlobInfo> append(BlobKey key, long offset, ReadStream<Buffer> chunk, String contentType,
                                 long maxTotalBytes) {
    chunk.pause();
    BlockBlobClient client = blockClient(key);
    return vertx.sharedData().withLocalLock("parley-blob:azure:" + settings.container() + ":" + key.path(), 30_000,
        () -> blocking(() -> current(client)).compose(now -> {
          if (now.tier() == Tier.ARCHIVE) {
            throw ParleyException.conflict("blob " + key + " is archived; it cannot be appended to");
          }
          if (offset != now.size()) {
            throw ParleyException.conflict("append offset " + offset + " does not match the size of " + key
                + "; expected offset " + now.size());
          }
          BlockSink sink = new BlockSink(client);
          String tooLarge = key + " would be larger than " + maxTotalBytes + " bytes";
          return BodyPump.pump(chunk, maxTotalBytes - now.size(), tooLarge, sink)
              .compose(r -> sink.finish().compose(ids -> blocking(() -> {
                List<String> all = new ArrayList<>(now.blockIds());
                all.addAll(ids);
                Map<String, String> metadata = new HashMap<>(now.metadata());
                metadata.remove(SHA256);
                if (now.etag() == null) {
                  metadata.put(SHA256, r.sha256()); // the first chunk is the whole blob
                }
                BlobRequestConditions unchanged = now.etag() == null
                    ? new BlobRequestConditions().setIfNoneMatch("*")
                    : new BlobRequestConditions().setIfMatch(now.etag());
                client.commitBlockListWithResponse(all,
                    new BlobHttpHeaders().setContentType(now.etag() == null ? contentType : now.contentType()),
                    metadata, now.etag() == null ? AccessTier.HOT : accessTier(now.tier()), unchanged, null,
                    Context.NONE);
                return null;
              }))).onComplete(ar -> sink.release());
        }))
        .compose(v -> stat(key))
        .recover(err -> {
          chunk.resume();
          if (err instanceof BlobStorageException bse && bse.getStatusCode() == 412) {
            return Future.failedFuture(ParleyException.conflict("blob " + key
                + " changed while the chunk was written; read its size and resume"));
          }
          return Future.failedFuture(map(err, key));
        });
  }

  /** The blob's state before an append: size 0 and no ETag when it does not exist. */
  private record Current(long size, String etag, Tier tier, String contentType, Map<String, String> metadata,
                         List<String> blockIds) {
  }

  private static Current current(BlockBlobClient client) {
    BlobProperties props;
    try {
      props = client.getProperties();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return new Current(0, null, Tier.HOT, null, Map.of(), List.of());
      }
      throw e;
    }
    List<String> ids = new ArrayList<>();
    for (Block b : client.listBlocks(BlockListType.COMMITTED).getCommittedBlocks()) {
      ids.add(b.getName());
    }
    return new Current(props.getBlobSize(), props.getETag(), tierOf(props.getAccessTier()), props.getContentType(),
        props.getMetadata() == null ? Map.of() : props.getMetadata(), ids);
  }

  @Override
  public Future<BlobRead> read(BlobKey key, long start, long endInclusive) {
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    BlobClient client = container.getBlobClient(key.path());
    return readable(key, client).compose(props -> {
      Errors.Range range = Errors.Range.of(key, props.getBlobSize(), start, endInclusive);
      if (range.length() == 0) {
        return Future.succeededFuture(new BlobRead(Streams.empty(ctx), 0, 0, 0, props.getContentType(),
            Future::succeededFuture));
      }
      return blocking(() -> (InputStream) client.openInputStream(new BlobInputStreamOptions()
          .setRange(new BlobRange(range.start(), range.length()))
          .setRequestConditions(new BlobRequestConditions().setIfMatch(props.getETag()))
          .setBlockSize(1024 * 1024)))
          .map(in -> {
            Streams.Pull stream = Streams.fromInputStream(ctx, worker, in, range.length(), READ_CHUNK);
            return new BlobRead(stream, range.start(), range.length(), props.getBlobSize(), props.getContentType(),
                stream::close);
          });
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  /** The blob's properties when it can be served; archived blobs start rehydrating and fail with 409. */
  private Future<BlobProperties> readable(BlobKey key, BlobClient client) {
    return blocking(client::getProperties).compose(props -> {
      if (tierOf(props.getAccessTier()) != Tier.ARCHIVE) {
        return Future.succeededFuture(props);
      }
      return rehydrate(key).transform(x -> Future.failedFuture(Errors.archived(key)));
    });
  }

  @Override
  public Future<BlobInfo> stat(BlobKey key) {
    BlobClient client = container.getBlobClient(key.path());
    return blocking(client::getProperties)
        .map(p -> new BlobInfo(key, p.getBlobSize(), sha(p.getMetadata()), p.getContentType(),
            tierOf(p.getAccessTier()), instant(p.getLastModified()), isRehydrating(p.getArchiveStatus())))
        .recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    BlobClient client = container.getBlobClient(key.path());
    return blocking(() -> {
      client.deleteIfExists();
      return (Void) null;
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> setTier(BlobKey key, Tier tier) {
    BlobClient client = container.getBlobClient(key.path());
    return blocking(() -> {
      client.setAccessTierWithResponse(accessTier(tier), settings.rehydratePriority(), null, null, Context.NONE);
      return (Void) null;
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> rehydrate(BlobKey key) {
    BlobClient client = container.getBlobClient(key.path());
    return blocking(() -> {
      BlobProperties p = client.getProperties();
      if (tierOf(p.getAccessTier()) == Tier.ARCHIVE && !isRehydrating(p.getArchiveStatus())) {
        client.setAccessTierWithResponse(AccessTier.COOL, settings.rehydratePriority(), null, null, Context.NONE);
      }
      return (Void) null;
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<List<BlobInfo>> list(String prefix) {
    String p = prefix == null ? "" : prefix;
    if (!p.matches("[A-Za-z0-9_/-]*") || p.contains("//") || p.startsWith("/")) {
      return Future.failedFuture(ParleyException.badRequest("invalid blob prefix"));
    }
    return blocking(() -> {
      List<BlobInfo> out = new ArrayList<>();
      ListBlobsOptions options = new ListBlobsOptions().setPrefix(p)
          .setDetails(new BlobListDetails().setRetrieveMetadata(true));
      for (BlobItem item : container.listBlobs(options, null)) {
        BlobKey key;
        try {
          key = BlobKey.parse(item.getName());
        } catch (RuntimeException e) {
          continue; // not one of ours
        }
        var props = item.getProperties();
        out.add(new BlobInfo(key, props.getContentLength(), sha(item.getMetadata()), props.getContentType(),
            tierOf(props.getAccessTier()), instant(props.getLastModified()), isRehydrating(props.getArchiveStatus())));
      }
      return out;
    }).recover(err -> Future.failedFuture(map(err, null)));
  }

  @Override
  public Future<Optional<URI>> signedUrl(BlobKey key, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(7)) > 0) {
      return Future.failedFuture(ParleyException.badRequest("a signed URL lives between 1 second and 7 days"));
    }
    BlobClient client = container.getBlobClient(key.path());
    return readable(key, client).map(props -> {
      BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(OffsetDateTime.now().plus(ttl),
          new BlobSasPermission().setReadPermission(true));
      return Optional.of(URI.create(client.getBlobUrl() + "?" + client.generateSas(values)));
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  // ---- machinery

  private BlockBlobClient blockClient(BlobKey key) {
    return container.getBlobClient(key.path()).getBlockBlobClient();
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return worker.executeBlocking(call, false);
  }

  /**
   * Stages the body's blocks on the worker pool, one after the other (see {@link PartSink}). Block
   * ids are {@code <upload>-<n>}, all of one length.
   */
  private final class BlockSink extends PartSink {
    private final BlockBlobClient client;
    private final String upload = UUID.randomUUID().toString().replace("-", "");
    private final List<String> ids = new ArrayList<>();

    BlockSink(BlockBlobClient client) {
      super(settings.blockSize());
      this.client = client;
    }

    /** Stages all that is left; yields the ids of this upload's blocks in order. */
    Future<List<String>> finish() {
      return flush().map(v -> List.copyOf(ids));
    }

    @Override
    protected Future<Void> send(byte[] block, int length) {
      String id = Base64.getEncoder().encodeToString(
          String.format("%s-%08d", upload, ids.size()).getBytes(StandardCharsets.US_ASCII));
      ids.add(id);
      return blocking(() -> {
        client.stageBlock(id, BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, length)));
        return (Void) null;
      });
    }
  }

  private static Tier tierOf(AccessTier tier) {
    if (tier == null) {
      return Tier.HOT;
    }
    if (AccessTier.ARCHIVE.equals(tier)) {
      return Tier.ARCHIVE;
    }
    if (AccessTier.COOL.equals(tier) || AccessTier.COLD.equals(tier)) {
      return Tier.COOL;
    }
    return Tier.HOT;
  }

  private static AccessTier accessTier(Tier tier) {
    return switch (tier) {
      case HOT -> AccessTier.HOT;
      case COOL -> AccessTier.COOL;
      case ARCHIVE -> AccessTier.ARCHIVE;
    };
  }

  private static boolean isRehydrating(ArchiveStatus status) {
    return status != null;
  }

  private static String sha(Map<String, String> metadata) {
    return metadata == null ? null : metadata.get(SHA256);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  /** Azure's statuses to the contract's; anything that is not an answer from the service is 503. */
  private static ParleyException map(Throwable err, BlobKey key) {
    if (err instanceof ParleyException pe) {
      return pe;
    }
    if (err instanceof BlobStorageException e) {
      String what = key == null ? "blob store" : "blob " + key;
      return switch (e.getStatusCode()) {
        case 404 -> ParleyException.notFound(what + " not found");
        case 409 -> ParleyException.conflict(what + ": " + e.getErrorCode());
        case 412 -> ParleyException.conflict(what + " changed meanwhile");
        case 416 -> Errors.rangeNotSatisfiable(what + ": range not satisfiable");
        case 400 -> ParleyException.badRequest(what + ": " + e.getErrorCode());
        default -> Errors.unavailable(err);
      };
    }
    return Errors.unavailable(err);
  }

}
