package data.blob;

import data.blob.BlobKey.Kind;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract on a real Azurite. Azurite accepts Hot/Cool/Archive on block blobs and refuses to
 * read archived ones (409 BlobArchived) like Azure; unlike Azure it rehydrates at once (no
 * pending archive status, priority ignored), and does not expire uncommitted blocks.
 */
@DisplayName("Azure blob store on Azurite")
class AzureBlobStoreTest extends BlobStoreContract {

  private static Azurite azurite;

  @BeforeAll
  static void startAzurite() throws Exception {
    if (Azurite.binary().isEmpty()) {
      System.out.println("SKIPPED AzureBlobStoreTest: " + Azurite.unavailableReason());
      Assumptions.assumeTrue(false, Azurite.unavailableReason());
    }
    azurite = Azurite.start();
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  static JsonObject config(Azurite a, String container) {
    return new JsonObject().put("provider", "azure").put("azure", new JsonObject()
        .put("connectionString", a.connectionString()).put("container", container)
        .put("maxTries", 2).put("retryDelayMs", 100).put("maxRetryDelayMs", 200).put("tryTimeoutSeconds", 30));
  }

  @Override
  protected BlobStore newStore(Vertx vertx) {
    String container = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    return BlobStoreFactory.create(vertx, config(azurite, container), null);
  }

  @Override
  protected BlobStore storeThatIsDown(Vertx vertx) throws Exception {
    try (Azurite doomed = Azurite.start()) {
      BlobStore down = BlobStoreFactory.create(vertx, config(doomed, "down"), null);
      await(down::start);
      return down;
    }
  }

  @Test
  @DisplayName("A SAS URL downloads the blob with read permission until it expires; an edited one is refused")
  void sasUrl() throws Exception {
    BlobKey key = key(Kind.RECORDINGS);
    await(() -> store.put(key, GeneratedBody.of(ctx, 70_000), "video/webm", 70_000));
    Optional<URI> url = await(() -> store.signedUrl(key, Duration.ofMinutes(10)));
    assertTrue(url.isPresent());
    String u = url.get().toString();
    assertTrue(u.contains("sp=r") && u.contains("se="), u);
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> ok = await(() -> web.getAbs(u).send());
    assertEquals(200, ok.statusCode());
    assertEquals(GeneratedBody.bytes(0, 70_000), ok.body());
    assertEquals("video/webm", ok.getHeader("Content-Type"));

    HttpResponse<Buffer> edited = await(() -> web.getAbs(u.replace("sp=r", "sp=rw")).send());
    assertEquals(403, edited.statusCode());
    HttpResponse<Buffer> write = await(() -> web.putAbs(u).putHeader("x-ms-blob-type", "BlockBlob")
        .sendBuffer(Buffer.buffer("overwrite")));
    assertEquals(403, write.statusCode(), "a read SAS must not write");
    assertEquals(400, failure(() -> store.signedUrl(key, Duration.ofDays(30))).status());

    String shortLived = await(() -> store.signedUrl(key, Duration.ofSeconds(3))).orElseThrow().toString();
    assertEquals(200, await(() -> web.getAbs(shortLived).send()).statusCode(), "the short-lived SAS works before it expires");
    Poll.until(Duration.ofSeconds(15), () -> {
      try {
        return await(() -> web.getAbs(shortLived).send()).statusCode() == 403;
      } catch (Exception e) {
        throw new AssertionError("downloading with the short-lived SAS failed", e);
      }
    }, "the 3 s SAS expires: its download is refused with 403");
  }
}
