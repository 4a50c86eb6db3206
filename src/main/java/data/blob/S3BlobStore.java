package data.blob;

import common.ParleyException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GlacierJobParameters;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.EOFException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * AWS S3 and S3-compatible stores (MinIO, Ceph RGW, Cloudflare R2, ...) through the AWS SDK for
 * Java v2's asynchronous client on Netty. SDK calls are started from the named worker pool
 * {@code parley-blob} (signing hashes the payload and the default credentials chain may block),
 * and their results come back on the caller's context.
 *
 * <p><b>Uploads</b> are streamed: the body fills a part of {@link Settings#partSize()} bytes while
 * the previous one is sent (two parts in memory at most, the source paused when both are busy). A
 * body that ends within the first part is one {@code PutObject}; a longer one is a multipart upload
 * completed at the end, or aborted when the body fails or goes over its limit. Nothing is visible
 * under the key until the upload completes.
 *
 * <p><b>Appends.</b> S3 objects cannot grow, so a blob built by {@link #append} is the object under
 * its key (the first chunk) plus one <em>segment</em> object per further chunk, named
 * {@code <key>~seg~<generation>~<offset>}; reads and sizes take them together. The main object's
 * metadata {@code gen} names its generation: a later {@link #put} or a tier change writes a new
 * generation, which makes older segments invisible at once (they are then deleted). Segments are
 * written with {@code If-None-Match: *}, so two chunks racing for one offset cannot both land.
 *
 * <p><b>Tiers</b> are storage classes: {@link Tier#HOT} STANDARD, {@link Tier#COOL} STANDARD_IA,
 * {@link Tier#ARCHIVE} GLACIER (configurable). Changing the class is a copy of the object onto
 * itself; a blob with segments, or over 5 GiB (the limit of one copy), is rewritten as one object
 * in the new class instead (streamed through the server, once). An archived object is not
 * readable: reading or linking it starts a {@code RestoreObject} and answers 409; while the
 * restore runs it reports {@link BlobInfo#rehydrating()}; once it is done, the next look at the
 * blob ({@link #stat}, {@link #rehydrate}) copies it into the cool class for good.
 *
 * <p>Download links are presigned {@code GetObject} URLs; a blob with segments has none (empty:
 * the server signs its own route and streams it).
 */
public final class S3BlobStore implements BlobStore {

  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
  static final String SEGMENT = "~seg~";
  private static final String SHA256 = "sha256";
  private static final String GEN = "gen";
  private static final int READ_CHUNK = 64 * 1024;
  private static final long MAX_COPY_BYTES = 5L << 30;
  private static final int MIN_PART = 5 * 1024 * 1024;

  /**
   * Parsed {@code blobs.s3} settings.
   *
   * @param bucket          the bucket (required), created on start when missing and {@code createBucket}
   * @param region          the signing region ({@code us-east-1} for most S3-compatible servers)
   * @param endpoint        endpoint override (MinIO, Ceph, R2), or null for AWS
   * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
   * @param accessKeyId     static credentials, or null for the default AWS chain (environment,
   *                        profile, web identity, container and instance roles)
   * @param partSize        bytes per uploaded part (5 MiB to 5 GiB; memory per upload is about twice this)
   * @param restoreDays     how long a restored copy of an archived object lives (it is copied to cool at once)
   * @param restoreTier     {@code Standard}, {@code Bulk} or {@code Expedited}
   * @param storageClasses  the storage class of each tier
   */
  public record Settings(String bucket, String region, URI endpoint, boolean pathStyle, String accessKeyId,
                         String secretAccessKey, String sessionToken, int partSize, int workerPoolSize,
                         int maxAttempts, Duration apiCallTimeout, int restoreDays, String restoreTier,
                         Map<Tier, String> storageClasses, boolean createBucket) {

    /** From the {@code blobs.s3} object; a missing or invalid setting names its key. */
    public static Settings fromJson(JsonObject s3) {
      JsonObject s = s3 == null ? new JsonObject() : s3;
      String bucket = s.getString("bucket");
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("blobs.s3.bucket is required when blobs.provider is \"s3\"");
      }
      if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException("blobs.s3.bucket must be 3-63 lower-case letters, digits, dots and hyphens,"
            + " got " + bucket);
      }
      String region = s.getString("region", "us-east-1");
      if (region == null || !region.matches("[a-z0-9-]{2,32}")) {
        throw new IllegalArgumentException("blobs.s3.region must be a region name such as us-east-1, got " + region);
      }
      URI endpoint = null;
      String ep = s.getString("endpoint");
      if (ep != null && !ep.isBlank()) {
        try {
          endpoint = URI.create(ep);
        } catch (IllegalArgumentException e) {
          endpoint = null;
        }
        if (endpoint == null || endpoint.getHost() == null
            || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
          throw new IllegalArgumentException("blobs.s3.endpoint must be an http(s) URL, got " + ep);
        }
      }
      String keyId = blankToNull(s.getString("accessKeyId"));
      String secret = blankToNull(s.getString("secretAccessKey"));
      if ((keyId == null) != (secret == null)) {
        throw new IllegalArgumentException("blobs.s3.accessKeyId and blobs.s3.secretAccessKey go together"
            + " (leave both out for the default AWS credentials chain)");
      }
      long part = s.getLong("partSizeBytes", 8L * 1024 * 1024);
      if (part < MIN_PART || part > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("blobs.s3.partSizeBytes must be between 5 MiB and 2 GiB");
      }
      int restoreDays = s.getInteger("restoreDays", 1);
      if (restoreDays < 1) {
        throw new IllegalArgumentException("blobs.s3.restoreDays must be at least 1");
      }
      String restoreTier = s.getString("restoreTier", "Standard");
      if (!List.of("Standard", "Bulk", "Expedited").contains(restoreTier)) {
        throw new IllegalArgumentException("blobs.s3.restoreTier must be Standard, Bulk or Expedited, got " + restoreTier);
      }
      JsonObject classes = s.getJsonObject("storageClasses", new JsonObject());
      Map<Tier, String> byTier = new LinkedHashMap<>();
      byTier.put(Tier.HOT, classes.getString("hot", "STANDARD"));
      byTier.put(Tier.COOL, classes.getString("cool", "STANDARD_IA"));
      byTier.put(Tier.ARCHIVE, classes.getString("archive", "GLACIER"));
      for (Map.Entry<Tier, String> e : byTier.entrySet()) {
        if (e.getValue() == null || !e.getValue().matches("[A-Z_]{2,40}")) {
          throw new IllegalArgumentException("blobs.s3.storageClasses." + e.getKey().name().toLowerCase(Locale.ROOT)
              + " must be an S3 storage class such as STANDARD_IA, got " + e.getValue());
        }
      }
      return new Settings(bucket, region, endpoint, s.getBoolean("pathStyle", false), keyId, secret,
          blankToNull(s.getString("sessionToken")), (int) part, s.getInteger("workerPoolSize", 8),
          s.getInteger("maxAttempts", 3), Duration.ofSeconds(s.getLong("apiCallTimeoutSeconds", 300L)), restoreDays,
          restoreTier, Map.copyOf(byTier), s.getBoolean("createBucket", true));
    }

    private static String blankToNull(String v) {
      return v == null || v.isBlank() ? null : v;
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final WorkerExecutor worker;
  private final S3AsyncClient s3;
  private final S3Presigner presigner;

  public S3BlobStore(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    AwsCredentialsProvider credentials = credentials(settings);
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64)
            .connectionAcquisitionTimeout(Duration.ofSeconds(60)))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        // Parley hashes every body itself (SHA-256); the SDK's default CRC trailers use aws-chunked
        // encoding, which several S3-compatible servers do not accept.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(Math.max(1, settings.maxAttempts())).build()).apiCallTimeout(settings.apiCallTimeout()));
    S3Presigner.Builder presign = S3Presigner.builder().region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
      presign.endpointOverride(settings.endpoint());
    }
    this.s3 = builder.build();
    this.presigner = presign.build();
    this.worker = vertx.createSharedWorkerExecutor("parley-blob", settings.workerPoolSize());
  }

  private static AwsCredentialsProvider credentials(Settings s) {
    if (s.accessKeyId() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(s.sessionToken() == null
        ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
        : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
  }

  @Override
  public String provider() {
    return "s3";
  }

  @Override
  public Optional<String> linkOrigin() {
    URI ep = settings.endpoint() != null ? settings.endpoint()
        : URI.create("https://s3." + settings.region() + ".amazonaws.com");
    String host = settings.pathStyle() ? ep.getHost() : settings.bucket() + "." + ep.getHost();
    return Optional.of(ep.getScheme() + "://" + host + (ep.getPort() > 0 ? ":" + ep.getPort() : ""));
  }

  @Override
  public Future<Void> start() {
    return call(() -> s3.headBucket(b -> b.bucket(settings.bucket()))).<Void>mapEmpty()
        .recover(err -> {
          if (status(err) == 404 && settings.createBucket()) {
            LOG.info("Creating the S3 bucket {}", settings.bucket());
            return call(() -> s3.createBucket(b -> {
              b.bucket(settings.bucket());
              if (settings.endpoint() == null && !"us-east-1".equals(settings.region())) {
                b.createBucketConfiguration(c -> c.locationConstraint(settings.region()));
              }
            })).mapEmpty();
          }
          return Future.failedFuture(err);
        })
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(map(err, null)));
  }

  @Override
  public Future<Void> close() {
    return worker.close().onComplete(ar -> {
      s3.close();
      presigner.close();
    });
  }

  @Override
  public Future<Void> health() {
    return call(() -> s3.headBucket(b -> b.bucket(settings.bucket()))).<Void>mapEmpty()
        .recover(err -> Future.failedFuture(status(err) == 404
            ? ParleyException.unavailable("S3 bucket " + settings.bucket() + " does not exist")
            : map(err, null)));
  }

  // ---- writing

  @Override
  public Future<BlobInfo> put(BlobKey key, ReadStream<Buffer> body, String contentType, long maxBytes) {
    body.pause();
    String gen = newGeneration();
    Upload upload = new Upload(key.path(), contentType, settings.storageClasses().get(Tier.HOT), gen, false);
    return upload.from(body, maxBytes, key + " is larger than " + maxBytes + " bytes")
        .compose(r -> deleteSegments(key, gen).compose(v -> stat(key)).map(info -> info.sha256() != null ? info
            : new BlobInfo(key, info.size(), r.sha256(), info.contentType(), info.tier(), info.lastModified(),
                info.rehydrating())))
        .recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<BlobInfo> append(BlobKey key, long offset, ReadStream<Buffer> chunk, String contentType,
                                 long maxTotalBytes) {
    chunk.pause();
    return vertx.sharedData().withLocalLock("parley-blob:s3:" + settings.bucket() + ":" + key.path(), 30_000,
        () -> layoutOrEmpty(key).compose(now -> {
          if (now != null && now.tier() == Tier.ARCHIVE) {
            throw ParleyException.conflict("blob " + key + " is archived; it cannot be appended to");
          }
          long size = now == null ? 0 : now.size();
          if (offset != size) {
            throw ParleyException.conflict("append offset " + offset + " does not match the size of " + key
                + "; expected offset " + size);
          }
          String tooLarge = key + " would be larger than " + maxTotalBytes + " bytes";
          Upload upload = now == null
              ? new Upload(key.path(), contentType, settings.storageClasses().get(Tier.HOT), newGeneration(), true)
              : new Upload(segmentName(key, now.generation(), offset), "application/octet-stream",
                  now.storageClass(), null, true);
          return upload.from(chunk, maxTotalBytes - size, tooLarge).mapEmpty();
        }))
        .compose(v -> stat(key))
        .recover(err -> {
          chunk.resume();
          if (status(err) == 412) {
            return Future.failedFuture(ParleyException.conflict("blob " + key
                + " changed while the chunk was written; read its size and resume"));
          }
          return Future.failedFuture(map(err, key));
        });
  }

  // ---- reading

  @Override
  public Future<BlobRead> read(BlobKey key, long start, long endInclusive) {
    Context ctx = vertx.getOrCreateContext();
    return readable(key).compose(layout -> {
      Errors.Range range = Errors.Range.of(key, layout.size(), start, endInclusive);
      if (range.length() == 0) {
        return Future.succeededFuture(new BlobRead(Streams.empty(ctx), 0, 0, 0, layout.contentType(),
            Future::succeededFuture));
      }
      Streams.Pull stream = pieces(ctx, layout.slice(range.start(), range.length()));
      return Future.succeededFuture(new BlobRead(stream, range.start(), range.length(), layout.size(),
          layout.contentType(), stream::close));
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<BlobInfo> stat(BlobKey key) {
    return layout(key).compose(layout -> {
      if (layout.tier() == Tier.ARCHIVE && layout.restore() == Restore.DONE) {
        return finishRestore(key, layout).compose(v -> layout(key));
      }
      return Future.succeededFuture(layout);
    }).map(layout -> layout.info(key)).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    return deleteSegments(key, null)
        .compose(v -> call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(key.path()))))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> setTier(BlobKey key, Tier tier) {
    return layout(key).compose(layout -> {
      if (layout.tier() == Tier.ARCHIVE && tier != Tier.ARCHIVE && layout.restore() != Restore.DONE) {
        return rehydrate(key); // an archived object must be restored before it can be copied
      }
      return changeClass(key, layout, settings.storageClasses().get(tier));
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<Void> rehydrate(BlobKey key) {
    return layout(key).compose(layout -> {
      if (layout.tier() != Tier.ARCHIVE || layout.restore() == Restore.ONGOING) {
        return Future.<Void>succeededFuture();
      }
      if (layout.restore() == Restore.DONE) {
        return finishRestore(key, layout);
      }
      List<Future<Void>> all = new ArrayList<>();
      for (Piece p : layout.pieces()) {
        all.add(call(() -> s3.restoreObject(b -> b.bucket(settings.bucket()).key(p.objectKey())
            .restoreRequest(r -> r.days(settings.restoreDays())
                .glacierJobParameters(GlacierJobParameters.builder().tier(settings.restoreTier()).build()))))
            .<Void>mapEmpty()
            .recover(err -> status(err) == 409 ? Future.succeededFuture() : Future.failedFuture(err)));
      }
      return Future.all(all).<Void>mapEmpty();
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  @Override
  public Future<List<BlobInfo>> list(String prefix) {
    String p = prefix == null ? "" : prefix;
    if (!p.matches("[A-Za-z0-9_/-]*") || p.contains("//") || p.startsWith("/")) {
      return Future.failedFuture(ParleyException.badRequest("invalid blob prefix"));
    }
    return listAll(p).compose(objects -> {
      List<Future<BlobInfo>> infos = new ArrayList<>();
      for (S3Object o : objects) {
        BlobKey key;
        try {
          key = BlobKey.parse(o.key());
        } catch (RuntimeException e) {
          continue; // a segment, or not one of ours
        }
        infos.add(layout(key).map(l -> l.info(key)));
      }
      return Future.all(infos).map(all -> all.<BlobInfo>list());
    }).recover(err -> Future.failedFuture(map(err, null)));
  }

  @Override
  public Future<Optional<URI>> signedUrl(BlobKey key, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(7)) > 0) {
      return Future.failedFuture(ParleyException.badRequest("a signed URL lives between 1 second and 7 days"));
    }
    return readable(key).compose(layout -> {
      if (layout.pieces().size() > 1) {
        return Future.succeededFuture(Optional.<URI>empty());
      }
      return worker.executeBlocking(() -> Optional.of(presigner.presignGetObject(b -> b.signatureDuration(ttl)
          .getObjectRequest(g -> g.bucket(settings.bucket()).key(key.path()))).url().toURI()), false);
    }).recover(err -> Future.failedFuture(map(err, key)));
  }

  // ---- layout: the main object and its segments

  private enum Restore { NONE, ONGOING, DONE }

  /** One object of a blob: its name, where it starts in the blob, its size. */
  private record Piece(String objectKey, long offset, long size) {
  }

  /** A byte range of one piece. */
  private record Slice(String objectKey, long from, long length) {
  }

  private record Layout(HeadObjectResponse head, Tier tier, List<Piece> pieces, long size, Instant lastModified) {

    String generation() {
      return head.metadata().get(GEN);
    }

    String storageClass() {
      return head.storageClassAsString() == null ? "STANDARD" : head.storageClassAsString();
    }

    String contentType() {
      return head.contentType();
    }

    Restore restore() {
      String r = head.restore();
      if (r == null) {
        return Restore.NONE;
      }
      return r.replace(" ", "").contains("ongoing-request=\"true\"") ? Restore.ONGOING : Restore.DONE;
    }

    BlobInfo info(BlobKey key) {
      String sha = pieces.size() > 1 ? null : head.metadata().get(SHA256);
      return new BlobInfo(key, size, sha, contentType(), tier, lastModified,
          tier == Tier.ARCHIVE && restore() == Restore.ONGOING);
    }

    List<Slice> slice(long start, long length) {
      List<Slice> out = new ArrayList<>();
      long end = start + length;
      for (Piece p : pieces) {
        long from = Math.max(start, p.offset());
        long to = Math.min(end, p.offset() + p.size());
        if (from < to) {
          out.add(new Slice(p.objectKey(), from - p.offset(), to - from));
        }
      }
      return out;
    }
  }

  private Future<Layout> layout(BlobKey key) {
    return call(() -> s3.headObject(b -> b.bucket(settings.bucket()).key(key.path()))).compose(head -> {
      String gen = head.metadata().get(GEN);
      Future<List<S3Object>> segments = gen == null ? Future.succeededFuture(List.of())
          : listAll(key.path() + SEGMENT + gen + "~");
      return segments.map(segs -> {
        List<Piece> pieces = new ArrayList<>();
        long size = head.contentLength();
        Instant last = head.lastModified();
        pieces.add(new Piece(key.path(), 0, size));
        List<S3Object> sorted = new ArrayList<>(segs);
        sorted.sort((a, b) -> a.key().compareTo(b.key())); // offsets are zero-padded: name order is offset order
        for (S3Object s : sorted) {
          long offset = segmentOffset(s.key());
          if (offset != size) {
            throw ParleyException.unavailable("blob " + key + " has a gap at byte " + size + " (segment " + s.key() + ")");
          }
          pieces.add(new Piece(s.key(), offset, s.size()));
          size += s.size();
          if (s.lastModified() != null && (last == null || s.lastModified().isAfter(last))) {
            last = s.lastModified();
          }
        }
        return new Layout(head, tierOf(head.storageClassAsString()), List.copyOf(pieces), size, last);
      });
    });
  }

  /** The layout, or null when the blob does not exist (an append's first chunk). */
  private Future<Layout> layoutOrEmpty(BlobKey key) {
    return layout(key).recover(err -> status(err) == 404 && !"NoSuchBucket".equals(errorCode(err))
        ? Future.succeededFuture(null) : Future.failedFuture(err));
  }

  /** The layout when the blob can be served; an archived one starts restoring and fails with 409. */
  private Future<Layout> readable(BlobKey key) {
    return layout(key).compose(layout -> {
      if (layout.tier() != Tier.ARCHIVE || layout.restore() == Restore.DONE) {
        return Future.succeededFuture(layout);
      }
      return rehydrate(key).transform(x -> Future.failedFuture(Errors.archived(key)));
    });
  }

  private Future<List<S3Object>> listAll(String prefix) {
    List<S3Object> out = new ArrayList<>();
    return listPage(prefix, null, out).map(v -> out);
  }

  private Future<Void> listPage(String prefix, String token, List<S3Object> out) {
    return call(() -> s3.listObjectsV2(b -> b.bucket(settings.bucket()).prefix(prefix).continuationToken(token)))
        .compose((ListObjectsV2Response page) -> {
          out.addAll(page.contents());
          return Boolean.TRUE.equals(page.isTruncated()) && page.nextContinuationToken() != null
              ? listPage(prefix, page.nextContinuationToken(), out) : Future.succeededFuture();
        });
  }

  /** Deletes the key's segments of every generation but {@code keep} (null: all of them). */
  private Future<Void> deleteSegments(BlobKey key, String keep) {
    return listAll(key.path() + SEGMENT).compose(segs -> {
      List<Future<?>> all = new ArrayList<>();
      for (S3Object s : segs) {
        if (keep == null || !s.key().startsWith(key.path() + SEGMENT + keep + "~")) {
          all.add(call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(s.key()))));
        }
      }
      return Future.all(all).mapEmpty();
    });
  }

  private static String segmentName(BlobKey key, String gen, long offset) {
    return key.path() + SEGMENT + gen + "~" + String.format("%016d", offset);
  }

  private static long segmentOffset(String objectKey) {
    return Long.parseLong(objectKey.substring(objectKey.lastIndexOf('~') + 1));
  }

  private static String newGeneration() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  // ---- tiers

  /** A restore finished: the object goes to the cool class for good (the restored copy is temporary). */
  private Future<Void> finishRestore(BlobKey key, Layout layout) {
    LOG.info("Restore of {} done; moving it to {}", key, settings.storageClasses().get(Tier.COOL));
    return changeClass(key, layout, settings.storageClasses().get(Tier.COOL));
  }

  private Future<Void> changeClass(BlobKey key, Layout layout, String storageClass) {
    boolean sameClass = storageClass.equals(layout.storageClass()) && layout.restore() == Restore.NONE;
    if (sameClass && layout.pieces().size() == 1) {
      return Future.succeededFuture();
    }
    if (layout.pieces().size() > 1 || layout.size() > MAX_COPY_BYTES) {
      return rewrite(key, layout, storageClass);
    }
    Map<String, String> metadata = new HashMap<>(layout.head().metadata());
    return call(() -> s3.copyObject(b -> b.sourceBucket(settings.bucket()).sourceKey(key.path())
        .destinationBucket(settings.bucket()).destinationKey(key.path())
        .metadataDirective(MetadataDirective.REPLACE).metadata(metadata).contentType(layout.contentType())
        .storageClass(storageClass).copySourceIfMatch(layout.head().eTag())))
        .<Void>mapEmpty();
  }

  /** Streams the whole blob into one new object of the given class (a new generation), then drops the segments. */
  private Future<Void> rewrite(BlobKey key, Layout layout, String storageClass) {
    Context ctx = vertx.getOrCreateContext();
    String gen = newGeneration();
    Streams.Pull source = pieces(ctx, layout.slice(0, layout.size()));
    source.pause();
    Upload upload = new Upload(key.path(), layout.contentType(), storageClass, gen, false);
    return upload.from(source, Long.MAX_VALUE, key + " is too large")
        .onFailure(err -> source.close())
        .mapEmpty()
        .compose(v -> deleteSegments(key, gen));
  }

  private Tier tierOf(String storageClass) {
    String c = storageClass == null ? "STANDARD" : storageClass;
    for (Map.Entry<Tier, String> e : settings.storageClasses().entrySet()) {
      if (e.getValue().equals(c)) {
        return e.getKey();
      }
    }
    return switch (c) {
      case "GLACIER", "DEEP_ARCHIVE" -> Tier.ARCHIVE;
      case "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR" -> Tier.COOL;
      default -> Tier.HOT;
    };
  }

  // ---- streams

  /** The slices one after the other, each a ranged GetObject read on the worker pool while there is demand. */
  private Streams.Pull pieces(Context ctx, List<Slice> slices) {
    Deque<Slice> todo = new ArrayDeque<>(slices);
    InputStream[] current = {null};
    long[] left = {0};
    return new Streams.Pull(ctx, () -> worker.executeBlocking(() -> {
      if (current[0] == null) {
        Slice s = todo.poll();
        if (s == null) {
          return null;
        }
        current[0] = join(s3.getObject(b -> b.bucket(settings.bucket()).key(s.objectKey())
            .range("bytes=" + s.from() + "-" + (s.from() + s.length() - 1)), AsyncResponseTransformer.toBlockingInputStream()));
        left[0] = s.length();
      }
      byte[] bytes = current[0].readNBytes((int) Math.min(READ_CHUNK, left[0]));
      if (bytes.length == 0) {
        throw new EOFException("the blob ended " + left[0] + " bytes early");
      }
      left[0] -= bytes.length;
      if (left[0] == 0) {
        Streams.closeQuietly(current[0]);
        current[0] = null;
      }
      return Buffer.buffer(bytes);
    }, true), () -> worker.executeBlocking(() -> {
      if (current[0] != null) {
        Streams.closeQuietly(current[0]);
        current[0] = null;
      }
      todo.clear();
      return null;
    }, false));
  }

  /**
   * Streams a body into one object: one PutObject when it fits in the first part, a multipart upload
   * otherwise, its parts sent one after the other (see {@link PartSink}).
   */
  private final class Upload extends PartSink {
    private final String objectKey;
    private final String contentType;
    private final String storageClass;
    private final String generation;
    private final boolean ifAbsent;
    private final List<CompletedPart> parts = new ArrayList<>();
    private Future<String> uploadId;

    /**
     * @param generation the {@code gen} metadata of a main object, or null for a segment
     * @param ifAbsent   written only if nothing is under the key yet ({@code If-None-Match: *})
     */
    Upload(String objectKey, String contentType, String storageClass, String generation, boolean ifAbsent) {
      super(settings.partSize());
      this.objectKey = objectKey;
      this.contentType = contentType;
      this.storageClass = storageClass;
      this.generation = generation;
      this.ifAbsent = ifAbsent;
    }

    Future<BodyPump.Result> from(ReadStream<Buffer> body, long limit, String limitMessage) {
      return BodyPump.pump(body, limit, limitMessage, this)
          .compose(r -> finish(r).map(r))
          .recover(err -> abort().transform(x -> Future.<BodyPump.Result>failedFuture(err)))
          .onComplete(ar -> release());
    }

    private Map<String, String> metadata(String sha256) {
      Map<String, String> m = new HashMap<>();
      if (generation != null) {
        m.put(GEN, generation);
        m.put(SHA256, sha256);
      }
      return m;
    }

    @Override
    protected Future<Void> send(byte[] part, int length) {
      if (uploadId == null) {
        uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey)
            .contentType(contentType).storageClass(storageClass).metadata(metadata(null))))
            .map(r -> r.uploadId());
      }
      int number = parts.size() + 1;
      parts.add(null);
      return uploadId.compose(id -> call(() -> s3.uploadPart(b -> b.bucket(settings.bucket())
              .key(objectKey).uploadId(id).partNumber(number).contentLength((long) length),
          AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(part, 0, length)))))
          .map(r -> {
            parts.set(number - 1, CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
            return (Void) null;
          });
    }

    private Future<Void> finish(BodyPump.Result result) {
      if (nothingSent()) {
        byte[] block = pending();
        int length = pendingLength();
        return call(() -> s3.putObject(b -> {
          b.bucket(settings.bucket()).key(objectKey).contentType(contentType).contentLength((long) length)
              .storageClass(storageClass).metadata(metadata(result.sha256()));
          if (ifAbsent) {
            b.ifNoneMatch("*");
          }
        }, AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(block, 0, length)))).mapEmpty();
      }
      Future<String> etag = flush().compose(v -> uploadId).compose(id -> call(() -> s3.completeMultipartUpload(b -> {
        b.bucket(settings.bucket()).key(objectKey).uploadId(id)
            .multipartUpload(m -> m.parts(List.copyOf(parts)));
        if (ifAbsent) {
          b.ifNoneMatch("*");
        }
      }))).map(r -> r.eTag());
      if (generation == null || result.size() > MAX_COPY_BYTES) {
        return etag.mapEmpty(); // over 5 GiB the hash stays unknown (BlobInfo#sha256 null): readers compute it
      }
      // Metadata is fixed when a multipart upload starts, before the hash is known: a server-side copy adds it.
      return etag.compose(tag -> call(() -> s3.copyObject(b -> b.sourceBucket(settings.bucket()).sourceKey(objectKey)
          .destinationBucket(settings.bucket()).destinationKey(objectKey).copySourceIfMatch(tag)
          .metadataDirective(MetadataDirective.REPLACE).metadata(metadata(result.sha256())).contentType(contentType)
          .storageClass(storageClass)))).mapEmpty();
    }

    private Future<Void> abort() {
      if (uploadId == null) {
        return Future.succeededFuture();
      }
      Future<String> id = uploadId;
      return settled().compose(v -> id).compose(u -> call(() -> s3.abortMultipartUpload(b ->
              b.bucket(settings.bucket()).key(objectKey).uploadId(u))))
          .<Void>mapEmpty()
          .recover(err -> {
            LOG.warn("Could not abort the multipart upload of {} ({}); a bucket lifecycle rule"
                + " (AbortIncompleteMultipartUpload) removes it", objectKey, Errors.rootMessage(err));
            return Future.succeededFuture();
          });
    }
  }

  // ---- machinery

  /** Starts an SDK call on the worker pool (signing and credentials may block) and completes on the caller's context. */
  private <T> Future<T> call(Supplier<CompletableFuture<T>> op) {
    Context ctx = vertx.getOrCreateContext();
    return worker.executeBlocking(op::get, false).compose(cf -> Future.fromCompletionStage(cf, ctx));
  }

  private static <T> T join(CompletableFuture<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static int status(Throwable err) {
    return unwrap(err) instanceof S3Exception e ? e.statusCode() : -1;
  }

  private static String errorCode(Throwable err) {
    return unwrap(err) instanceof S3Exception e && e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
  }

  /** S3's statuses to the contract's; anything that is not an answer about the object is 503. */
  private static ParleyException map(Throwable err, BlobKey key) {
    Throwable t = unwrap(err);
    if (t instanceof ParleyException pe) {
      return pe;
    }
    if (t instanceof S3Exception e) {
      String what = key == null ? "blob store" : "blob " + key;
      String code = errorCode(e);
      return switch (e.statusCode()) {
        case 404 -> "NoSuchBucket".equals(code) || key == null ? Errors.unavailable(e)
            : ParleyException.notFound(what + " not found");
        case 403 -> "InvalidObjectState".equals(code) && key != null ? Errors.archived(key) : Errors.unavailable(e);
        case 409, 412 -> ParleyException.conflict(what + " changed meanwhile");
        case 416 -> Errors.rangeNotSatisfiable(what + ": range not satisfiable");
        default -> Errors.unavailable(e);
      };
    }
    return Errors.unavailable(t);
  }
}
