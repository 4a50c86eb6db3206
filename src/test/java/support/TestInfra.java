package support;

import data.EmbeddedServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real PostgreSQL and Redis the tests run against: started once per test JVM (embedded, the
 * same servers Parley starts on its defaults), or taken from {@code PARLEY_TEST_DB_URL} and
 * {@code PARLEY_TEST_REDIS_URL} when those are set. Test classes isolate themselves by tenant.
 */
public final class TestInfra {

  private static String dbUrl;
  private static java.nio.file.Path voskModel;
  private static String redisUrl;
  private static EmbeddedServices embedded;

  private TestInfra() {
  }

  public static synchronized String dbUrl() {
    ensure();
    return dbUrl;
  }

  public static synchronized String redisUrl() {
    ensure();
    return redisUrl;
  }

  /** The Vosk model from the jar, unpacked once per test JVM (the servers share it). */
  public static synchronized String voskModel() {
    if (voskModel == null) {
      try {
        voskModel = ai.stt.VoskModels.unpackEnglish(Path.of(System.getProperty("parley.buildDir", "target"), "test-models"));
      } catch (IOException e) {
        throw new IllegalStateException("cannot unpack the Vosk model: " + e.getMessage(), e);
      }
    }
    return voskModel.toString();
  }

  private static void ensure() {
    if (dbUrl != null) {
      return;
    }
    try {
      Path dir = Path.of(System.getProperty("parley.buildDir", "target"), "test-infra");
      deleteRecursively(dir);
      Files.createDirectories(dir);
      embedded = new EmbeddedServices(false);
      String envDb = System.getenv("PARLEY_TEST_DB_URL");
      String envRedis = System.getenv("PARLEY_TEST_REDIS_URL");
      dbUrl = envDb != null ? envDb : embedded.startPostgres(dir);
      redisUrl = envRedis != null ? envRedis : embedded.startRedis(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-infra-stop"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test database and Redis: " + e.getMessage(), e);
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    common.Folders.deleteRecursively(dir);
  }
}
