package data.blob;

import data.blob.BlobKey.Kind;
import data.blob.BlobStore.Tier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Filesystem blob store")
class FilesystemBlobStoreTest extends BlobStoreContract {

  @TempDir
  Path dir;

  private Path root;

  @Override
  protected BlobStore newStore(Vertx vertx) {
    root = dir.resolve("blobs");
    return new FilesystemBlobStore(vertx, root, 300);
  }

  @Override
  protected BlobStore storeThatIsDown(Vertx vertx) throws Exception {
    Path gone = dir.resolve("gone");
    BlobStore down = new FilesystemBlobStore(vertx, gone, 0);
    await(down::start);
    try (Stream<Path> all = Files.walk(gone)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.writeString(gone, "not a folder any more");
    return down;
  }

  @Override
  protected void assertNoLeftovers() throws Exception {
    try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
      assertEquals(0, tmp.count(), "temporary files left in " + root.resolve("tmp"));
    }
  }

  @Test
  @DisplayName("A blob moving between tiers is never reported missing to a reader racing the move")
  void readersNeverMissAMovingBlob() throws Exception {
    BlobKey key = key(Kind.FILES);
    await(() -> store.put(key, GeneratedBody.of(ctx, 100), "application/pdf", 100));
    java.util.List<io.vertx.core.Future<?>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Tier to = i % 2 == 0 ? Tier.ARCHIVE : Tier.COOL;
      all.add(store.setTier(key, to));
      all.add(store.stat(key));
      all.add(store.signedUrl(key, Duration.ofMinutes(1)).recover(err ->
          err instanceof common.ParleyException p && p.status() == 409 ? io.vertx.core.Future.succeededFuture() : io.vertx.core.Future.failedFuture(err)));
    }
    await(() -> io.vertx.core.Future.join(all).map(x -> (Object) null).recover(err -> {
      long missing = all.stream().filter(f -> f.failed()).count();
      return io.vertx.core.Future.failedFuture(new AssertionError(missing + " of " + all.size()
          + " operations failed during tier moves; first: " + err.getMessage(), err));
    }));
  }

  @Test
  @DisplayName("Blobs live in the tier's folder with a JSON sidecar, and move folders with their tier")
  void layout() throws Exception {
    BlobKey key = new BlobKey(tenant, "m1", Kind.FILES, "f1");
    await(() -> store.put(key, GeneratedBody.of(ctx, 4096), "application/pdf", 4096));
    Path hot = root.resolve("hot").resolve(tenant).resolve("m1/files/f1");
    assertEquals(4096, Files.size(hot));
    JsonObject meta = new JsonObject(Files.readString(hot.resolveSibling("f1.meta.json")));
    assertEquals("application/pdf", meta.getString("contentType"));
    assertEquals(GeneratedBody.sha256(4096), meta.getString("sha256"));

    await(() -> store.setTier(key, Tier.ARCHIVE));
    assertFalse(Files.exists(hot));
    assertTrue(Files.exists(root.resolve("archive").resolve(tenant).resolve("m1/files/f1")));
    assertTrue(Files.exists(root.resolve("archive").resolve(tenant).resolve("m1/files/f1.meta.json")));
  }

  @Test
  @DisplayName("Rehydration is asynchronous: the blob stays archived, marked rehydrating, until it has moved to cool")
  void rehydrationTakesTime() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.put(key, GeneratedBody.of(ctx, 10), "video/webm", 10));
    await(() -> store.setTier(key, Tier.ARCHIVE));
    await(() -> store.rehydrate(key));
    BlobInfo pending = await(() -> store.stat(key));
    assertEquals(Tier.ARCHIVE, pending.tier());
    assertTrue(pending.rehydrating());
    assertEquals(409, failure(() -> store.read(key, 0, -1)).status());
    eventually(() -> store.stat(key), info -> info.tier() == Tier.COOL, Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("The filesystem store has no signed URLs of its own: the server streams or signs with UrlSigner")
  void noSignedUrl() throws Exception {
    BlobKey key = key(Kind.FILES);
    await(() -> store.put(key, GeneratedBody.of(ctx, 10), "text/plain", 10));
    assertEquals(Optional.empty(), await(() -> store.signedUrl(key, Duration.ofMinutes(5))));
  }

  @Test
  @DisplayName("An upload's head can be read for sniffing and the whole body still stored intact")
  void peekThenPut() throws Exception {
    for (long size : new long[]{3 * 1024 * 1024 + 5, 100, 0}) {
      BlobKey key = key(Kind.FILES);
      GeneratedBody body = GeneratedBody.of(ctx, size);
      HeadPeek.Peeked peeked = await(() -> HeadPeek.peek(vertx, body, ContentSniffer.HEAD_BYTES));
      int headLength = (int) Math.min(size, ContentSniffer.HEAD_BYTES);
      assertEquals(GeneratedBody.bytes(0, headLength), peeked.head());
      BlobInfo info = await(() -> store.put(key, peeked.body(), "application/octet-stream", size));
      assertEquals(size, info.size());
      assertEquals(GeneratedBody.sha256(size), info.sha256());
    }
  }

  @Test
  @DisplayName("The factory builds the filesystem store under <dataDir>/blobs by default")
  void factoryDefault() {
    BlobStore s = BlobStoreFactory.create(vertx, new JsonObject(), dir.resolve("data"));
    assertEquals("filesystem", s.provider());
    assertEquals(dir.resolve("data").resolve("blobs").toAbsolutePath().normalize(), ((FilesystemBlobStore) s).root());
    BlobStore custom = BlobStoreFactory.create(vertx, new JsonObject()
        .put("provider", "filesystem").put("filesystem", new JsonObject().put("root", dir.resolve("x").toString())),
        dir);
    assertEquals(dir.resolve("x").toAbsolutePath().normalize(), ((FilesystemBlobStore) custom).root());
  }

  @Test
  @DisplayName("An append torn by a crash is invisible: stat and reads stop at the last whole chunk, and the next append cuts it")
  void tornAppend() throws Exception {
    BlobKey key = new BlobKey(tenant, "m1", Kind.RECORDINGS, "r1");
    await(() -> store.append(key, 0, GeneratedBody.of(ctx, 1000), "video/webm", 1 << 20));
    // What a process killed mid-chunk leaves: the sidecar says "appending at 1000", the file has more.
    Path blob = root.resolve("hot").resolve(tenant).resolve("m1/recordings/r1");
    Path sidecar = blob.resolveSibling("r1.meta.json");
    JsonObject meta = new JsonObject(Files.readString(sidecar)).put("appending", true);
    Files.writeString(sidecar, meta.encode());
    Files.write(blob, new byte[700], java.nio.file.StandardOpenOption.APPEND);

    assertEquals(1000, await(() -> store.stat(key)).size());
    BlobRead read = await(() -> store.read(key, 0, -1));
    assertEquals(1000, read.totalSize());
    assertEquals(GeneratedBody.bytes(0, 1000), drain(read));
    assertEquals(409, failure(() -> store.append(key, 1700, GeneratedBody.of(ctx, 10), 1 << 20)).status());

    Buffer next = GeneratedBody.bytes(1000, 500);
    BlobInfo info = await(() -> store.append(key, 1000, new BufferBody(ctx, next, 100, -1), 1 << 20));
    assertEquals(1500, info.size());
    assertEquals(1500, Files.size(blob));
    assertEquals(GeneratedBody.bytes(0, 1500), readAll(key, 0, -1));
    assertFalse(new JsonObject(Files.readString(sidecar)).containsKey("appending"));
  }
}
