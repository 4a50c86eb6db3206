package telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Parley's own meters, named as in ARCHITECTURE.md section 6. No label carries a user id, a
 * meeting id or free text; tenant labels are bounded ({@link #tenantLabel}): past
 * {@code maxTenants} distinct tenants, further ones are counted as "other".
 *
 * <p>Two kinds of gauge: per node ({@code parley_bridge_sockets}, {@code parley_users_connected},
 * from this node's sockets: sum them across nodes) and cluster-wide ({@code parley_meetings_active},
 * {@code parley_tenant_*}, {@code parley_ai_budget_usd}, read from the database by every node:
 * take their max).
 */
public final class ParleyMetrics {

  private final MeterRegistry registry;
  private final int maxTenants;
  private final Set<String> tenants = ConcurrentHashMap.newKeySet();
  private final AtomicInteger bridgeSockets = new AtomicInteger();
  private final Map<String, AtomicInteger> socketsByUser = new ConcurrentHashMap<>();
  private final AtomicLong meetingsActive = new AtomicLong();
  private final Map<String, AtomicReference<Double>> tenantGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> dependencies = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<double[]>> storageGauges = new ConcurrentHashMap<>();
  private final java.util.List<MediaCounts> mediaSources = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> janusUp = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> janusLoad = new ConcurrentHashMap<>();
  private final Counter chatStatementsOne;
  private final Counter chatStatementsSeveral;
  private final Counter chatStatementFallbacks;
  private final Counter chatStatementRows;

  public ParleyMetrics(MeterRegistry registry, int maxTenants) {
    this.registry = registry;
    this.maxTenants = maxTenants;
    chatStatementsOne = Counter.builder("parley.chat.statements").tag("meetings", "one")
      .description("Statements (each one commit) that stored chat messages, by whether they were for one meeting or several")
      .register(registry);
    chatStatementsSeveral = Counter.builder("parley.chat.statements").tag("meetings", "several")
      .description("Statements (each one commit) that stored chat messages, by whether they were for one meeting or several")
      .register(registry);
    chatStatementFallbacks = Counter.builder("parley.chat.statement.fallbacks")
      .description("Group-commit statements that failed (a concurrent retry of a clientId, a deadlock) and were stored send by send")
      .register(registry);
    // rows per statement = rows / statements (counters: the registry turns summaries into histograms of many buckets)
    chatStatementRows = Counter.builder("parley.chat.statement.rows")
      .description("Chat sends stored by group-commit statements (divide by parley_chat_statements_total)").register(registry);
    Gauge.builder("parley.bridge.sockets", bridgeSockets, AtomicInteger::get)
      .description("Event-bus bridge sockets open on this node").register(registry);
    Gauge.builder("parley.users.connected", socketsByUser, Map::size)
      .description("Distinct users with a bridge socket on this node").register(registry);
    Gauge.builder("parley.meetings.active", meetingsActive, AtomicLong::get)
      .description("Live meetings, cluster-wide (every node reports it: take the max)").register(registry);
    Gauge.builder("parley.media.rooms", mediaSources, l -> l.stream().mapToInt(MediaCounts::rooms).sum())
      .description("SFU rooms driven by this node's media instances").register(registry);
    Gauge.builder("parley.media.publishers", mediaSources, l -> l.stream().mapToInt(MediaCounts::publishers).sum())
      .description("Publisher PeerConnections (camera, screen) in this node's rooms").register(registry);
    Gauge.builder("parley.media.subscribers", mediaSources, l -> l.stream().mapToInt(MediaCounts::subscribers).sum())
      .description("Subscriber PeerConnections in this node's rooms").register(registry);
  }

  /** What a media instance holds, for the per-node media gauges (summed over instances). */
  public interface MediaCounts {
    int rooms();

    int publishers();

    int subscribers();
  }

  /** For tests and tools that need meters but no Prometheus endpoint. */
  public static ParleyMetrics noop() {
    return new ParleyMetrics(new SimpleMeterRegistry(), 100);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The tenant as a label value, or "other" once {@code maxTenants} distinct tenants have been seen. */
  public String tenantLabel(String tenant) {
    if (tenant == null) {
      return "unknown";
    }
    if (tenants.contains(tenant)) {
      return tenant;
    }
    if (tenants.size() < maxTenants) {
      tenants.add(tenant);
      return tenant;
    }
    return "other";
  }

  // --- Bridge and users (per node) ---

  public void socketOpened() {
    bridgeSockets.incrementAndGet();
  }

  public void socketClosed() {
    bridgeSockets.decrementAndGet();
  }

  /** A bridge socket closed with 1008 "too slow": more than {@code bridge.maxQueuedBytes} waiting for it. */
  public void slowSocketClosed() {
    Counter.builder("parley.bridge.slow.sockets")
      .description("Bridge sockets closed for not reading what was sent to them (bridge.maxQueuedBytes)")
      .register(registry).increment();
  }

  public void userSocketOpened(String userKey) {
    socketsByUser.computeIfAbsent(userKey, k -> new AtomicInteger()).incrementAndGet();
  }

  public void userSocketClosed(String userKey) {
    socketsByUser.computeIfPresent(userKey, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  // --- Chat and moderation ---

  public void chatMessage(String tenant) {
    Counter.builder("parley.chat.messages").tag("tenant", tenantLabel(tenant))
      .description("Chat messages stored").register(registry).increment();
  }

  /**
   * One chat statement (a group commit) of {@code rows} sends for {@code meetings} meetings:
   * {@code parley_chat_statements_total{meetings="one|several"}} and their rows ({@code parley_chat_statement_rows_total}); one that
   * failed and fell back to a statement per send counts in {@code parley_chat_statement_fallbacks_total}.
   */
  public void chatStatement(int rows, int meetings, boolean stored) {
    if (!stored) {
      chatStatementFallbacks.increment();
      return;
    }
    (meetings > 1 ? chatStatementsSeveral : chatStatementsOne).increment();
    chatStatementRows.increment(rows);
  }

  public void moderationAction(String action, String category) {
    Counter.builder("parley.moderation.actions").tag("action", action).tag("category", category)
      .description("Content-safety decisions other than allow, by category").register(registry).increment();
  }

  // --- AI ---

  public void aiRequest(String service, String provider, String outcome, Duration latency) {
    Counter.builder("parley.ai.requests").tag("service", service).tag("provider", provider).tag("outcome", outcome)
      .description("AI provider calls").register(registry).increment();
    Timer.builder("parley.ai.latency").tag("service", service).tag("provider", provider)
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
      .description("AI provider call latency").register(registry).record(latency);
  }

  public void aiAudioSeconds(String tenant, String provider, double seconds) {
    Counter.builder("parley.ai.audio.seconds").tag("tenant", tenantLabel(tenant)).tag("provider", provider)
      .description("Audio seconds recognised").register(registry).increment(seconds);
  }

  public void aiTranslatedCharacters(String tenant, String provider, long characters) {
    Counter.builder("parley.ai.translated.characters").tag("tenant", tenantLabel(tenant)).tag("provider", provider)
      .description("Characters translated").register(registry).increment(characters);
  }

  public void aiCost(String tenant, String service, double usd) {
    Counter.builder("parley.ai.cost.usd").tag("tenant", tenantLabel(tenant)).tag("service", service)
      .description("Estimated AI cost from the configured unit prices").register(registry).increment(usd);
  }

  public void captionLatency(String kind, Duration latency) {
    Timer.builder("parley.caption.latency").tag("kind", kind)
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(10))
      .description("Audio received to caption published").register(registry).record(latency);
  }

  // --- Tenants and meetings (cluster-wide, refreshed from the database) ---

  public void meetingMinutes(String tenant, double minutes) {
    Counter.builder("parley.tenant.meeting.minutes").tag("tenant", tenantLabel(tenant))
      .description("Minutes of ended meetings, counted when a meeting ends").register(registry).increment(minutes);
  }

  public void meetingsActive(long count) {
    meetingsActive.set(count);
  }

  /** Sets every tenant gauge of this name to 0 (before a refresh sets the current ones). */
  public void resetTenantGauges(String name) {
    tenantGauges.forEach((key, holder) -> {
      if (key.startsWith(name + "|")) {
        holder.set(0d);
      }
    });
  }

  /**
   * Sets a tenant gauge: {@code parley_tenant_meetings_active}, {@code parley_tenant_participants},
   * {@code parley_ai_budget_usd}, {@code parley_ai_budget_used_ratio} (this month's AI cost over the budget).
   */
  public void tenantGauge(String name, String tenant, double value) {
    String label = tenantLabel(tenant);
    tenantGauges.computeIfAbsent(name + "|" + label, key -> {
      AtomicReference<Double> holder = new AtomicReference<>(0d);
      Gauge.builder(name, holder, AtomicReference::get).tag("tenant", label).register(registry);
      return holder;
    }).set(value);
  }

  /** {@code parley_dependency_up{dependency}}: 1 when the readiness check passed, else 0. */
  public void dependencyUp(String dependency, boolean up) {
    dependencies.computeIfAbsent(dependency, d -> {
      AtomicInteger holder = new AtomicInteger();
      Gauge.builder("parley.dependency.up", holder, AtomicInteger::get).tag("dependency", d)
        .description("Readiness of each dependency (1 up, 0 down)").register(registry);
      return holder;
    }).set(up ? 1 : 0);
  }

  /**
   * {@code parley_dependency_restarts_total{dependency}}: embedded servers ("db", "redis") this node
   * restarted after they died. {@code amount} 0 registers the series at zero.
   */
  public void dependencyRestarted(String dependency, int amount) {
    Counter.builder("parley.dependency.restarts").tag("dependency", dependency)
      .description("Embedded servers restarted after they died").register(registry).increment(amount);
  }

  // --- Storage (cluster-wide, refreshed from the database) ---

  /**
   * Sets {@code parley_storage_bytes{tenant,tier}} and {@code parley_storage_objects{tenant,tier}} to
   * {@code usage} (tenant -> tier -> [bytes, objects]) in one step; series absent from it drop to 0.
   * Tenants past the label bound are summed under "other".
   */
  public void storage(Map<String, Map<String, long[]>> usage) {
    Map<String, double[]> next = new java.util.HashMap<>();
    usage.forEach((tenant, tiers) -> tiers.forEach((tier, v) -> {
      double[] sum = next.computeIfAbsent(tenantLabel(tenant) + "|" + tier, k -> new double[2]);
      sum[0] += v[0];
      sum[1] += v[1];
    }));
    storageGauges.forEach((key, holder) -> {
      if (!next.containsKey(key)) {
        holder.set(new double[2]);
      }
    });
    next.forEach((key, v) -> storageGauges.computeIfAbsent(key, k -> {
      String[] parts = k.split("\\|", 2);
      AtomicReference<double[]> holder = new AtomicReference<>(new double[2]);
      Gauge.builder("parley.storage.bytes", holder, h -> h.get()[0]).tag("tenant", parts[0]).tag("tier", parts[1])
        .baseUnit("bytes").description("Bytes kept in the blob store per tenant and tier").register(registry);
      Gauge.builder("parley.storage.objects", holder, h -> h.get()[1]).tag("tenant", parts[0]).tag("tier", parts[1])
        .description("Objects kept in the blob store per tenant and tier").register(registry);
      return holder;
    }).set(v));
  }

  // --- Media (SFU) ---

  public void mediaSource(MediaCounts source) {
    mediaSources.add(source);
  }

  public void mediaSourceGone(MediaCounts source) {
    mediaSources.remove(source);
  }

  /** {@code parley_media_janus_up{janus}}: 1 while this node is connected to that Janus. */
  public void janusUp(String janus, boolean up) {
    janusUp.computeIfAbsent(janus, j -> {
      AtomicInteger holder = new AtomicInteger();
      Gauge.builder("parley.media.janus.up", holder, AtomicInteger::get).tag("janus", j)
        .description("Whether this node reaches each Janus server (1) or not (0)").register(registry);
      return holder;
    }).set(up ? 1 : 0);
  }

  /** {@code parley_media_janus_load{janus}}: rooms plus PeerConnections on that Janus, cluster-wide (take the max). */
  public void janusLoad(String janus, long load) {
    janusLoad.computeIfAbsent(janus, j -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder("parley.media.janus.load", holder, AtomicLong::get).tag("janus", j)
        .description("Rooms plus PeerConnections placed on each Janus, cluster-wide (what placement balances)").register(registry);
      return holder;
    }).set(load);
  }

  /** {@code parley_media_first_frame_seconds{mode}}: opening the meeting to the first remote video frame, as pages report it. */
  public void mediaFirstFrame(String mode, Duration latency) {
    Timer.builder("parley.media.first.frame").tag("mode", mode)
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(50)).maximumExpectedValue(Duration.ofSeconds(60))
      .description("Meeting opened to first remote video frame, reported by the pages").register(registry).record(latency);
  }

  /** {@code parley_media_join_seconds{outcome}}: a media.publish handled (room placed, Janus answered). */
  public void mediaJoin(String outcome, Duration latency) {
    Timer.builder("parley.media.join").tag("outcome", outcome)
      .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
      .description("media.publish requests: placement and Janus's answer").register(registry).record(latency);
  }
}
