package data.blob;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Blob store configuration")
@ExtendWith(VertxExtension.class)
class BlobStoreFactoryTest {

  private static JsonObject azure(JsonObject settings) {
    return new JsonObject().put("provider", "azure").put("azure", settings);
  }

  private static String message(Vertx vertx, JsonObject config) {
    return assertThrows(IllegalArgumentException.class, () -> BlobStoreFactory.create(vertx, config, Path.of("data")))
        .getMessage();
  }

  @Test
  @DisplayName("Missing or invalid settings stop start-up with one message naming the key")
  void namesTheKey(Vertx vertx) {
    assertTrue(message(vertx, azure(new JsonObject().put("container", "parley")))
        .contains("blobs.azure.connectionString"));
    assertTrue(message(vertx, new JsonObject().put("provider", "azure")).contains("blobs.azure.connectionString"));
    assertTrue(message(vertx, azure(new JsonObject().put("connectionString", " "))).contains("blobs.azure.connectionString"));
    String cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.ACCOUNT_KEY
        + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    assertTrue(message(vertx, azure(new JsonObject().put("connectionString", cs).put("container", "Bad_Name")))
        .contains("blobs.azure.container"));
    assertTrue(message(vertx, azure(new JsonObject().put("connectionString", "nonsense")))
        .contains("blobs.azure.connectionString"));
    assertTrue(message(vertx, new JsonObject().put("provider", "gcs")).contains("blobs.provider"));
    assertTrue(message(vertx, new JsonObject().put("provider", "s3")).contains("blobs.s3.bucket"));
  }

  @Test
  @DisplayName("A complete Azure section builds the Azure store without contacting it")
  void buildsAzure(Vertx vertx) {
    String cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.ACCOUNT_KEY
        + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    BlobStore store = BlobStoreFactory.create(vertx, azure(new JsonObject().put("connectionString", cs)), null);
    assertEquals("azure", store.provider());
    store.close();
  }
}
