package bench.media;

import io.vertx.core.json.JsonObject;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Path;

/**
 * Parley with a managed Janus (embedded PostgreSQL and Redis), in a JVM of its own so that
 * {@link MediaCapacityBench} can read its CPU apart from the synthetic peers'. Prints
 * {@code PARLEY <port> <data dir>} once ready and stops when its standard input closes.
 */
public final class CapacityServer {

  private CapacityServer() {
  }

  public static void main(String[] args) throws Exception {
    JsonObject config = TestServer.config(new JsonObject().put("media", TestServer.janusMedia()));
    Path dataDir = Path.of(config.getJsonObject("data").getString("dir"));
    Parley server = Parley.start(config).await();
    System.out.println("PARLEY " + server.port() + " " + dataDir);
    System.out.flush();
    while (System.in.read() != -1) {
      // until the bench closes our input (or dies)
    }
    server.stop().await();
    System.exit(0);
  }
}
