package data.blob;

import common.ParleyException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileProps;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded blob store: one folder per tier under {@code root} ({@code hot/}, {@code cool/},
 * {@code archive/}), each blob at {@code <tier>/<tenant>/<meeting>/<kind>/<id>} with its content
 * type, size and SHA-256 in the sidecar {@code <id>.meta.json} (ids cannot contain dots, so a
 * sidecar never collides with a blob). Uploads are written to {@code root/tmp} and moved into
 * place atomically. All file I/O goes through Vert.x's asynchronous {@link FileSystem}.
 *
 * <p>Writers of one key (commit of a put, append, tier moves, delete) are serialised by a
 * Vert.x local lock, which covers every verticle of this JVM; the filesystem store is for one node.
 */
public final class FilesystemBlobStore implements BlobStore {

  private static final String META_SUFFIX = ".meta.json";
  private static final int READ_BUFFER = 64 * 1024;
  private static final int WRITE_QUEUE = 1024 * 1024;
  private static final long LOCK_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final FileSystem fs;
  private final Path root;
  private final long rehydrateDelayMs;
  private final Set<BlobKey> rehydrating = ConcurrentHashMap.newKeySet();

  /**
   * @param root             the store's folder (created by {@link #start()})
   * @param rehydrateDelayMs how long a rehydration takes before the move (0: at once, still
   *                         asynchronously); lets tests and demos see the pending state
   */
  public FilesystemBlobStore(Vertx vertx, Path root, long rehydrateDelayMs) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.root = root.toAbsolutePath().normalize();
    this.rehydrateDelayMs = rehydrateDelayMs;
  }

  public Path root() {
    return root;
  }

  @Override
  public String provider() {
    return "filesystem";
  }

  @Override
  public Future<Void> start() {
    List<Future<Void>> dirs = new ArrayList<>();
    for (Tier tier : Tier.values()) {
      dirs.add(fs.mkdirs(tierDir(tier).toString()));
    }
    dirs.add(fs.mkdirs(tmpDir().toString()));
    return Future.all(dirs).<Void>mapEmpty().recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> health() {
    String probe = tmpDir().resolve("health-" + UUID.randomUUID()).toString();
    return fs.writeFile(probe, Buffer.buffer("ok"))
        .compose(v -> fs.delete(probe))
        .recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<BlobInfo> put(BlobKey key, ReadStream<Buffer> body, String contentType, long maxBytes) {
    body.pause(); // nothing may be lost while the temporary file opens
    Path tmp = tmpDir().resolve(UUID.randomUUID() + ".part");
    return receive(tmp, body, maxBytes, key + " is larger than " + maxBytes + " bytes")
        .compose(r -> withLock(key, () -> commit(tmp, key, new Meta(contentType, r.sha256(), r.size(), false))))
        .compose(v -> stat(key))
        .recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  /** Streams a body into a new temporary file; on any failure the file is gone. */
  private Future<BodyPump.Result> receive(Path tmp, ReadStream<Buffer> body, long limit, String tooLarge) {
    return fs.open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .recover(err -> {
          body.resume(); // nothing will read it: let it drain
          return Future.failedFuture(Errors.unavailable(err));
        })
        .compose(file -> {
          file.setWriteQueueMaxSize(WRITE_QUEUE);
          return BodyPump.pump(body, limit, tooLarge, sinkOf(file))
              .compose(r -> durablyClosed(file, tmp).map(r), err -> file.close().transform(x -> Future.failedFuture(err)))
              .recover(err -> deleteQuietly(tmp).transform(x -> Future.failedFuture(err)));
        });
  }

  @Override
  public Future<BlobInfo> append(BlobKey key, long offset, ReadStream<Buffer> chunk, String contentType,
                                 long maxTotalBytes) {
    chunk.pause();
    return withLock(key, () -> locate(key).compose(found -> recoverTornAppend(key, found)).compose(found -> {
      long size = found == null ? 0 : found.props().size();
      if (found != null && found.tier() == Tier.ARCHIVE) {
        return Future.failedFuture(ParleyException.conflict("blob " + key + " is archived; it cannot be appended to"));
      }
      if (offset != size) {
        return Future.failedFuture(ParleyException.conflict(
            "append offset " + offset + " does not match the size of " + key + "; expected offset " + size));
      }
      String tooLarge = key + " would be larger than " + maxTotalBytes + " bytes";
      if (found == null) {
        Path tmp = tmpDir().resolve(UUID.randomUUID() + ".part");
        return receive(tmp, chunk, maxTotalBytes, tooLarge)
            .compose(r -> commit(tmp, key, new Meta(contentType, r.sha256(), r.size(), false)))
            .compose(v -> stat(key));
      }
      return appendInPlace(key, found, chunk, maxTotalBytes - size, tooLarge);
    })).recover(err -> {
      chunk.resume();
      return Future.failedFuture(Errors.unavailable(err));
    });
  }

  private Future<BlobInfo> appendInPlace(BlobKey key, Located found, ReadStream<Buffer> chunk, long room,
                                         String tooLarge) {
    String path = found.path().toString();
    long before = found.props().size();
    Tier tier = found.tier();
    // The sidecar first records "appending at <before>": bytes past it after a crash are cut by
    // the next append (recoverTornAppend), and stat and read never serve them.
    return readMeta(tier, key).compose(meta -> writeMeta(tier, key,
            new Meta(meta.contentType(), meta.sha256(), before, true))
        .compose(v -> fs.open(path, new OpenOptions().setWrite(true).setCreate(false).setTruncateExisting(false)))
        .compose(file -> {
          file.setWriteQueueMaxSize(WRITE_QUEUE);
          file.setWritePos(before);
          return BodyPump.pump(chunk, room, tooLarge, sinkOf(file))
              .compose(r -> durablyClosed(file, Path.of(path)).map(r), err -> file.close().transform(x -> Future.failedFuture(err)));
        })
        .compose(
            r -> writeMeta(tier, key, new Meta(meta.contentType(), null, before + r.size(), false)),
            // A failed chunk leaves the blob as it was: cut what it wrote.
            err -> fs.truncate(path, before)
                .compose(v -> writeMeta(tier, key, new Meta(meta.contentType(), meta.sha256(), before, false)))
                .transform(x -> Future.failedFuture(err))))
        .compose(v -> stat(key));
  }

  /** Cuts the bytes of an append that never finished (the process died mid-chunk); under the key's lock. */
  private Future<Located> recoverTornAppend(BlobKey key, Located found) {
    if (found == null) {
      return Future.succeededFuture(null);
    }
    return readMeta(found.tier(), key).compose(meta -> {
      if (!meta.appending() || meta.size() < 0 || meta.size() >= found.props().size()) {
        return Future.succeededFuture(found);
      }
      return fs.truncate(found.path().toString(), meta.size())
          .compose(v -> writeMeta(found.tier(), key, new Meta(meta.contentType(), meta.sha256(), meta.size(), false)))
          .compose(v -> fs.props(found.path().toString()))
          .map(props -> new Located(found.tier(), found.path(), props));
    });
  }

  @Override
  public Future<BlobRead> read(BlobKey key, long start, long endInclusive) {
    Context ctx = vertx.getOrCreateContext();
    return settled(key).compose(found -> {
      if (found.tier() == Tier.ARCHIVE) {
        return rehydrate(key).transform(x -> Future.failedFuture(Errors.archived(key)));
      }
      return readMeta(found.tier(), key).compose(meta -> {
        long size = committedSize(found, meta);
        Errors.Range range = Errors.Range.of(key, size, start, endInclusive);
        if (range.length() == 0) {
          return Future.succeededFuture(new BlobRead(Streams.empty(ctx), 0, 0, 0, meta.contentType(),
              Future::succeededFuture));
        }
        return fs.open(found.path().toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
            .map(file -> {
              file.pause();
              file.setReadBufferSize(READ_BUFFER).setReadPos(range.start()).setReadLength(range.length());
              Streams.Closing stream = new Streams.Closing(file, file::close);
              return new BlobRead(stream, range.start(), range.length(), size, meta.contentType(),
                  stream::close);
            });
      });
    }).recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<BlobInfo> stat(BlobKey key) {
    return settled(key).compose(found -> readMeta(found.tier(), key).map(meta -> info(key, found, meta)))
        .recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<Void> delete(BlobKey key) {
    return withLock(key, () -> {
      List<Future<Void>> all = new ArrayList<>();
      for (Tier tier : Tier.values()) {
        all.add(deleteQuietly(blobPath(tier, key)));
        all.add(deleteQuietly(metaPath(tier, key)));
      }
      return Future.all(all).<Void>mapEmpty();
    }).recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<Void> setTier(BlobKey key, Tier tier) {
    return withLock(key, () -> existing(key).compose(found -> moveTier(key, found.tier(), tier)))
        .recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<Void> rehydrate(BlobKey key) {
    return settled(key).compose(found -> {
      if (found.tier() != Tier.ARCHIVE || !rehydrating.add(key)) {
        return Future.<Void>succeededFuture();
      }
      // Archive -> cool happens later, like Azure's rehydration: the caller only starts it.
      Runnable move = () -> setTier(key, Tier.COOL).onComplete(ar -> rehydrating.remove(key));
      if (rehydrateDelayMs > 0) {
        vertx.setTimer(rehydrateDelayMs, id -> move.run());
      } else {
        vertx.runOnContext(v -> move.run());
      }
      return Future.<Void>succeededFuture();
    }).recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<List<BlobInfo>> list(String prefix) {
    String p = prefix == null ? "" : prefix;
    String[] parts = p.split("/", -1);
    if (parts.length > 4) {
      return Future.failedFuture(ParleyException.badRequest("blob prefix has too many segments"));
    }
    // Whole segments name a folder; the last, partial segment filters names.
    for (int i = 0; i < parts.length - 1; i++) {
      if (!BlobKey.isValidSegment(parts[i])) {
        return Future.failedFuture(ParleyException.badRequest("invalid blob prefix"));
      }
    }
    if (!parts[parts.length - 1].matches("[A-Za-z0-9_-]*")) {
      return Future.failedFuture(ParleyException.badRequest("invalid blob prefix"));
    }
    int depth = parts.length - 1;
    List<Future<List<Path>>> perTier = new ArrayList<>();
    for (Tier tier : Tier.values()) {
      Path dir = tierDir(tier);
      for (int i = 0; i < depth; i++) {
        dir = dir.resolve(parts[i]);
      }
      perTier.add(walk(confined(dir), depth));
    }
    return Future.all(perTier).compose(all -> {
      List<Future<BlobInfo>> infos = new ArrayList<>();
      Set<BlobKey> seen = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < perTier.size(); i++) {
        for (Path file : perTier.get(i).result()) {
          BlobKey key = keyOf(Tier.values()[i], file);
          if (key != null && key.path().startsWith(p) && seen.add(key)) {
            infos.add(stat(key).recover(err -> Future.succeededFuture(null)));
          }
        }
      }
      return Future.all(infos).map(done -> infos.stream().map(Future::result)
          .filter(info -> info != null)
          .sorted(Comparator.comparing(info -> info.key().path()))
          .toList());
    }).recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  @Override
  public Future<Optional<URI>> signedUrl(BlobKey key, Duration ttl) {
    return settled(key).compose(found -> found.tier() == Tier.ARCHIVE
        ? rehydrate(key).transform(x -> Future.<Optional<URI>>failedFuture(Errors.archived(key)))
        : Future.succeededFuture(Optional.<URI>empty()))
        .recover(err -> Future.failedFuture(Errors.unavailable(err)));
  }

  // ---- machinery

  /** A blob found on disk, in the first tier that has it. */
  private record Located(Tier tier, Path path, FileProps props) {
  }

  /**
   * The sidecar's content. {@code appending}: a chunk is being written after {@code size} bytes,
   * which are all that is committed.
   */
  private record Meta(String contentType, String sha256, long size, boolean appending) {
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("contentType", contentType).put("sha256", sha256).put("size", size);
      return appending ? json.put("appending", true) : json;
    }

    static Meta fromJson(JsonObject json) {
      String type = json.getString("contentType");
      Long size = json.getLong("size");
      return new Meta(type == null ? "application/octet-stream" : type, json.getString("sha256"),
          size == null ? -1 : size, Boolean.TRUE.equals(json.getBoolean("appending")));
    }
  }

  /** The file's size, less the bytes of an append in progress (or torn by a crash). */
  private static long committedSize(Located found, Meta meta) {
    long size = found.props().size();
    return meta.appending() && meta.size() >= 0 && meta.size() < size ? meta.size() : size;
  }

  private static BodyPump.Sink sinkOf(AsyncFile file) {
    Throwable[] failure = new Throwable[1];
    file.exceptionHandler(err -> failure[0] = err);
    return chunk -> {
      if (failure[0] != null) {
        return Future.failedFuture(failure[0]);
      }
      Future<Void> write = file.write(chunk);
      write.onFailure(err -> failure[0] = err);
      if (!file.writeQueueFull()) {
        return write.failed() ? write : Future.succeededFuture();
      }
      Promise<Void> drained = Promise.promise();
      file.drainHandler(v -> drained.tryComplete());
      write.onFailure(drained::tryFail);
      return drained.future();
    };
  }

  private Future<Void> commit(Path tmp, BlobKey key, Meta meta) {
    Path target = blobPath(Tier.HOT, key);
    CopyOptions atomic = new CopyOptions().setAtomicMove(true).setReplaceExisting(true);
    return fs.mkdirs(target.getParent().toString())
        .compose(v -> fs.move(tmp.toString(), target.toString(), atomic))
        .compose(v -> writeMeta(Tier.HOT, key, meta))
        .compose(v -> {
          // A new put lands in hot; drop any older copy left in the other tiers.
          List<Future<Void>> others = new ArrayList<>();
          for (Tier tier : List.of(Tier.COOL, Tier.ARCHIVE)) {
            others.add(deleteQuietly(blobPath(tier, key)));
            others.add(deleteQuietly(metaPath(tier, key)));
          }
          return Future.all(others).<Void>mapEmpty();
        });
  }

  private Future<Void> moveTier(BlobKey key, Tier from, Tier to) {
    if (from == to) {
      return Future.succeededFuture();
    }
    Path target = blobPath(to, key);
    CopyOptions atomic = new CopyOptions().setAtomicMove(true).setReplaceExisting(true);
    return fs.mkdirs(target.getParent().toString())
        .compose(v -> fs.move(metaPath(from, key).toString(), metaPath(to, key).toString(), atomic)
            .recover(err -> Errors.hasCause(err, NoSuchFileException.class)
                ? Future.succeededFuture() : Future.failedFuture(err)))
        .compose(v -> fs.move(blobPath(from, key).toString(), target.toString(), atomic));
  }

  /**
   * Closes the file (which waits for its pending writes), then flushes it to the disk (fsync, on a
   * worker): an upload or chunk is acknowledged only once its bytes would survive a crash.
   */
  private Future<Void> durablyClosed(AsyncFile file, Path path) {
    return file.close().compose(v -> vertx.executeBlocking(() -> {
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      return null;
    }, false));
  }

  private Future<Void> writeMeta(Tier tier, BlobKey key, Meta meta) {
    Path tmp = tmpDir().resolve(UUID.randomUUID() + ".meta");
    return fs.open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(file -> file.write(meta.toJson().toBuffer()).transform(ar -> ar.succeeded() ? durablyClosed(file, tmp)
            : file.close().transform(x -> Future.<Void>failedFuture(ar.cause()))))
        .compose(v -> fs.move(tmp.toString(), metaPath(tier, key).toString(),
            new CopyOptions().setAtomicMove(true).setReplaceExisting(true)));
  }

  private Future<Meta> readMeta(Tier tier, BlobKey key) {
    return fs.readFile(metaPath(tier, key).toString())
        .map(buf -> Meta.fromJson(buf.toJsonObject()))
        .recover(err -> Future.succeededFuture(new Meta("application/octet-stream", null, -1, false)));
  }

  private BlobInfo info(BlobKey key, Located found, Meta meta) {
    long size = committedSize(found, meta);
    // A sidecar that disagrees on the size belongs to another version: its hash is not this blob's.
    String sha = meta.size() == size ? meta.sha256() : null;
    return new BlobInfo(key, size, sha, meta.contentType(), found.tier(),
        Instant.ofEpochMilli(found.props().lastModifiedTime()), found.tier() == Tier.ARCHIVE && rehydrating.contains(key));
  }

  /**
   * Like {@link #existing}, for readers that do not hold the key's lock: a tier move renames the
   * sidecar and then the blob, so a scan racing it can miss the blob in both folders. A miss is
   * checked again under the lock, after any move in progress has finished.
   */
  private Future<Located> settled(BlobKey key) {
    return locate(key).compose(found -> found != null ? Future.succeededFuture(found)
        : withLock(key, () -> existing(key)));
  }

  private Future<Located> existing(BlobKey key) {
    return locate(key).compose(found -> found == null
        ? Future.failedFuture(ParleyException.notFound("blob " + key + " not found"))
        : Future.succeededFuture(found));
  }

  /** The blob in the first tier that has it (hot, cool, archive), or null. */
  private Future<Located> locate(BlobKey key) {
    return locateFrom(key, 0);
  }

  private Future<Located> locateFrom(BlobKey key, int tierIndex) {
    if (tierIndex == Tier.values().length) {
      return Future.succeededFuture(null);
    }
    Tier tier = Tier.values()[tierIndex];
    Path path = blobPath(tier, key);
    return fs.props(path.toString())
        .map(props -> new Located(tier, path, props))
        .recover(err -> Errors.hasCause(err, NoSuchFileException.class)
            ? locateFrom(key, tierIndex + 1) : Future.failedFuture(err));
  }

  private Future<List<Path>> walk(Path dir, int depth) {
    return fs.readDir(dir.toString()).recover(err -> Future.succeededFuture(List.of())).compose(entries -> {
      if (depth == 3) {
        return Future.succeededFuture(entries.stream().map(Path::of)
            .filter(f -> !f.getFileName().toString().endsWith(META_SUFFIX)).toList());
      }
      List<Future<List<Path>>> children = new ArrayList<>();
      for (String e : entries) {
        children.add(walk(Path.of(e), depth + 1));
      }
      return Future.all(children).map(all -> children.stream().flatMap(f -> f.result().stream()).toList());
    });
  }

  private BlobKey keyOf(Tier tier, Path file) {
    try {
      return BlobKey.parse(tierDir(tier).relativize(file).toString().replace('\\', '/'));
    } catch (RuntimeException e) {
      return null; // a stray file that is not a blob
    }
  }

  private <T> Future<T> withLock(BlobKey key, java.util.function.Supplier<Future<T>> action) {
    return vertx.sharedData().withLocalLock("parley-blob:" + root + ":" + key.path(), LOCK_TIMEOUT_MS, action);
  }

  private Future<Void> deleteQuietly(Path path) {
    return fs.delete(path.toString()).recover(err -> Future.succeededFuture());
  }

  private Path tierDir(Tier tier) {
    return root.resolve(tier.name().toLowerCase(Locale.ROOT));
  }

  private Path tmpDir() {
    return root.resolve("tmp");
  }

  private Path blobPath(Tier tier, BlobKey key) {
    return confined(tierDir(tier).resolve(key.tenant()).resolve(key.meeting()).resolve(key.kind().segment())
        .resolve(key.id()));
  }

  private Path metaPath(Tier tier, BlobKey key) {
    Path blob = blobPath(tier, key);
    return confined(blob.resolveSibling(blob.getFileName() + META_SUFFIX));
  }

  /** Defence in depth behind {@link BlobKey}'s checks: a resolved path must stay under the root. */
  private Path confined(Path path) {
    Path normal = path.toAbsolutePath().normalize();
    if (!normal.startsWith(root)) {
      throw ParleyException.badRequest("blob path escapes the store");
    }
    return normal;
  }
}
