package data.blob;

import data.blob.BlobKey.Kind;
import data.blob.BlobStore.Tier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Poll;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract on a real s3rver (S3's REST API on a local folder), through the test's proxy that
 * adds what S3 documents for archived objects and s3rver does not model (see {@link S3rver}).
 */
@DisplayName("S3 blob store on s3rver")
class S3BlobStoreTest extends BlobStoreContract {

  private static S3rver s3rver;

  @BeforeAll
  static void startS3rver() throws Exception {
    if (S3rver.binary().isEmpty()) {
      System.out.println("[s3] SKIPPED S3BlobStoreTest: " + S3rver.unavailableReason());
      Assumptions.assumeTrue(false, S3rver.unavailableReason());
    }
    s3rver = S3rver.start();
    System.out.println("[s3] " + S3rver.GAPS);
  }

  @AfterAll
  static void stopS3rver() {
    if (s3rver != null) {
      s3rver.close();
    }
  }

  static String bucket() {
    return "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  @Override
  protected BlobStore newStore(Vertx vertx) {
    return BlobStoreFactory.create(vertx, s3rver.blobsConfig(bucket()), null);
  }

  @Override
  protected BlobStore storeThatIsDown(Vertx vertx) throws Exception {
    try (S3rver doomed = S3rver.start()) {
      BlobStore down = BlobStoreFactory.create(vertx, doomed.blobsConfig("down"), null);
      await(down::start);
      return down;
    }
  }

  @Override
  protected void assertNoLeftovers() {
    assertTrue(s3rver.openUploads().isEmpty(), "multipart uploads left open: " + s3rver.openUploads());
  }

  @Test
  @DisplayName("A body longer than one part goes up as a multipart upload, completed, with its SHA-256 in the metadata")
  void multipart() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    long size = 12L * 1024 * 1024 + 3; // three 5 MiB parts
    BlobInfo info = await(() -> store.put(key, GeneratedBody.of(ctx, size), "video/webm", size));
    assertEquals(GeneratedBody.sha256(size), info.sha256());
    assertEquals(GeneratedBody.sha256(size), await(() -> store.stat(key)).sha256(), "kept in the object's metadata");
    assertEquals(GeneratedBody.bytes(size - 100, 100), readAll(key, size - 100, -1));
    assertTrue(s3rver.openUploads().isEmpty(), s3rver.openUploads().toString());
  }

  @Test
  @DisplayName("An appended blob is one object plus a segment per chunk; a tier change makes it one object again")
  void appendedBlobCompacts() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.append(key, 0, GeneratedBody.of(ctx, 70_000), "video/webm", 1 << 20));
    await(() -> store.append(key, 70_000, new BufferBody(ctx, GeneratedBody.bytes(70_000, 50_000), 8192, -1), 1 << 20));
    assertEquals(Optional.empty(), await(() -> store.signedUrl(key, Duration.ofMinutes(1))),
        "a blob in segments has no single object to presign: the server signs its own route");
    assertNull(await(() -> store.stat(key)).sha256());
    assertEquals(GeneratedBody.bytes(60_000, 20_000), readAll(key, 60_000, 79_999), "a range across the seam");

    await(() -> store.setTier(key, Tier.COOL));
    BlobInfo cool = await(() -> store.stat(key));
    assertEquals(Tier.COOL, cool.tier());
    assertEquals(120_000, cool.size());
    assertEquals(GeneratedBody.sha256(120_000), cool.sha256(), "rewritten as one object, hashed on the way");
    assertEquals(GeneratedBody.bytes(0, 120_000), readAll(key, 0, -1));
    assertTrue(await(() -> store.signedUrl(key, Duration.ofMinutes(1))).isPresent());
    assertEquals(1, await(() -> store.list(tenant + "/")).size(), "the segments are gone");
  }

  @Test
  @DisplayName("A presigned GET downloads the blob, with ranges, until it expires")
  void presignedUrl() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.put(key, GeneratedBody.of(ctx, 70_000), "video/webm", 70_000));
    URI url = await(() -> store.signedUrl(key, Duration.ofMinutes(10))).orElseThrow();
    String u = url.toString();
    assertTrue(u.startsWith(s3rver.endpoint() + "/") && u.contains("X-Amz-Signature=") && u.contains("X-Amz-Expires=600"), u);
    assertTrue(u.startsWith(store.linkOrigin().orElseThrow()), "the CSP origin matches the links: " + store.linkOrigin());
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> ok = await(() -> web.getAbs(u).send());
    assertEquals(200, ok.statusCode());
    assertEquals(GeneratedBody.bytes(0, 70_000), ok.body());
    assertEquals("video/webm", ok.getHeader("Content-Type"));
    HttpResponse<Buffer> ranged = await(() -> web.getAbs(u).putHeader("Range", "bytes=10-19").send());
    assertEquals(206, ranged.statusCode());
    assertEquals(GeneratedBody.bytes(10, 10), ranged.body());
    assertEquals(403, await(() -> web.getAbs(u.replace(key.id(), key(Kind.RECORDINGS).id())).send()).statusCode(),
        "a link edited to name another object is refused");
    assertEquals(403, await(() -> web.getAbs(u.replaceAll("X-Amz-Expires=600", "X-Amz-Expires=6000")).send()).statusCode(),
        "a link edited to live longer is refused");
    assertEquals(400, failure(() -> store.signedUrl(key, Duration.ofDays(8))).status());

    String shortLived = await(() -> store.signedUrl(key, Duration.ofSeconds(2))).orElseThrow().toString();
    assertEquals(200, await(() -> web.getAbs(shortLived).send()).statusCode(), "works before it expires");
    Poll.until(Duration.ofSeconds(15), () -> {
      try {
        return await(() -> web.getAbs(shortLived).send()).statusCode() == 403;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "the 2 s link expires: 403");
  }

  @Test
  @DisplayName("While a restore runs the blob is archived and rehydrating; reads answer 409 until it is back in cool")
  void restoreTakesTime() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.put(key, GeneratedBody.of(ctx, 10), "video/webm", 10));
    await(() -> store.setTier(key, Tier.ARCHIVE));
    assertFalse(await(() -> store.stat(key)).rehydrating());
    await(() -> store.rehydrate(key));
    BlobInfo pending = await(() -> store.stat(key));
    assertEquals(Tier.ARCHIVE, pending.tier());
    assertTrue(pending.rehydrating());
    assertEquals(409, failure(() -> store.read(key, 0, -1)).status());
    BlobInfo back = eventually(() -> store.stat(key), info -> info.tier() == Tier.COOL, Duration.ofSeconds(10));
    assertFalse(back.rehydrating());
    assertEquals(GeneratedBody.bytes(0, 10), readAll(key, 0, -1));
  }

  @Test
  @DisplayName("Missing or invalid S3 settings stop start-up with one message naming the key")
  void settings() {
    JsonObject ok = s3rver.blobsConfig("good-bucket").getJsonObject("s3");
    for (var bad : java.util.List.of(
        new String[]{"bucket", null, "blobs.s3.bucket"}, new String[]{"bucket", "Bad_Bucket", "blobs.s3.bucket"},
        new String[]{"endpoint", "ftp://x", "blobs.s3.endpoint"}, new String[]{"secretAccessKey", null, "blobs.s3.accessKeyId"},
        new String[]{"region", "US EAST", "blobs.s3.region"}, new String[]{"restoreTier", "Fast", "blobs.s3.restoreTier"})) {
      JsonObject s3 = ok.copy().put(bad[0], bad[1]);
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> BlobStoreFactory.create(vertx, new JsonObject().put("provider", "s3").put("s3", s3), null));
      assertTrue(e.getMessage().contains(bad[2]), bad[0] + ": " + e.getMessage());
    }
    IllegalArgumentException part = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> BlobStoreFactory.create(vertx, new JsonObject().put("provider", "s3")
            .put("s3", ok.copy().put("partSizeBytes", 1024)), null));
    assertTrue(part.getMessage().contains("blobs.s3.partSizeBytes"), part.getMessage());
  }
}
