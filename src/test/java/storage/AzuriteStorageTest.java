package storage;

import data.blob.Azurite;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Recordings and files on Azure Blob Storage (a real Azurite), with SAS download links")
class AzuriteStorageTest extends StorageFlows {

  static Azurite azurite;

  @BeforeAll
  static void start() throws Exception {
    if (Azurite.binary().isEmpty()) {
      System.out.println("SKIPPED AzuriteStorageTest: " + Azurite.unavailableReason());
      Assumptions.assumeTrue(false, Azurite.unavailableReason());
    }
    azurite = Azurite.start();
    startServer(new JsonObject().put("blobs", new JsonObject().put("provider", "azure")
      .put("azure", new JsonObject().put("connectionString", azurite.connectionString()).put("container", "parley-test"))));
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the web client's content security policy lets recordings play from the blob service's SAS links")
  void cspAllowsSasMedia() {
    String csp = http.get("/", null).header("Content-Security-Policy");
    org.junit.jupiter.api.Assertions.assertTrue(csp.contains("media-src 'self' blob: http://127.0.0.1:" + azurite.port() + ";"), csp);
    org.junit.jupiter.api.Assertions.assertTrue(csp.contains("connect-src 'self';"), "nothing else is opened up: " + csp);
  }

  @AfterAll
  static void stop() {
    stopServer();
    if (azurite != null) {
      azurite.close();
    }
  }
}
