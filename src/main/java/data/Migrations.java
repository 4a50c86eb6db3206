package data;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain versioned SQL migrations ({@code db/migration/V<n>__<name>.sql}, listed in
 * {@code db/migration/index.txt}), applied in order at start-up through the non-blocking client.
 * A PostgreSQL advisory lock makes concurrent nodes take turns; each file runs in its own
 * transaction together with its row in {@code schema_migrations}, so a failed migration leaves
 * nothing half-applied.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x7061726c6579L; // "parley"
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  private Migrations() {
  }

  record Migration(int version, String name, String sql) {
  }

  public static Future<Integer> migrate(Pool pool) {
    List<Migration> migrations;
    try {
      migrations = load();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return pool.withConnection(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
      .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, "
        + "applied_at timestamptz NOT NULL DEFAULT now())").execute())
      .compose(v -> conn.query("SELECT coalesce(max(version), 0) AS v FROM schema_migrations").execute())
      .compose(rows -> applyFrom(conn, migrations, rows.iterator().next().getInteger("v"), 0))
      .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, List<Migration> migrations, int current, int index) {
    if (index >= migrations.size()) {
      return Future.succeededFuture(current);
    }
    Migration m = migrations.get(index);
    if (m.version() <= current) {
      return applyFrom(conn, migrations, current, index + 1);
    }
    LOG.info("Applying database migration V{} {}", m.version(), m.name());
    return conn.begin()
      .compose(tx -> conn.query(m.sql()).execute()
        .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
          .execute(Tuple.of(m.version(), m.name())))
        .compose(v -> tx.commit())
        .recover(err -> tx.rollback().transform(ignored -> Future.failedFuture(
          new IllegalStateException("migration V" + m.version() + " " + m.name() + " failed: " + err.getMessage(), err)))))
      .compose(v -> applyFrom(conn, migrations, m.version(), index + 1));
  }

  static List<Migration> load() throws IOException {
    List<Migration> out = new ArrayList<>();
    for (String file : resource("db/migration/index.txt").split("\\R")) {
      String trimmed = file.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(trimmed);
      if (!m.matches()) {
        throw new IOException("bad migration file name " + trimmed);
      }
      out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), resource("db/migration/" + trimmed)));
    }
    out.sort((a, b) -> Integer.compare(a.version(), b.version()));
    return out;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing classpath resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
