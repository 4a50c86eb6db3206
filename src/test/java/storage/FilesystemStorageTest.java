package storage;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Recordings and files on the filesystem store (the embedded default)")
class FilesystemStorageTest extends StorageFlows {

  @BeforeAll
  static void start() {
    startServer(new JsonObject());
  }

  @AfterAll
  static void stop() {
    stopServer();
  }
}
