package media;

import config.Section;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Where meetings' media goes, decided once at start-up from {@code media.sfu}: {@code janus}
 * (the SFU: Janus servers from {@code media.janus.urls}, or else the one Parley manages),
 * {@code mesh} (browser to browser), or {@code auto} (the default: Janus when it is installed or
 * configured, the mesh otherwise, saying so in the log and in readiness). Holds the managed
 * process, if any, and what each node's media instances last saw of every server.
 */
public final class MediaPlane {

  private static final Logger LOG = LoggerFactory.getLogger(MediaPlane.class);

  /** The {@code media} and {@code media.janus} settings the plane is built from. */
  public record Settings(String sfu, int meshMax, List<String> urls, String apiSecret, String adminKey, boolean manage,
                         JanusProcess.Settings process) {

    public static Settings parse(JsonObject config) {
      Section media = Section.of(config, "media");
      Section janus = media.section("janus");
      JanusProcess.Settings process = new JanusProcess.Settings(janus.optionalString("command"), janus.optionalString("libDir"),
        janus.integer("port", 1, 65_535), janus.integer("adminPort", 0, 65_535), portRange(janus, "rtpPortRange"),
        janus.optionalString("natMapping"), janus.bool("keepPrivateHost"), janus.optionalString("stunServer"),
        janus.integer("stunPort", 1, 65_535), janus.optionalString("turnServer"), janus.integer("turnPort", 1, 65_535),
        janus.choice("turnType", List.of("udp", "tcp", "tls")), janus.optionalString("turnUser"),
        janus.optionalString("turnPassword"), janus.optionalString("iceEnforceList"), janus.optionalString("iceIgnoreList"),
        janus.integer("debugLevel", 0, 7), janus.integer("sessionTimeoutSeconds", 10, 3_600),
        janus.longValue("restartBackoffMs", 1, 600_000), janus.longValue("restartMaxBackoffMs", 1, 3_600_000),
        janus.longValue("startTimeoutMs", 1_000, 600_000));
      List<String> urls = janus.strings("urls");
      for (String url : urls) {
        if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
          throw new config.ConfigException("media.janus.urls must be ws:// or wss:// URLs of Janus's WebSocket API, not " + url);
        }
      }
      return new Settings(media.choice("sfu", List.of("auto", "janus", "mesh")), media.integer("meshMax", 2, 50), urls,
        janus.optionalString("apiSecret"), janus.optionalString("adminKey"), janus.bool("manage"), process);
    }

    private static String portRange(Section janus, String key) {
      String value = janus.string(key);
      String[] parts = value.split("-");
      try {
        if (parts.length == 2 && Integer.parseInt(parts[0].trim()) > 0 && Integer.parseInt(parts[0].trim()) < Integer.parseInt(parts[1].trim())
          && Integer.parseInt(parts[1].trim()) <= 65_535) {
          return parts[0].trim() + "-" + parts[1].trim();
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new config.ConfigException("media.janus." + key + " must be a port range like 20000-40000, not " + value);
    }
  }

  private final Settings settings;
  private final String mode;
  private final String reason;
  private final List<JanusServer> servers;
  private final JanusProcess managed;
  /** server id -> null when some media instance is connected to it, else why not (per node). */
  private final Map<String, String> reachability = new ConcurrentHashMap<>();

  private MediaPlane(Settings settings, String mode, String reason, List<JanusServer> servers, JanusProcess managed) {
    this.settings = settings;
    this.mode = mode;
    this.reason = reason;
    this.servers = List.copyOf(servers);
    this.managed = managed;
    servers.forEach(s -> reachability.put(s.id(), "not connected yet"));
  }

  /** Decides the mode and, when Parley manages Janus, starts it. Never fails for a missing or broken Janus. */
  public static Future<MediaPlane> start(Vertx vertx, Settings settings, Path dataDir) {
    if ("mesh".equals(settings.sfu())) {
      LOG.info("Media: browser mesh (media.sfu=mesh), up to {} people per meeting", settings.meshMax());
      return Future.succeededFuture(new MediaPlane(settings, "mesh", "media.sfu is mesh", List.of(), null));
    }
    if (!settings.urls().isEmpty()) {
      List<JanusServer> external = settings.urls().stream()
        .map(url -> JanusServer.external(url, settings.apiSecret(), settings.adminKey())).toList();
      LOG.info("Media: Janus SFU at {}", String.join(", ", settings.urls()));
      return Future.succeededFuture(new MediaPlane(settings, "sfu", null, external, null));
    }
    String missing = settings.manage() ? JanusProcess.missing(settings.process().command(), settings.process().libDir())
      : "media.janus.manage is false and media.janus.urls is empty";
    if (missing != null) {
      if ("janus".equals(settings.sfu())) {
        LOG.warn("Media: media.sfu=janus but {}: meetings get no media until it is", missing);
        return Future.succeededFuture(new MediaPlane(settings, "sfu", missing, List.of(), null));
      }
      LOG.warn("Media: {}; meetings use the browser mesh (up to {} people)", missing, settings.meshMax());
      return Future.succeededFuture(new MediaPlane(settings, "mesh", missing, List.of(), null));
    }
    return JanusProcess.start(vertx, settings.process(), dataDir)
      .map(process -> new MediaPlane(settings, "sfu", null, List.of(process), process))
      .recover(err -> {
        // It failed to start: Parley runs on and media requests answer 503 until it is fixed.
        LOG.warn("Media: Janus did not start ({}); media requests answer 503", err.getMessage());
        return Future.succeededFuture(new MediaPlane(settings, "sfu", err.getMessage(), List.of(), null));
      });
  }

  /** {@code sfu} or {@code mesh}. */
  public String mode() {
    return mode;
  }

  public boolean sfu() {
    return "sfu".equals(mode);
  }

  public int meshMax() {
    return settings.meshMax();
  }

  /** Why the plane is the mesh, or why the SFU has no server; null when all is as configured. */
  public String reason() {
    return reason;
  }

  public List<JanusServer> servers() {
    return servers;
  }

  /** The Janus Parley runs itself, or null. */
  public JanusProcess managed() {
    return managed;
  }

  /** A media instance of this node connected to {@code serverId} ({@code problem} null) or lost it. */
  public void reachable(String serverId, String problem) {
    reachability.put(serverId, problem == null ? "" : problem);
  }

  /**
   * The readiness check: fails (degraded) when the SFU has no server or a configured server is not
   * reachable from this node; otherwise says which mode is on and which servers are up.
   */
  public Future<JsonObject> health() {
    JsonObject detail = new JsonObject().put("mode", mode).put("meshMax", settings.meshMax());
    if (reason != null) {
      detail.put("detail", "mesh".equals(mode) ? reason + "; meetings use the browser mesh (up to " + settings.meshMax() + " people)"
        : reason);
    }
    if (!sfu()) {
      return Future.succeededFuture(detail);
    }
    if (servers.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("no Janus server: " + reason));
    }
    Map<String, String> down = reachability.entrySet().stream().filter(e -> !e.getValue().isEmpty())
      .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    if (!down.isEmpty()) {
      return Future.failedFuture(new IllegalStateException(down.entrySet().stream()
        .map(e -> "Janus " + e.getKey() + " is down (" + e.getValue() + ")").sorted().collect(Collectors.joining("; "))));
    }
    JsonObject up = new JsonObject();
    servers.forEach(s -> up.put(s.id(), "up"));
    return Future.succeededFuture(detail.put("servers", up));
  }

  /** Stops the managed Janus, if any. Blocking. */
  public void close() {
    if (managed != null) {
      managed.stop();
    }
  }
}
