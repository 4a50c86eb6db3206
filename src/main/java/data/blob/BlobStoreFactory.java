package data.blob;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Builds the configured {@link BlobStore} from the {@code blobs} configuration:
 * <pre>{@code
 * {"provider": "filesystem" | "azure" | "s3",
 *  "filesystem": {"root": null, "rehydrateDelayMs": 0},
 *  "azure": {"connectionString": null, "container": "parley", "blockSizeBytes": 4194304,
 *            "workerPoolSize": 8, "maxTries": 3, "tryTimeoutSeconds": 60, "retryDelayMs": 500,
 *            "maxRetryDelayMs": 5000, "rehydratePriority": "Standard"},
 *  "s3": {"bucket": null, "region": "us-east-1", "endpoint": null, "pathStyle": false, ...}}
 * }</pre>
 * A null filesystem root means {@code <dataDir>/blobs}. Invalid settings throw one
 * {@link IllegalArgumentException} naming the key. The store still needs {@link BlobStore#start()}.
 */
public final class BlobStoreFactory {

  private BlobStoreFactory() {
  }

  public static BlobStore create(Vertx vertx, JsonObject blobsConfig, Path dataDir) {
    JsonObject cfg = blobsConfig == null ? new JsonObject() : blobsConfig;
    String provider = cfg.getString("provider", "filesystem");
    switch (provider == null ? "" : provider.toLowerCase(Locale.ROOT)) {
      case "filesystem": {
        JsonObject fs = cfg.getJsonObject("filesystem", new JsonObject());
        String root = fs.getString("root");
        Path dir = root == null || root.isBlank() ? dataDir.resolve("blobs") : Path.of(root);
        long delay = fs.getLong("rehydrateDelayMs", 0L);
        if (delay < 0) {
          throw new IllegalArgumentException("blobs.filesystem.rehydrateDelayMs must not be negative");
        }
        return new FilesystemBlobStore(vertx, dir, delay);
      }
      case "azure":
        return new AzureBlobStore(vertx, AzureBlobStore.Settings.fromJson(cfg.getJsonObject("azure")));
      case "s3":
        return new S3BlobStore(vertx, S3BlobStore.Settings.fromJson(cfg.getJsonObject("s3")));
      default:
        throw new IllegalArgumentException("blobs.provider must be \"filesystem\", \"azure\" or \"s3\", got " + provider);
    }
  }
}
