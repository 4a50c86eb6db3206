package data;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import support.Api;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For developers with Docker: the same server against a PostgreSQL container. Where no Docker
 * engine runs (as on CI here) it is skipped with a message; the embedded servers cover CI.
 */
@DisplayName("Testcontainers: Parley against a PostgreSQL container (skipped without Docker)")
class TestcontainersPostgresTest {

  @Test
  @DisplayName("meetings work against a PostgreSQL 16 container")
  void againstContainer() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    if (!docker) {
      System.out.println("[testcontainers] SKIPPED: no Docker engine is reachable on this machine; "
        + "the embedded PostgreSQL tests cover the same paths");
    }
    Assumptions.assumeTrue(docker, "no Docker engine is reachable: skipping the PostgreSQL container test");
    try (PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16-alpine")) {
      pg.start();
      String url = "postgresql://" + pg.getUsername() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
        + pg.getMappedPort(5432) + "/" + pg.getDatabaseName();
      Parley parley = TestServer.start(new JsonObject().put("db", new JsonObject().put("url", url)));
      try {
        Api api = new Api(parley.vertx(), parley.port());
        String token = api.token("Tess", "containers");
        String id = api.createMeeting(token, "In a container");
        assertEquals(200, api.join(token, id).status());
      } finally {
        parley.stop().await();
      }
    }
  }
}
