package security;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@DisplayName("The dev issuer's signing key is readable by its owner only (0600), in a folder closed to other users")
class DevIssuerKeyTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static final JsonObject AUTH = config.ConfigLoader.defaults().getJsonObject("auth");

  @Test
  @DisplayName("a new key is created 0600 and its folder loses other users' access")
  void newKey() throws Exception {
    Path dir = Files.createTempDirectory("parley-key-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = dir.resolve("dev-issuer-key.pem");
    DevTokenIssuer.create(vertx, key, AUTH);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertFalse(Files.exists(dir.resolve("dev-issuer-key.pem.tmp")));
  }

  @Test
  @DisplayName("an existing key left readable by others (0644) is tightened to 0600 and still signs tokens that verify")
  void existingKey() throws Exception {
    Path dir = Files.createTempDirectory("parley-key-");
    Path key = dir.resolve("dev-issuer-key.pem");
    DevTokenIssuer first = DevTokenIssuer.create(vertx, key, AUTH);
    String token = first.issue(new JsonObject().put("name", "Ada").put("tenant", "acme")).getString("token");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    DevTokenIssuer again = DevTokenIssuer.create(vertx, key, AUTH);
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
    assertEquals("rw-------", PosixFilePermissions.toString(perms));
    assertEquals("Ada", again.verifier(AUTH).verify(token).await().name(), "the same key, reloaded");
  }
}
