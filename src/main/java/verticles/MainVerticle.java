package verticles;

import config.ConfigLoader;
import data.ChatRepository;
import data.Db;
import data.EmbeddedServices;
import data.MeetingRepository;
import data.Migrations;
import data.PresenceStore;
import data.StoredObjectRepository;
import data.TenantRepository;
import data.blob.BlobStore;
import data.blob.BlobStoreFactory;
import data.blob.UrlSigner;
import handlers.SignObjectLinks;
import handlers.ChatModerator;
import handlers.CheckReadinessHandler;
import handlers.TenantConfig;
import handlers.TenantPolicies;
import handlers.SafetyChatModerator;
import ai.AiPricing;
import ai.ContentSafety;
import ai.SpeechRecognizer;
import ai.Translator;
import ai.safety.BuiltInContentSafety;
import ai.safety.ContentSafetyFactory;
import ai.safety.ModerationPolicy;
import ai.stt.SpeechRecognizerFactory;
import ai.translate.TranslatorFactory;
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

  private final JsonObject config;
  private final PrometheusMeterRegistry registry;
  private final int httpPort;
  private final EmbeddedServices embedded = new EmbeddedServices();
  private Services services;
  private AiServices startedAi;
  private BlobStore blobStore;
  private UrlSigner signer;
  private volatile boolean blobStarted;

  private final OpenTelemetry openTelemetry;

  public MainVerticle(JsonObject config, PrometheusMeterRegistry registry, OpenTelemetry openTelemetry, int httpPort) {
    this.openTelemetry = openTelemetry;
    this.config = config;
    this.registry = registry;
    this.httpPort = httpPort;
  }

  @Override
  public Future<?> start() {
    long started = System.nanoTime();
    Path dataDir = Path.of(config.getJsonObject("data").getString("dir", "./data")).toAbsolutePath().normalize();
    JsonObject dbConfig = config.getJsonObject("db");
    JsonObject redisConfig = config.getJsonObject("redis");
    boolean embeddedDb = dbConfig.getString("url") == null;
    boolean embeddedRedis = redisConfig.getString("url") == null;

    Future<String> dbUrl = embeddedDb
      ? vertx.executeBlocking(() -> {
          Files.createDirectories(dataDir);
          return embedded.startPostgres(dataDir);
        }, false)
      : Future.succeededFuture(dbConfig.getString("url"));
    Future<String> redisUrl = embeddedRedis
      ? vertx.executeBlocking(() -> {
          Files.createDirectories(dataDir);
          return embedded.startRedis(dataDir);
        }, false)
      : Future.succeededFuture(redisConfig.getString("url"));

    return Future.all(dbUrl, redisUrl)
      .compose(v -> {
        Pool write = pool(dbUrl.result(), dbConfig.getInteger("poolSize", 10), "parley-write");
        Db db = new Db(write, readPool(dbConfig), dbConfig.getLong("replicaRetryMs", 5_000L));
        Redis redis = redis(redisUrl.result(), redisConfig);
        return Migrations.migrate(db.write())
          .compose(version -> blobs(dataDir))
          .compose(version -> ai(dataDir))
          .onSuccess(ai -> startedAi = ai)
          .compose(ai -> identity(dataDir, embeddedDb && embeddedRedis).map(identity -> services = services(db, redis, identity, ai)));
      })
      .compose(v -> deployAll())
      .onSuccess(v -> LOG.info("Parley ready on port {} in {} ms (data {}, auth {})", httpPort,
        (System.nanoTime() - started) / 1_000_000, dataDir, services.tokens().mode()))
      // A failed start must not leave child processes behind (the managed APy, the embedded servers).
      .onFailure(err -> vertx.executeBlocking(() -> {
        if (startedAi != null) {
          startedAi.close();
        }
        if (blobStore != null) {
          blobStore.close();
        }
        embedded.close();
        return null;
      }));
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
      }
      embedded.close();
      return null;
    }));
  }

  private record IdentitySetup(TokenVerifier verifier, DevTokenIssuer devIssuer) {
  }

  private Future<IdentitySetup> identity(Path dataDir, boolean embeddedDefaults) {
    JsonObject auth = config.getJsonObject("auth");
    String mode = auth.getString("mode", "auto");
    String issuer = auth.getString("issuer");
    boolean dev = switch (mode) {
      case "dev" -> true;
      case "oidc" -> false;
      case "auto" -> issuer == null && embeddedDefaults;
      default -> throw new IllegalArgumentException("auth.mode must be auto, dev or oidc, not '" + mode + "'");
    };
    if (dev) {
      // In a cluster every node must sign and verify with the same key: auth.devKeyFile on a shared volume.
      Path keyFile = auth.getString("devKeyFile") == null ? dataDir.resolve("dev-issuer-key.pem") : Path.of(auth.getString("devKeyFile"));
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
      String secret = cfg.getString("signingKey");
      if (secret == null || secret.isBlank()) {
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
    JsonObject ai = config.getJsonObject("ai");
    ContentSafety safety;
    try {
      safety = ContentSafetyFactory.create(vertx, ai.getJsonObject("safety"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<SpeechRecognizer> stt = SpeechRecognizerFactory.create(vertx, ai.getJsonObject("stt"), dataDir);
    Future<Translator> translator = TranslatorFactory.create(vertx, ai.getJsonObject("translation"));
    return Future.all(stt, translator).map(v -> new AiServices(stt.result(), translator.result(), safety,
      new BuiltInContentSafety(), new AiPricing(ai.getJsonObject("prices"))));
  }

  private Services services(Db db, Redis redis, IdentitySetup identity, AiServices ai) {
    PresenceStore presence = new PresenceStore(redis, config.getJsonObject("presence").getLong("ttlSeconds", 30L));
    TenantConfig tenantConfig = new TenantConfig(config.getJsonObject("tenantDefaults"),
      moderation -> ModerationPolicy.parse(moderation).toJson());
    TenantRepository tenants = new TenantRepository(db);
    ParleyMetrics metrics = new ParleyMetrics(registry != null ? registry : new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
      config.getJsonObject("metrics").getInteger("maxTenants", 200));
    TenantPolicies policies = new TenantPolicies(tenants, tenantConfig, 5_000);
    ChatModerator moderator = new SafetyChatModerator(ai.safety(), policies, metrics, vertx.eventBus());
    StoredObjectRepository objects = new StoredObjectRepository(db);
    Storage storage = new Storage(blobStore, objects, new SignObjectLinks(blobStore, objects, signer,
      Duration.ofSeconds(config.getJsonObject("blobs").getLong("linkTtlSeconds", 300L))));
    return new Services(config, db, redis, presence, new MeetingRepository(db), new ChatRepository(db),
      tenants, tenantConfig, identity.verifier(), identity.devIssuer(), moderator, registry, metrics, openTelemetry, ai, policies,
      storage);
  }

  private Future<?> deployAll() {
    JsonObject verticles = config.getJsonObject("verticles");
    CheckReadinessHandler readiness = new CheckReadinessHandler(vertx, List.of(
      new CheckReadinessHandler.Check("db", true, () -> services.db().write().query("SELECT 1").execute()),
      new CheckReadinessHandler.Check("redis", true, () -> services.presence().ping()),
      new CheckReadinessHandler.Check("blobs", false, this::blobHealth),
      new CheckReadinessHandler.Check("stt", false, () -> services.ai().stt().isConfiguredProperly()
        ? Future.succeededFuture() : Future.failedFuture(services.ai().stt().configurationProblem())),
      new CheckReadinessHandler.Check("translation", false, () -> services.ai().translator().health()),
      new CheckReadinessHandler.Check("safety", false, () -> services.ai().safety().health())), 2_000);
    GaugeRefresher gauges = new GaugeRefresher(services.metrics(), services.meetings(), services.tenants(),
      services.storage().objects(), readiness,
      config.getJsonObject("tenantDefaults").getDouble("aiBudgetUsd", 0d));
    long refreshMs = config.getJsonObject("metrics").getLong("refreshSeconds", 15L) * 1000;
    return deploy(() -> new MeetingVerticle(services), instances(verticles, "meeting"))
      .compose(v -> deploy(() -> new ChatVerticle(services), instances(verticles, "chat")))
      .compose(v -> deploy(() -> new AiBridgeVerticle(services), instances(verticles, "ai")))
      .compose(v -> deploy(() -> new CollaborationVerticle(services), instances(verticles, "collaboration")))
      .compose(v -> deploy(() -> new LifecycleVerticle(services), instances(verticles, "lifecycle")))
      .compose(v -> deploy(() -> new GatewayVerticle(services, readiness, httpPort), instances(verticles, "gateway")))
      .onSuccess(v -> {
        gauges.refresh();
        vertx.setPeriodic(refreshMs, id -> gauges.refresh());
      });
  }

  private Future<String> deploy(java.util.function.Supplier<VerticleBase> supplier, int instances) {
    return vertx.deployVerticle(supplier, new DeploymentOptions().setInstances(instances));
  }

  private static int instances(JsonObject verticles, String name) {
    JsonObject section = verticles.getJsonObject(name);
    int n = section == null ? 1 : section.getInteger("instances", 1);
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("verticles." + name + ".instances must be between 1 and 64");
    }
    return n;
  }

  private Pool pool(String url, int size, String name) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(size).setName(name).setShared(false))
      .connectingTo(PgConnectOptions.fromUri(url).setPipeliningLimit(1).setReconnectAttempts(2).setReconnectInterval(500)
        .addProperty("application_name", name))
      .using(vertx)
      .build();
  }

  /**
   * The replica pool, or null when {@code db.readUrls} is empty and reads go to the primary. Its
   * connections say {@code application_name=parley-read} (the write pool's, {@code parley-write}),
   * and connect within {@code db.readConnectTimeoutMs} so that a dead replica falls back quickly.
   */
  private Pool readPool(JsonObject dbConfig) {
    List<String> readUrls = ConfigLoader.stringList(dbConfig.getValue("readUrls"));
    if (readUrls.isEmpty()) {
      return null;
    }
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(dbConfig.getInteger("readPoolSize", 10)).setName("parley-read").setShared(false))
      .with(new io.vertx.core.net.NetClientOptions().setConnectTimeout(dbConfig.getInteger("readConnectTimeoutMs", 2_000)))
      .connectingTo(readUrls.stream().map(u -> (io.vertx.sqlclient.SqlConnectOptions) PgConnectOptions.fromUri(u)
        .addProperty("application_name", "parley-read")).toList())
      .using(vertx)
      .build();
  }

  private Redis redis(String url, JsonObject redisConfig) {
    RedisOptions options = new RedisOptions()
      .setMaxPoolSize(redisConfig.getInteger("poolSize", 16))
      .setMaxPoolWaiting(1024)
      .setMaxWaitingHandlers(4096);
    for (String endpoint : ConfigLoader.stringList(url)) {
      options.addConnectionString(endpoint);
    }
    String type = redisConfig.getString("type", "standalone");
    options.setType(switch (type) {
      case "standalone" -> RedisClientType.STANDALONE;
      case "sentinel" -> RedisClientType.SENTINEL;
      case "cluster" -> RedisClientType.CLUSTER;
      default -> throw new IllegalArgumentException("redis.type must be standalone, sentinel or cluster, not '" + type + "'");
    });
    if (redisConfig.getString("masterName") != null) {
      options.setMasterName(redisConfig.getString("masterName"));
    }
    return Redis.createClient(vertx, options);
  }
}
