package data;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("The embedded PostgreSQL's Unix socket is in its data folder where the path can be a socket address")
class PostgresSocketDirTest {

  @Test
  @DisplayName("a short folder holds the socket; one whose socket path passes 100 bytes, or with a comma, quote or space, has none")
  void socketDir() {
    Path shortDir = Path.of("/tmp/parley-load-abc123/pg");
    assertEquals(shortDir, EmbeddedServices.socketDirFor(shortDir, 54321));
    // "/.s.PGSQL.54321" is 15 bytes: a folder of 85 bytes is the longest that fits
    Path fits = Path.of("/" + "d".repeat(84));
    assertEquals(fits, EmbeddedServices.socketDirFor(fits, 54321));
    assertNull(EmbeddedServices.socketDirFor(Path.of("/" + "d".repeat(85)), 54321));
    // bytes, not characters
    assertNull(EmbeddedServices.socketDirFor(Path.of("/" + "é".repeat(43)), 54321));
    for (String odd : new String[]{"/tmp/a,b/pg", "/tmp/a b/pg", "/tmp/a\"b/pg", "/tmp/a\\b/pg"}) {
      assertNull(EmbeddedServices.socketDirFor(Path.of(odd), 54321), odd);
    }
  }
}
