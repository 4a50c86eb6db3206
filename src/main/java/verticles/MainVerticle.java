package verticles;

import ai.AiPricing;
import ai.ContentSafety;
import ai.SpeechRecognizer;
import ai.SupportedLanguages;
import ai.Translator;
import ai.safety.BuiltInContentSafety;
import ai.safety.ContentSafetyFactory;
import ai.safety.ModerationPolicy;
import ai.stt.SpeechRecognizerFactory;
import ai.summary.SummarizerFactory;
import ai.translate.TranslatorFactory;
import config.ConfigException;
import config.ConfigLoader;
import config.Section;
import data.ChatRepository;
import data.Db;
import data.BudgetRepository;
import data.EmbeddedServices;
import data.MeetingRepository;
import data.Migrations;
import data.PresenceStore;
import data.StoredObjectRepository;
import data.TenantRepository;
import data.TimeLimitedRedis;
import data.blob.BlobStore;
import data.blob.BlobStoreFactory;
import data.blob.UrlSigner;
import handlers.AiBudget;
import handlers.AiUsage;
import handlers.Moderator;
import handlers.storage.SignObjectLinks;
import handlers.tenant.TenantConfig;
import handlers.tenant.TenantPolicies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.DevTokenIssuer;
import security.OidcTokenVerifiers;
import security.TokenVerifier;
import telemetry.GaugeRefresher;
import telemetry.ParleyMetrics;
import telemetry.Readiness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bootstrap: starts the embedded servers when no URLs are configured, migrates the schema, builds
 * the pools, clients and identity verifier once, and deploys the service verticles and the gateway
 * with their configured instance counts. Stopping it stops the embedded servers last.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  /** The verticles and their {@code verticles.<name>.instances}, in the order they are deployed. */
  private static final List<String> VERTICLES = List.of("meeting", "chat", "tenant", "ai", "collaboration", "breakouts", "lifecycle",
    "webhooks", "media", "recordings", "gateway");

  /** The bootstrap's slice of the configuration (each verticle parses its own). */
  record Settings(Path dataDir, String dbUrl, List<String> dbReadUrls, int dbPoolSize, int dbReadPoolSize,
                  int dbReadConnectTimeoutMs, long dbReplicaRetryMs, String redisUrl, RedisClientType redisType,
                  String redisMasterName, int redisPoolSize, long redisCommandTimeoutMs, String authMode, String authIssuer, String devKeyFile,
                  long presenceTtlSeconds, int maxTenants, long gaugeRefreshMs, String signingKey, Duration linkTtl,
                  double defaultBudgetUsd, java.util.Map<String, Integer> instances, boolean embeddedDurable,
                  long embeddedCheckIntervalMs, long embeddedMaxBackoffMs, boolean dbCachePreparedStatements) {

    static Settings parse(JsonObject config) {
      Section db = Section.of(config, "db");
      Section redis = Section.of(config, "redis");
      Section auth = Section.of(config, "auth");
      Section metrics = Section.of(config, "metrics");
      Section blobs = Section.of(config, "blobs");
      Section verticles = Section.of(config, "verticles");
      Section embedded = Section.of(config, "embedded");
      java.util.Map<String, Integer> instances = new java.util.LinkedHashMap<>();
      for (String name : VERTICLES) {
        instances.put(name, verticles.section(name).integer("instances", 1, 64));
      }
      RedisClientType redisType = switch (redis.choice("type", List.of("standalone", "sentinel", "cluster"))) {
        case "sentinel" -> RedisClientType.SENTINEL;
        case "cluster" -> RedisClientType.CLUSTER;
        default -> RedisClientType.STANDALONE;
      };
      return new Settings(Path.of(Section.of(config, "data").string("dir")).toAbsolutePath().normalize(),
        db.optionalString("url"), db.strings("readUrls"), db.integer("poolSize", 1, 1000), db.integer("readPoolSize", 1, 1000),
        db.integer("readConnectTimeoutMs", 1, 600_000), db.longValue("replicaRetryMs", 0, 3_600_000),
        redis.optionalString("url"), redisType, redis.optionalString("masterName"), redis.integer("poolSize", 1, 1000),
        redis.longValue("commandTimeoutMs", 50, 600_000),
        auth.choice("mode", List.of("auto", "dev", "oidc")), auth.optionalString("issuer"), auth.optionalString("devKeyFile"),
        Section.of(config, "presence").longValue("ttlSeconds", 1, 86_400),
        metrics.integer("maxTenants", 1, 100_000), metrics.longValue("refreshSeconds", 1, 86_400) * 1000,
        blobs.optionalString("signingKey"), Duration.ofSeconds(blobs.longValue("linkTtlSeconds", 1, 7 * 86_400)),
        Section.of(config, "tenantDefaults").decimal("aiBudgetUsd", 0, 1e12), instances,
        embedded.bool("durable"), embedded.longValue("checkIntervalMs", 50, 60_000), embedded.longValue("maxBackoffMs", 500, 600_000),
        db.bool("cachePreparedStatements"));
    }
  }

  private final JsonObject config;
  private final PrometheusMeterRegistry registry;
  /** Where Parley's meters are registered: {@link #registry}, or a composite of it and Azure Monitor's. */
  private final MeterRegistry meters;
  private final int httpPort;
  private EmbeddedServices embedded = new EmbeddedServices();
  private Settings settings;
  private Services services;
  private AiServices startedAi;
  private media.MediaPlane startedMedia;
  private handlers.recordings.RecordingTools recordingTools;
  private BlobStore blobStore;
  private UrlSigner signer;
  private volatile boolean blobStarted;
  /** The moderator's usage meter: what it gathered is sent before each verticle of a drain is undeployed. */
  private AiUsage moderatorUsage;
  /** Deployment ids of the service verticles and the gateway, in deployment order. */
  private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final OpenTelemetry openTelemetry;

  public MainVerticle(JsonObject config, PrometheusMeterRegistry registry, MeterRegistry meters, OpenTelemetry openTelemetry,
                      int httpPort) {
    this.openTelemetry = openTelemetry;
    this.config = config;
    this.registry = registry;
    this.meters = meters;
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    long started = System.nanoTime();
    try {
      settings = Settings.parse(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Path dataDir = settings.dataDir();
    embedded = new EmbeddedServices(settings.embeddedDurable());
    boolean embeddedDb = settings.dbUrl() == null;
    boolean embeddedRedis = settings.redisUrl() == null;

    Future<String> dbUrl = embeddedDb
      ? vertx.executeBlocking(() -> {
          Files.createDirectories(dataDir);
          return embedded.startPostgres(dataDir);
        }, false)
      : Future.succeededFuture(settings.dbUrl());
    Future<String> redisUrl = embeddedRedis
      ? vertx.executeBlocking(() -> {
          Files.createDirectories(dataDir);
          return embedded.startRedis(dataDir);
        }, false)
      : Future.succeededFuture(settings.redisUrl());

    return Future.all(dbUrl, redisUrl)
      .compose(v -> {
        // The embedded server's own Unix socket where this instance's transport can reach one (epoll)
        Path socketDir = embeddedDb && vertx.isNativeTransportEnabled() ? embedded.postgresSocketDir() : null;
        if (embeddedDb) {
          LOG.info(socketDir != null ? "The pools reach the embedded PostgreSQL over its Unix socket in {}"
            : "The pools reach the embedded PostgreSQL over loopback TCP{}", socketDir != null ? socketDir
            : vertx.isNativeTransportEnabled() ? " (it has no Unix socket)" : " (a Unix socket needs the native transport)");
        }
        Pool write = pool(dbUrl.result(), socketDir, settings.dbPoolSize(), "parley-write");
        Db db = new Db(write, readPool(), settings.dbReplicaRetryMs());
        Redis redis = redis(redisUrl.result());
        return Migrations.migrate(db.write())
          .compose(version -> blobs(dataDir))
          .compose(version -> ai(dataDir))
          .onSuccess(ai -> startedAi = ai)
          .compose(ai -> media(dataDir).map(ai))
          .compose(ai -> identity(dataDir, embeddedDb && embeddedRedis).map(identity -> services = services(db, redis, identity, ai)));
      })
      .compose(v -> deployAll())
      .onSuccess(v -> {
        // Embedded servers that die are started again; each restart is counted (0 until then).
        if (embeddedDb || embeddedRedis) {
          for (String dependency : embeddedDb && embeddedRedis ? List.of("db", "redis") : List.of(embeddedDb ? "db" : "redis")) {
            services.metrics().dependencyRestarted(dependency, 0);
          }
          embedded.supervise(settings.embeddedCheckIntervalMs(), settings.embeddedMaxBackoffMs(),
            dependency -> services.metrics().dependencyRestarted(dependency, 1));
        }
      })
      .onSuccess(v -> LOG.info("Parley ready on port {} in {} ms (data {}, auth {})", httpPort,
        (System.nanoTime() - started) / 1_000_000, dataDir, services.tokens().mode()))
      // A failed start must not leave child processes behind (the managed APy, the embedded servers).
      .onFailure(err -> vertx.executeBlocking(() -> {
        if (startedAi != null) {
          startedAi.close();
        }
        if (startedMedia != null) {
          startedMedia.close();
        }
        if (blobStore != null) {
          blobStore.close();
        }
        embedded.close();
        return null;
      }));
  }

  /**
   * The first half of a graceful stop: undeploys the verticles one kind at a time in the reverse
   * order of deployment, the gateway first (it closes its sockets with 1001 and lets the requests in
   * flight finish while the services still run), then each service. {@link #stop} does the rest.
   */
  public Future<Void> drain() {
    embedded.stopSupervising();
    Future<Void> done = Future.succeededFuture();
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    deployments.clear();
    for (String id : reversed) {
      // free checks gathered by the moderator reach the tenant verticle before it (and what comes after it) stops
      done = done.eventually(() -> {
        if (moderatorUsage != null) {
          moderatorUsage.flush();
        }
        return vertx.undeploy(id);
      });
    }
    return done;
  }

  @Override
  public Future<?> stop() {
    // Child verticles are undeployed by Vert.x before this runs; then the pools, then the servers.
    List<Future<?>> closing = new ArrayList<>();
    if (services != null) {
      closing.add(services.db().write().close());
      if (services.db().replicas() != null) {
        closing.add(services.db().replicas().close());
      }
      services.redis().close();
    }
    // Stopping APy, the recogniser threads and the embedded servers waits on processes: not on an event loop.
    if (blobStore != null) {
      closing.add(blobStore.close());
    }
    return Future.join(closing).transform(v -> vertx.executeBlocking(() -> {
      if (services != null) {
        services.ai().close();
        services.media().close();
      }
      embedded.close();
      return null;
    }));
  }

  private record IdentitySetup(TokenVerifier verifier, DevTokenIssuer devIssuer) {
  }

  private Future<IdentitySetup> identity(Path dataDir, boolean embeddedDefaults) {
    JsonObject auth = config.getJsonObject("auth");
    String issuer = settings.authIssuer();
    boolean dev = switch (settings.authMode()) {
      case "dev" -> true;
      case "oidc" -> false;
      default -> issuer == null && embeddedDefaults;
    };
    if (dev) {
      // In a cluster every node must sign and verify with the same key: auth.devKeyFile on a shared volume.
      Path keyFile = settings.devKeyFile() == null ? dataDir.resolve("dev-issuer-key.pem") : Path.of(settings.devKeyFile());
      return vertx.executeBlocking(() -> DevTokenIssuer.create(vertx, keyFile, auth))
        .map(issuerImpl -> {
          LOG.warn("*****************************************************************************");
          LOG.warn("* DEVELOPMENT SIGN-IN IS ON: anyone can get a token at POST /api/v1/auth/dev-token *");
          LOG.warn("* Set auth.issuer (PARLEY_AUTH_ISSUER) to an OIDC provider for real use.        *");
          LOG.warn("*****************************************************************************");
          return new IdentitySetup(issuerImpl.verifier(auth), issuerImpl);
        });
    }
    if (issuer == null) {
      return Future.failedFuture(new IllegalArgumentException(
        "auth.issuer (PARLEY_AUTH_ISSUER) is required when not running on the embedded defaults; or set auth.mode=dev"));
    }
    return OidcTokenVerifiers.discover(vertx, auth).map(v -> new IdentitySetup(v, null));
  }

  /**
   * The blob store. A store that cannot be reached at start-up (Azure down) does not stop the
   * server: meetings and chat work, uploads answer 503, and readiness shows {@code blobs} down
   * until the store answers.
   */
  private Future<Void> blobs(Path dataDir) {
    JsonObject cfg = config.getJsonObject("blobs");
    try {
      blobStore = BlobStoreFactory.create(vertx, cfg, dataDir);
      String secret = settings.signingKey();
      if (secret == null) {
        signer = UrlSigner.withRandomKey();
        LOG.info("blobs.signingKey is not set: signed download links are valid on this node only and until it stops");
      } else {
        signer = UrlSigner.fromBase64(secret);
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return blobStore.start()
      .onSuccess(v -> blobStarted = true)
      .otherwise(err -> {
        LOG.warn("The {} blob store is not available yet ({}); uploads answer 503 until it is", blobStore.provider(),
          err.getMessage());
        return null;
      });
  }

  private Future<Void> blobHealth() {
    if (blobStarted) {
      return blobStore.health();
    }
    return blobStore.start().onSuccess(v -> blobStarted = true).compose(v -> blobStore.health());
  }

  private Future<AiServices> ai(Path dataDir) {
    // The built-in detector compiles its rules when its classes are first used (hundreds of ms on a
    // busy machine): on a worker thread, not on this event loop.
    return vertx.executeBlocking(BuiltInContentSafety::new).compose(builtIn -> ai(dataDir, builtIn));
  }

  private Future<AiServices> ai(Path dataDir, BuiltInContentSafety builtInSafety) {
    JsonObject ai = config.getJsonObject("ai");
    ContentSafety safety;
    ai.Summarizer summarizer;
    ai.Summarizer offlineSummarizer;
    try {
      safety = ContentSafetyFactory.create(vertx, ai.getJsonObject("safety"));
      summarizer = SummarizerFactory.create(vertx, config);
      offlineSummarizer = summarizer.provider().equals("extractive") ? summarizer : SummarizerFactory.extractive(vertx, config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<SpeechRecognizer> stt = SpeechRecognizerFactory.create(vertx, ai.getJsonObject("stt"), dataDir);
    Future<SpeechRecognizer> local = stt.compose(s -> SpeechRecognizerFactory.local(vertx, ai.getJsonObject("stt"), dataDir, s));
    Future<Translator> translator = TranslatorFactory.create(vertx, ai.getJsonObject("translation"));
    long routesCacheMs = Section.of(config, "ai.translation").longValue("routesCacheSeconds", 1, 86_400) * 1000;
    return Future.all(stt, local, translator).map(v -> new AiServices(stt.result(), translator.result(), safety,
      builtInSafety, new AiPricing(ai.getJsonObject("prices")), summarizer, offlineSummarizer,
      new SupportedLanguages(stt.result(), translator.result(), routesCacheMs), local.result()));
  }

  /** The media plane ({@code media.sfu}): the SFU with Janus (managed, or by URL) or the browser mesh. Never fails start-up for Janus. */
  private Future<Void> media(Path dataDir) {
    media.MediaPlane.Settings mediaSettings;
    try {
      mediaSettings = media.MediaPlane.Settings.parse(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return media.MediaPlane.start(vertx, mediaSettings, dataDir).onSuccess(plane -> startedMedia = plane).mapEmpty();
  }

  private Services services(Db db, Redis redis, IdentitySetup identity, AiServices ai) {
    PresenceStore presence = new PresenceStore(redis, settings.presenceTtlSeconds());
    TenantConfig tenantConfig = new TenantConfig(config.getJsonObject("tenantDefaults"),
      moderation -> ModerationPolicy.parse(moderation).toJson());
    TenantRepository tenants = new TenantRepository(db);
    ParleyMetrics metrics = new ParleyMetrics(meters != null ? meters : new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
      settings.maxTenants());
    TenantPolicies policies = new TenantPolicies(tenants, tenantConfig, 5_000);
    BudgetRepository budgets = new BudgetRepository(db);
    AiBudget budget = new AiBudget(budgets, policies, Section.of(config, "ai.budget").longValue("statusCacheMs", 0, 3_600_000));
    // the free safety check of every chat message is metered in batches, here and where it is stored (TenantVerticle)
    moderatorUsage = new AiUsage(vertx, ai.pricing(), Section.of(config, "ai.budget").longValue("freeChecksBatchMs", 0, 60_000));
    Moderator moderator = new Moderator(ai.safety(), ai.builtInSafety(), policies, metrics, moderatorUsage, budget);
    StoredObjectRepository objects = new StoredObjectRepository(db);
    Storage storage = new Storage(blobStore, objects, new SignObjectLinks(blobStore, objects, signer,
      settings.linkTtl()));
    return new Services(config, db, redis, presence, new MeetingRepository(db), new ChatRepository(db),
      tenants, tenantConfig, identity.verifier(), identity.devIssuer(), moderator, registry, metrics, openTelemetry, ai, policies,
      storage, budgets, budget, startedMedia);
  }

  private Future<?> deployAll() {
    // a few file checks, once: the server starts without them and says so (readiness, 503 on start)
    Section server = Section.of(config, "recordings.server");
    recordingTools = handlers.recordings.RecordingTools.detect(server.string("janusPpRec"), server.string("ffmpeg"),
      server.string("ffprobe"));
    if (recordingTools.missing() != null) {
      LOG.warn("Recordings: {}", recordingTools.missing());
    }
    Readiness readiness = new Readiness(List.of(
      new Readiness.Check("db", true, () -> services.db().write().query("SELECT 1").execute()),
      new Readiness.Check("redis", true, () -> services.presence().ping()),
      new Readiness.Check("blobs", false, this::blobHealth),
      new Readiness.Check("stt", false, () -> services.ai().stt().isConfiguredProperly()
        ? Future.succeededFuture() : Future.failedFuture(services.ai().stt().configurationProblem())),
      new Readiness.Check("translation", false, () -> services.ai().translator().health()),
      new Readiness.Check("safety", false, () -> services.ai().safety().health()),
      new Readiness.Check("media", false, () -> services.media().health()),
      new Readiness.Check("recordings", false, () -> recordingTools.missing() == null
        ? Future.succeededFuture(new io.vertx.core.json.JsonObject().put("detail", "janus-pp-rec and ffmpeg found"))
        : Future.failedFuture(recordingTools.missing()))), 2_000);
    GaugeRefresher gauges = new GaugeRefresher(services.metrics(), services.meetings(), services.tenants(),
      services.storage().objects(), readiness, settings.defaultBudgetUsd(), services.budgets());
    java.util.Map<String, java.util.function.Supplier<VerticleBase>> factories = new java.util.HashMap<>();
    factories.put("meeting", () -> new MeetingVerticle(services));
    factories.put("chat", () -> new ChatVerticle(services));
    factories.put("tenant", () -> new TenantVerticle(services));
    factories.put("ai", () -> new AiBridgeVerticle(services));
    factories.put("collaboration", () -> new CollaborationVerticle(services));
    factories.put("breakouts", () -> new BreakoutVerticle(services));
    factories.put("lifecycle", () -> new LifecycleVerticle(services));
    factories.put("webhooks", () -> new WebhookVerticle(services));
    factories.put("media", () -> new MediaVerticle(services));
    factories.put("recordings", () -> new RecordingVerticle(services, recordingTools));
    factories.put("gateway", () -> new GatewayVerticle(services, readiness, httpPort));
    Future<?> deployed = Future.succeededFuture();
    for (String name : VERTICLES) {
      deployed = deployed.compose(v -> vertx.deployVerticle(factories.get(name),
        new DeploymentOptions().setInstances(settings.instances().get(name))).onSuccess(deployments::add));
    }
    return deployed.onSuccess(v -> {
      gauges.refresh();
      vertx.setPeriodic(settings.gaugeRefreshMs(), id -> gauges.refresh());
    });
  }

  /** @param socketDir the folder of the server's Unix socket to connect to instead of the URL's host, or null */
  private Pool pool(String url, Path socketDir, int size, String name) {
    PgConnectOptions options = PgConnectOptions.fromUri(url).setPipeliningLimit(1).setReconnectAttempts(2).setReconnectInterval(500)
      .setCachePreparedStatements(settings.dbCachePreparedStatements())
      .addProperty("application_name", name);
    if (socketDir != null) {
      options.setHost(socketDir.toString());
    }
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(size).setName(name).setShared(false))
      .connectingTo(options)
      .using(vertx)
      .build();
  }

  /**
   * The replica pool, or null when {@code db.readUrls} is empty and reads go to the primary. Its
   * connections say {@code application_name=parley-read} (the write pool's, {@code parley-write}),
   * and connect within {@code db.readConnectTimeoutMs} so that a dead replica falls back quickly.
   */
  private Pool readPool() {
    List<String> readUrls = settings.dbReadUrls();
    if (readUrls.isEmpty()) {
      return null;
    }
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(settings.dbReadPoolSize()).setName("parley-read").setShared(false))
      .with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(settings.dbReadConnectTimeoutMs()))
      .connectingTo(readUrls.stream().map(u -> (io.vertx.sqlclient.SqlConnectOptions) PgConnectOptions.fromUri(u)
        .setCachePreparedStatements(settings.dbCachePreparedStatements())
        .addProperty("application_name", "parley-read")).toList())
      .using(vertx)
      .build();
  }

  private Redis redis(String url) {
    RedisOptions options = new RedisOptions()
      .setType(settings.redisType())
      .setMaxPoolSize(settings.redisPoolSize())
      .setMaxPoolWaiting(1024)
      .setMaxWaitingHandlers(4096);
    for (String endpoint : ConfigLoader.stringList(url)) {
      options.addConnectionString(endpoint);
    }
    if (settings.redisMasterName() != null) {
      options.setMasterName(settings.redisMasterName());
    }
    return new TimeLimitedRedis(Redis.createClient(vertx, options), settings.redisCommandTimeoutMs());
  }
}
