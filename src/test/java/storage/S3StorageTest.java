package storage;

import data.blob.S3rver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recordings and files on an S3-compatible store (a real s3rver), with presigned download links")
class S3StorageTest extends StorageFlows {

  static S3rver s3rver;

  @BeforeAll
  static void start() throws Exception {
    if (S3rver.binary().isEmpty()) {
      System.out.println("[s3] SKIPPED S3StorageTest: " + S3rver.unavailableReason());
      Assumptions.assumeTrue(false, S3rver.unavailableReason());
    }
    s3rver = S3rver.start();
    System.out.println("[s3] " + S3rver.GAPS);
    startServer(new io.vertx.core.json.JsonObject().put("blobs", s3rver.blobsConfig("parley-test")));
  }

  @Test
  @DisplayName("the web client's content security policy lets recordings play from the S3 endpoint's presigned links")
  void cspAllowsPresignedMedia() {
    String csp = http.get("/", null).header("Content-Security-Policy");
    Assertions.assertTrue(csp.contains("media-src 'self' blob: " + s3rver.endpoint() + ";"), csp);
    Assertions.assertTrue(csp.contains("connect-src 'self';"), "nothing else is opened up: " + csp);
  }

  @AfterAll
  static void stop() {
    stopServer();
    if (s3rver != null) {
      s3rver.close();
    }
  }
}
