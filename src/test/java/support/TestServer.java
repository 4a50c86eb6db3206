package support;

import config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import verticles.Parley;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Starts a whole Parley server (all verticles, real HTTP port) against {@link TestInfra}. */
public final class TestServer {

  private TestServer() {
  }

  public static Parley start() {
    return start(new JsonObject());
  }

  /** @param overrides merged over the defaults and the test settings */
  public static Parley start(JsonObject overrides) {
    return Parley.start(config(overrides)).await();
  }

  /** With tracing on, every span also going to {@code exporter}. */
  public static Parley start(JsonObject overrides, io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
    return Parley.start(config(overrides), exporter).await();
  }

  public static JsonObject config(JsonObject overrides) {
    try {
      Path dataDir = Files.createTempDirectory("parley-test-");
      JsonObject test = new JsonObject()
        .put("http", new JsonObject().put("port", freePort()).put("host", "127.0.0.1"))
        .put("data", new JsonObject().put("dir", dataDir.toString()))
        .put("db", new JsonObject().put("url", TestInfra.dbUrl()).put("poolSize", 6))
        .put("redis", new JsonObject().put("url", TestInfra.redisUrl()))
        .put("auth", new JsonObject().put("mode", "dev"))
        .put("presence", new JsonObject().put("graceSeconds", 1))
        // the browser mesh unless a test asks for the SFU (janusMedia()): no Janus per test server
        .put("media", new JsonObject().put("sfu", "mesh"))
        .put("bridge", new JsonObject().put("membershipCacheMs", 60_000))
        // one model unpacked per JVM; translation off unless a test starts Apertium itself
        .put("ai", new JsonObject()
          .put("stt", new JsonObject().put("workers", 2).put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel())))
          .put("translation", new JsonObject().put("provider", "none")));
      JsonObject config = ConfigLoader.defaults();
      ConfigLoader.deepMerge(config, test);
      ConfigLoader.deepMerge(config, overrides);
      return config;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A free port never handed out before in this JVM (two callers could otherwise get the same one before binding). */
  public static int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        int port = common.Ports.free();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no free port found");
  }

  /**
   * The translation section for tests that need real translation: Apertium started by the server
   * on a port of its own when Debian's apertium-apy is installed, otherwise translation off.
   */
  public static JsonObject apertiumIfInstalled() {
    return ai.translate.ApertiumProcess.isInstalled(null)
      ? new JsonObject().put("provider", "apertium").put("apertium", new JsonObject().put("manage", true).put("port", freePort()))
      : new JsonObject().put("provider", "none");
  }

  /**
   * The media section for tests on the SFU: a Janus managed by the server on a free port, media
   * on loopback (host candidates rewritten to 127.0.0.1), quick restarts.
   */
  public static JsonObject janusMedia() {
    return new JsonObject().put("sfu", "janus").put("janus", new JsonObject().put("port", freePort())
      .put("rtpPortRange", "40000-60000").put("natMapping", "127.0.0.1").put("keepPrivateHost", false)
      .put("restartBackoffMs", 200).put("reconnectMs", 100));
  }

  /** A tenant name no other test uses. */
  public static String freshTenant(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
