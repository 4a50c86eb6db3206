package data.blob;

import common.ParleyException;
import data.blob.BlobKey.Kind;
import data.blob.BlobStore.Tier;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link BlobStore} promises, run against each provider by a subclass: the
 * filesystem store in a temporary folder, and Azure Blob Storage on a real Azurite.
 * Store calls run on one Vert.x context, as they would in a verticle; the test thread waits.
 */
@ExtendWith(VertxExtension.class)
abstract class BlobStoreContract {

  protected Vertx vertx;
  protected Context ctx;
  protected BlobStore store;
  protected String tenant;

  /** A started store with nothing in it. */
  protected abstract BlobStore newStore(Vertx vertx) throws Exception;

  /** A started store whose backend then went away (folder gone, emulator stopped). */
  protected abstract BlobStore storeThatIsDown(Vertx vertx) throws Exception;

  /** Provider-specific check that no temporary data was left behind. */
  protected void assertNoLeftovers() throws Exception {
  }

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
    this.store = newStore(vertx);
    await(store::start);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      await(store::close);
    }
  }

  @Test
  @DisplayName("A streamed body is stored whole: read back byte for byte, with its size, SHA-256, type and tier")
  void putThenRead() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    long size = 3 * 1024 * 1024 + 12_345;
    Instant before = Instant.now().minusSeconds(5);
    BlobInfo put = await(() -> store.put(key, GeneratedBody.of(ctx, size), "video/webm", 10 * 1024 * 1024));
    assertEquals(size, put.size());
    assertEquals(GeneratedBody.sha256(size), put.sha256());

    BlobInfo stat = await(() -> store.stat(key));
    assertEquals(key, stat.key());
    assertEquals(size, stat.size());
    assertEquals(GeneratedBody.sha256(size), stat.sha256());
    assertEquals(Tier.HOT, stat.tier());
    assertEquals("video/webm", stat.contentType());
    assertTrue(stat.lastModified().isAfter(before), "lastModified " + stat.lastModified());
    assertFalse(stat.rehydrating());

    Buffer all = readAll(key, 0, -1);
    assertEquals(size, all.length());
    assertEquals(GeneratedBody.bytes(0, (int) size), all);
  }

  @Test
  @DisplayName("A range read serves exactly the bytes asked for, clamps the end, and refuses a start past the end with 416")
  void rangeReads() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    long size = 1_000_000;
    await(() -> store.put(key, GeneratedBody.of(ctx, size), "video/mp4", size));

    BlobRead middle = await(() -> store.read(key, 500_000, 599_999));
    assertEquals(500_000, middle.start());
    assertEquals(100_000, middle.length());
    assertEquals(size, middle.totalSize());
    assertEquals(599_999, middle.endInclusive());
    assertEquals("video/mp4", middle.contentType());
    assertEquals(GeneratedBody.bytes(500_000, 100_000), drain(middle));

    assertEquals(GeneratedBody.bytes(999_990, 10), readAll(key, 999_990, 5_000_000));
    assertEquals(GeneratedBody.bytes(0, 1), readAll(key, 0, 0));
    assertEquals(416, failure(() -> store.read(key, size, -1)).status());
    assertEquals(400, failure(() -> store.read(key, 10, 5)).status());
  }

  @Test
  @DisplayName("Blobs are listed by key prefix, deleted for good, and an absent blob is 404")
  void listAndDelete() throws Exception {
    BlobKey a = new BlobKey(tenant, "m1", Kind.FILES, "a1");
    BlobKey b = new BlobKey(tenant, "m1", Kind.RECORDINGS, "b1");
    BlobKey c = new BlobKey(tenant, "m2", Kind.FILES, "c1");
    for (BlobKey k : List.of(a, b, c)) {
      await(() -> store.put(k, GeneratedBody.of(ctx, 1000), "application/pdf", 1000));
    }
    assertEquals(List.of(a, b), keys(await(() -> store.list(tenant + "/m1/"))));
    assertEquals(List.of(a), keys(await(() -> store.list(tenant + "/m1/files/"))));
    assertEquals(List.of(a, b, c), keys(await(() -> store.list(tenant + "/m"))));
    BlobInfo listed = await(() -> store.list(tenant + "/m2/files/c")).get(0);
    assertEquals(1000, listed.size());
    assertEquals("application/pdf", listed.contentType());
    assertEquals(Tier.HOT, listed.tier());

    await(() -> store.delete(a));
    assertEquals(404, failure(() -> store.stat(a)).status());
    assertEquals(404, failure(() -> store.read(a, 0, -1)).status());
    assertEquals(List.of(b), keys(await(() -> store.list(tenant + "/m1/"))));
    await(() -> store.delete(a)); // deleting twice is fine
    assertEquals(400, failure(() -> store.list(tenant + "/../")).status());
  }

  @Test
  @DisplayName("A body over the limit fails with 413 and leaves nothing behind")
  void overLimit() throws Exception {
    BlobKey key = key(Kind.FILES);
    ParleyException e = failure(() -> store.put(key, GeneratedBody.of(ctx, 2 * 1024 * 1024), "application/pdf",
        1024 * 1024));
    assertEquals(413, e.status());
    assertEquals(404, failure(() -> store.stat(key)).status());
    assertTrue(await(() -> store.list(tenant + "/")).isEmpty());
    assertNoLeftovers();
  }

  @Test
  @DisplayName("A zero-byte body is stored as an empty blob (the routes refuse empty uploads themselves)")
  void zeroBytes() throws Exception {
    BlobKey key = key(Kind.FILES);
    BlobInfo info = await(() -> store.put(key, GeneratedBody.of(ctx, 0), "text/plain", 100));
    assertEquals(0, info.size());
    assertEquals(GeneratedBody.sha256(0), info.sha256());
    BlobRead read = await(() -> store.read(key, 0, -1));
    assertEquals(0, read.length());
    assertEquals(0, drain(read).length());
  }

  @Test
  @DisplayName("An upload that breaks off mid-way leaves nothing, and does not touch the blob it would have replaced")
  void abortedUpload() throws Exception {
    BlobKey fresh = key(Kind.RECORDINGS);
    ParleyException e = failure(() -> store.put(fresh, new GeneratedBody(ctx, 8 << 20, 64 * 1024, 5 << 20),
        "video/webm", 100 << 20));
    assertEquals(400, e.status(), e.getMessage());
    assertEquals(404, failure(() -> store.stat(fresh)).status());

    BlobKey existing = key(Kind.RECORDINGS);
    await(() -> store.put(existing, GeneratedBody.of(ctx, 1234), "video/webm", 100 << 20));
    failure(() -> store.put(existing, new GeneratedBody(ctx, 8 << 20, 64 * 1024, 3 << 20), "video/webm", 100 << 20));
    BlobInfo still = await(() -> store.stat(existing));
    assertEquals(1234, still.size());
    assertEquals(GeneratedBody.sha256(1234), still.sha256());
    assertEquals(GeneratedBody.bytes(0, 1234), readAll(existing, 0, -1));
    assertNoLeftovers();
  }

  @Test
  @DisplayName("Chunks append at the current size; a wrong offset is 409 naming the expected one; a failed or oversized chunk changes nothing")
  void appendByOffset() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    int first = 300_000;
    int second = 5 * 1024 * 1024 + 17; // more than one Azure block
    BlobInfo one = await(() -> store.append(key, 0, GeneratedBody.of(ctx, first), "video/webm", 50 << 20));
    assertEquals(first, one.size());
    assertEquals("video/webm", one.contentType());

    ParleyException wrong = failure(() -> store.append(key, 12, GeneratedBody.of(ctx, 10), 50 << 20));
    assertEquals(409, wrong.status());
    assertTrue(wrong.getMessage().contains("expected offset " + first), wrong.getMessage());

    // The second chunk continues the pattern where the first stopped, so the whole blob is one pattern.
    Buffer secondBytes = GeneratedBody.bytes(first, second);
    BlobInfo two = await(() -> store.append(key, first, new BufferBody(ctx, secondBytes, 64 * 1024, -1), 50 << 20));
    assertEquals(first + second, two.size());
    assertNull(two.sha256(), "an appended blob has no whole-blob hash");

    ParleyException broken = failure(() -> store.append(key, first + second,
        new BufferBody(ctx, GeneratedBody.bytes(first + second, 600_000), 64 * 1024, 400_000), 50 << 20));
    assertEquals(400, broken.status());
    assertEquals(first + second, await(() -> store.stat(key)).size());

    ParleyException tooBig = failure(() -> store.append(key, first + second, GeneratedBody.of(ctx, 1 << 20),
        first + second + 1000));
    assertEquals(413, tooBig.status());
    assertEquals(first + second, await(() -> store.stat(key)).size());

    assertEquals(GeneratedBody.bytes(0, first + second), readAll(key, 0, -1));
    assertEquals("video/webm", await(() -> store.stat(key)).contentType());
    assertNoLeftovers();
  }

  @Test
  @DisplayName("Two chunks racing for the same offset: one is appended, the other gets 409")
  void racingAppends() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    CompletableFuture<Object> a = new CompletableFuture<>();
    CompletableFuture<Object> b = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      store.append(key, 0, GeneratedBody.of(ctx, 200_000), "video/webm", 1 << 20)
          .onComplete(ar -> a.complete(ar.succeeded() ? ar.result() : ar.cause()));
      store.append(key, 0, GeneratedBody.of(ctx, 300_000), "video/webm", 1 << 20)
          .onComplete(ar -> b.complete(ar.succeeded() ? ar.result() : ar.cause()));
    });
    List<Object> outcomes = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
    long won = outcomes.stream().filter(o -> o instanceof BlobInfo).count();
    assertEquals(1, won, outcomes.toString());
    ParleyException lost = (ParleyException) outcomes.stream().filter(o -> o instanceof ParleyException).findFirst()
        .orElseThrow();
    assertEquals(409, lost.status());
    BlobInfo winner = (BlobInfo) outcomes.stream().filter(o -> o instanceof BlobInfo).findFirst().orElseThrow();
    assertEquals(winner.size(), await(() -> store.stat(key)).size());
  }

  @Test
  @DisplayName("An archived blob is not served: reading is 409 and starts rehydration, which brings it back to cool")
  void tiers() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.put(key, GeneratedBody.of(ctx, 50_000), "video/webm", 100_000));
    await(() -> store.setTier(key, Tier.COOL));
    assertEquals(Tier.COOL, await(() -> store.stat(key)).tier());
    assertEquals(GeneratedBody.bytes(0, 50_000), readAll(key, 0, -1));

    await(() -> store.setTier(key, Tier.ARCHIVE));
    assertEquals(Tier.ARCHIVE, await(() -> store.stat(key)).tier());
    assertEquals(1, keys(await(() -> store.list(tenant + "/"))).size());
    ParleyException archived = failure(() -> store.read(key, 0, -1));
    assertEquals(409, archived.status());
    assertTrue(archived.getMessage().contains("is archived; rehydration started"), archived.getMessage());

    await(() -> store.rehydrate(key)); // already started: harmless
    BlobInfo back = eventually(() -> store.stat(key), info -> info.tier() == Tier.COOL, Duration.ofSeconds(20));
    assertFalse(back.rehydrating());
    assertEquals(GeneratedBody.sha256(50_000), back.sha256());
    assertEquals(GeneratedBody.bytes(0, 50_000), readAll(key, 0, -1));
  }

  @Test
  @DisplayName("No download URL is handed out for an archived blob: 409, and rehydration starts")
  void noUrlForArchived() throws Exception {
    BlobKey key = key(Kind.FILES);
    await(() -> store.put(key, GeneratedBody.of(ctx, 100), "application/pdf", 100));
    await(() -> store.setTier(key, Tier.ARCHIVE));
    ParleyException e = failure(() -> store.signedUrl(key, Duration.ofMinutes(5)));
    assertEquals(409, e.status());
    assertTrue(e.getMessage().contains("rehydration started"), e.getMessage());
    eventually(() -> store.stat(key), info -> info.tier() == Tier.COOL, Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("A large upload reads its body only as fast as the store writes it (the body is paused)")
  void backpressure() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    long size = 24L << 20;
    GeneratedBody body = GeneratedBody.of(ctx, size);
    BlobInfo info = await(() -> store.put(key, body, "video/webm", size));
    assertTrue(body.pauses() > 0, "the body was never paused");
    assertEquals(GeneratedBody.sha256(size), info.sha256());
  }

  @Test
  @DisplayName("Keys and prefixes that could escape the store are refused with 400")
  void hostilePrefixes() throws Exception {
    for (String prefix : List.of("../", "a/../../", "a\\b", "%2e%2e/", "/etc")) {
      assertEquals(400, failure(() -> store.list(prefix)).status(), prefix);
    }
  }

  @Test
  @DisplayName("When the store is down, health, put and stat fail with 503")
  void storeDown() throws Exception {
    BlobStore down = storeThatIsDown(vertx);
    try {
      assertEquals(503, failure(down::health).status());
      GeneratedBody body = GeneratedBody.of(ctx, 256 * 1024);
      assertEquals(503, failure(() -> down.put(key(Kind.FILES), body, "application/pdf", 1 << 20)).status());
      assertEquals(503, failure(() -> down.stat(key(Kind.FILES))).status());
    } finally {
      await(down::close);
    }
  }

  @Test
  @DisplayName("The store reports healthy when it works")
  void healthy() throws Exception {
    await(store::health);
  }

  // ---- helpers

  protected BlobKey key(Kind kind) {
    return BlobKey.generate(tenant, "m" + UUID.randomUUID().toString().substring(0, 8), kind);
  }

  protected static List<BlobKey> keys(List<BlobInfo> infos) {
    return infos.stream().map(BlobInfo::key).toList();
  }

  protected Buffer readAll(BlobKey key, long start, long end) throws Exception {
    return drain(await(() -> store.read(key, start, end)));
  }

  protected Buffer drain(BlobRead read) throws Exception {
    return await(() -> {
      Promise<Buffer> done = Promise.promise();
      Buffer acc = Buffer.buffer();
      read.stream().exceptionHandler(done::tryFail);
      read.stream().endHandler(v -> done.tryComplete(acc));
      read.stream().handler(acc::appendBuffer);
      read.stream().resume();
      return done.future();
    });
  }

  /** Runs a store call on the test's context and waits for it. */
  protected <T> T await(Supplier<Future<T>> op) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        op.get().onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else {
            result.completeExceptionally(ar.cause());
          }
        });
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      return result.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /** The ParleyException a store call fails with. */
  protected ParleyException failure(Supplier<Future<?>> op) throws Exception {
    try {
      Object r = await(op::get);
      fail("expected a failure, got " + r);
      return null;
    } catch (ParleyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a ParleyException, got " + e, e);
    }
  }

  protected <T> T eventually(Supplier<Future<T>> op, java.util.function.Predicate<T> done, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = await(op);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    fail("not reached within " + within + "; last " + last);
    return last;
  }

}
