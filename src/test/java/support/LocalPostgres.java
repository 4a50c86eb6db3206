package support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL servers run from the operating system's binaries ({@code /usr/lib/postgresql/N/bin},
 * Debian's {@code postgresql} package) in a temporary folder: a primary made by {@code initdb}, and
 * streaming replicas cloned from it by {@code pg_basebackup -R}. PostgreSQL refuses to run as root,
 * so as root every server command runs as the {@code postgres} user through {@code runuser}.
 * Every statement is logged ({@code log_statement=all}) with the client's {@code application_name},
 * so a test can read which server ran what.
 */
public final class LocalPostgres {

  private final Path bin;
  private final Path dataDir;
  private final Path socketDir;
  private final int port;
  private final Path log;

  private LocalPostgres(Path bin, Path dataDir, Path socketDir, int port) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.socketDir = socketDir;
    this.port = port;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  /** The newest installed {@code bin} folder holding {@code initdb}, if any. */
  public static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_basebackup")))
        .max(Comparator.comparingInt(b -> parseVersion(b.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Why these servers cannot run here, or null when they can. */
  public static String unavailableReason() {
    if (binaries().isEmpty()) {
      return "no PostgreSQL binaries at /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)";
    }
    if (isRoot()) {
      if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
        return "running as root without runuser to start PostgreSQL as the postgres user";
      }
      try {
        if (new ProcessBuilder("id", "-u", "postgres").start().waitFor() != 0) {
          return "running as root and there is no postgres user to run PostgreSQL as";
        }
      } catch (IOException | InterruptedException e) {
        return "cannot check for the postgres user: " + e.getMessage();
      }
    }
    return null;
  }

  /** A new primary in a fresh folder under {@code parent}, started on {@code port}. */
  public static LocalPostgres startPrimary(Path parent, int port) throws IOException {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(unavailableReason()));
    prepare(parent);
    LocalPostgres pg = new LocalPostgres(bin, parent.resolve("primary"), parent, port);
    pg.runAsPostgres(List.of(bin.resolve("initdb").toString(), "-D", pg.dataDir.toString(), "-U", "postgres",
      "--auth=trust", "--encoding=UTF8", "--no-locale"));
    pg.appendConfig(List.of(
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = '" + parent + "'",
      "max_connections = 100",
      "wal_level = replica",
      "max_wal_senders = 5",
      "hot_standby = on",
      "fsync = off",
      "log_statement = 'all'",
      "log_line_prefix = '%m [%p] app=%a '"));
    pg.start();
    return pg;
  }

  /** A streaming replica of this primary, cloned with {@code pg_basebackup -R}, started on {@code replicaPort}. */
  public LocalPostgres startReplica(String name, int replicaPort) throws IOException {
    LocalPostgres replica = new LocalPostgres(bin, socketDir.resolve(name), socketDir, replicaPort);
    runAsPostgres(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
      "-U", "postgres", "-D", replica.dataDir.toString(), "-R", "-X", "stream", "--checkpoint=fast"));
    replica.appendConfig(List.of("port = " + replicaPort));
    replica.start();
    return replica;
  }

  public void start() throws IOException {
    if (!Files.exists(dataDir.resolve("postgresql.conf"))) {
      throw new IllegalStateException("no cluster at " + dataDir);
    }
    appendConfig(List.of("port = " + port));
    runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", log.toString(),
      "-w", "-t", "60", "start"));
  }

  /** Stops the server ({@code fast}: connections are closed, nothing is left half-written). */
  public void stop() throws IOException {
    runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
  }

  /** Stops the server if it runs; never throws (for clean-up). */
  public void stopQuietly() {
    try {
      if (Files.exists(dataDir.resolve("postmaster.pid"))) {
        runAsPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("[local-postgres] stop failed: " + e.getMessage());
    }
  }

  public int port() {
    return port;
  }

  /** A URL for Parley's {@code db.url} / {@code db.readUrls}. */
  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** Runs one SQL statement with psql over TCP and returns its unaligned, tuples-only output. */
  public String psql(String sql) throws IOException {
    return run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
      "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql)).trim();
  }

  /** The server log's entries (one per statement or message, continuation lines joined). */
  public List<String> logEntries() throws IOException {
    List<String> entries = new ArrayList<>();
    if (!Files.exists(log)) {
      return entries;
    }
    StringBuilder current = null;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}.*")) {
        if (current != null) {
          entries.add(current.toString());
        }
        current = new StringBuilder(line);
      } else if (current != null) {
        current.append('\n').append(line);
      }
    }
    if (current != null) {
      entries.add(current.toString());
    }
    return entries;
  }

  private void appendConfig(List<String> lines) throws IOException {
    Files.writeString(dataDir.resolve("postgresql.conf"), "\n" + String.join("\n", lines) + "\n",
      StandardOpenOption.APPEND);
  }

  private static void prepare(Path parent) throws IOException {
    Files.createDirectories(parent);
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", parent.toString()));
    }
  }

  private void runAsPostgres(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full);
  }

  private static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      // Read before waiting: a full pipe would block the child.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int parseVersion(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
