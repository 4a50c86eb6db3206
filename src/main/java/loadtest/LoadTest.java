package loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Load test of the event-bus bridge (or of the Socket.IO peer, for comparison): sets up users and
 * meetings over REST, opens many sockets at a given ramp on a few event loops, registers each for its
 * meeting's chat, sends chat at given total rates spread evenly over the sockets (so each stays under
 * the per-socket chat limit), and measures deliveries per second and the fan-out latency from the
 * sender's write to each receiver (the send time is stamped in the text; one clock, one process).
 *
 * <p>{@code java -cp target/parley.jar loadtest.LoadTest --sockets 1000 --meetings 10 --rate 200,1000}
 * prints the figures and writes them as JSON ({@code --out}); {@code --help} lists the options.
 */
public final class LoadTest {

  private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Options options;
  private final Metrics metrics;
  private final List<Loop> loops = new ArrayList<>();
  private final List<LoadSocket> sockets = new ArrayList<>();
  private final List<AudioStreamer> audio = new ArrayList<>();

  private LoadTest(Options options) {
    this.options = options;
    this.metrics = new Metrics(options.meetings());
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) {
        System.err.println("loadtest: " + e.getMessage());
      }
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    try {
      JsonObject report = run(options);
      System.out.print(summary(report));
      if (!"-".equals(options.out())) {
        Path out = write(report, Path.of(options.out()));
        System.out.println("written to " + out);
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("loadtest: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the whole test (blocking; call from a thread that is not a Vert.x event loop) and returns the report. */
  public static JsonObject run(Options options) throws Exception {
    return new LoadTest(options).execute();
  }

  /** Writes the report as pretty JSON, creating the folder if needed. */
  public static Path write(JsonObject report, Path out) throws java.io.IOException {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, report.encodePrettily() + "\n");
    return out;
  }

  /** One client event loop: its sockets, and the sender that spreads its share of the rate over them. */
  private final class Loop {
    final Context context;
    final List<LoadSocket> mine = new ArrayList<>();
    double rate;
    long stageStart;
    long sentInStage;
    int next;
    long nextKeepAlive = System.nanoTime() + KEEPALIVE_NANOS;

    Loop(Context context) {
      this.context = context;
    }

    void start() {
      context.runOnContext(v -> context.owner().setPeriodic(5, t -> tick()));
    }

    void setRate(double totalRate) {
      double share = sockets.isEmpty() ? 0 : totalRate * mine.size() / sockets.size();
      context.runOnContext(v -> {
        rate = share;
        stageStart = System.nanoTime();
        sentInStage = 0;
      });
    }

    private void tick() {
      long now = System.nanoTime();
      if (rate > 0 && !mine.isEmpty()) {
        long due = (long) ((now - stageStart) / 1e9 * rate) - sentInStage;
        for (long d = 0; d < due; d++) {
          LoadSocket s = nextReady();
          sentInStage++;
          if (s == null) {
            metrics.skipped.increment();
            continue;
          }
          metrics.expected.add(metrics.heldPerMeeting.get(s.meeting));
          metrics.sent.increment();
          s.sendChat();
        }
      }
      if (now >= nextKeepAlive) {
        nextKeepAlive = now + KEEPALIVE_NANOS;
        for (LoadSocket s : mine) {
          if (s.ws != null) {
            s.keepAlive();
          }
        }
      }
    }

    private LoadSocket nextReady() {
      for (int tries = 0; tries < mine.size(); tries++) {
        LoadSocket s = mine.get(next);
        next = (next + 1) % mine.size();
        if (s.registered && s.outstanding < options.maxOutstandingPerSocket()) {
          return s;
        }
      }
      return null;
    }
  }

  private JsonObject execute() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.maxSeconds());
    JsonObject report = new JsonObject()
      .put("tool", "loadtest")
      .put("target", options.target())
      .put("transport", "parley".equals(options.target()) ? options.transport() : "engine.io-websocket")
      .put("signIn", "parley".equals(options.target()) ? options.signIn() : "none")
      .put("offersDeflate", options.deflate())
      .put("url", options.url().toString())
      .put("nodes", new io.vertx.core.json.JsonArray(options.nodes().stream().map(u -> (Object) u.toString()).toList()))
      .put("label", options.label())
      .put("startedAt", Instant.now().toString())
      .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
        .put("loadAverageAtStart", ServerProbe.loadAverage())
        .put("note", "the load generator runs on the same machine as the server"))
      .put("options", new JsonObject().put("sockets", options.sockets()).put("meetings", options.meetings())
        .put("rates", new JsonArray(new ArrayList<>(options.rates()))).put("durationSeconds", options.durationSeconds())
        .put("warmupSeconds", options.warmupSeconds()).put("primeSeconds", options.primeSeconds()).put("rampPerSecond", options.rampPerSecond())
        .put("clientEventLoops", options.eventLoops()).put("clientIo", options.clientIo()).put("audioStreams", options.audioStreams())
        .put("maxOutstandingPerSocket", options.maxOutstandingPerSocket()).put("serverPid", options.serverPid())
        .put("helperPids", new JsonArray(new ArrayList<>(options.helperPids()))));

    io.vertx.core.transport.Transport clientIo = options.clientIo().equals("epoll") ? io.vertx.core.transport.Transport.EPOLL
      : io.vertx.core.transport.Transport.NIO;
    if (!clientIo.available()) {
      throw new IllegalStateException("--client-io epoll: the native epoll transport does not load here: " + clientIo.unavailabilityCause());
    }
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops())).withTransport(clientIo).build();
    // Held for the whole run: Vert.x 5 closes clients that become unreachable, with their sockets.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxConnections(options.sockets() + options.audioStreams() + 16)
      .setConnectTimeout(30_000).setTcpNoDelay(true)
      // --deflate: offer permessage-deflate in every handshake, as browsers do
      .setTryUsePerMessageCompression(options.deflate()));
    try {
      List<Context> contexts = new CopyOnWriteArrayList<>();
      vertx.deployVerticle(() -> new VerticleBase() {
        @Override
        public Future<?> start() {
          contexts.add(context);
          return Future.succeededFuture();
        }
      }, new DeploymentOptions().setInstances(options.eventLoops())).await();
      contexts.forEach(c -> loops.add(new Loop(c)));

      // 1. users and meetings
      long t0 = System.nanoTime();
      List<String> tokens = null;
      List<String> meetingIds = null;
      if ("parley".equals(options.target())) {
        Setup setup = new Setup(vertx, options);
        try {
          String tenant = options.tenant() != null ? options.tenant() : "load-" + UUID.randomUUID().toString().substring(0, 8);
          Setup.Result result = setup.run(options.sockets(), options.meetings(), tenant);
          tokens = result.tokens();
          meetingIds = result.meetingIds();
          report.put("tenant", tenant);
        } finally {
          setup.close();
        }
      }
      report.put("setupSeconds", seconds(System.nanoTime() - t0));
      java.util.Map<String, long[]> classesBefore = java.util.Map.of();
      if (options.serverPid() > 0) {
        report.put("server", new JsonObject().put("beforeSockets", ServerProbe.measure(options.serverPid())));
        classesBefore = ServerProbe.histogram(options.serverPid());
      }

      // 2. sockets, at the ramp rate
      for (int i = 0; i < options.sockets(); i++) {
        Loop loop = loops.get(i % loops.size());
        int meeting = i % options.meetings();
        LoadSocket s = "parley".equals(options.target())
          ? new BridgeSocket(i, meeting, meetingIds.get(meeting), tokens.get(i), loop.context, metrics, options, client)
          : new SocketIoSocket(i, meeting, loop.context, metrics, options, client);
        loop.mine.add(s);
        sockets.add(s);
      }
      loops.forEach(Loop::start);
      long c0 = System.nanoTime();
      List<Future<Void>> connecting = new ArrayList<>();
      for (int i = 0; i < sockets.size(); i++) {
        long due = c0 + (long) (i * 1e9 / options.rampPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        connecting.add(sockets.get(i).connect());
      }
      Future.join(connecting).timeout(120, TimeUnit.SECONDS).otherwiseEmpty().await();
      double connectSeconds = seconds(System.nanoTime() - c0);
      long failed = connecting.stream().filter(f -> !f.succeeded()).count();
      report.put("connect", new JsonObject().put("requested", options.sockets()).put("held", metrics.held.get())
        .put("failed", failed).put("seconds", connectSeconds)
        .put("perSecond", Math.round(options.sockets() / Math.max(connectSeconds, 1e-3))));
      if (metrics.held.get() == 0) {
        throw new IllegalStateException("no socket connected (" + failed + " of " + options.sockets() + " failed): is the server at "
          + options.url() + " up, and is it a " + options.target() + " server?");
      }
      if (options.serverPid() > 0) {
        JsonObject server = report.getJsonObject("server");
        JsonObject holding = ServerProbe.measure(options.serverPid()).put("sockets", metrics.held.get());
        server.put("holdingSockets", holding);
        perSocket(server, "heapUsedAfterGcBytes", metrics.held.get());
        perSocket(server, "rssBytes", metrics.held.get());
        // what the heap per socket is made of: live objects by class, holding against before
        server.put("heapPerSocketByClass", ServerProbe.perSocket(classesBefore, ServerProbe.histogram(options.serverPid()),
          metrics.held.get(), 25));
      }
      report.put("client", new JsonObject().put("rssBytes", ServerProbe.rssBytes(ProcessHandle.current().pid()))
        .put("heapUsedBytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
      if (options.holdSeconds() > 0) {
        sleepUntil(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(options.holdSeconds())));
      }

      // 3. audio, if asked
      if (options.audioStreams() > 0 && "parley".equals(options.target())) {
        byte[] pcm = AudioStreamer.readWav(Path.of(options.audioFile()));
        for (int i = 0; i < Math.min(options.audioStreams(), sockets.size()); i++) {
          AudioStreamer a = new AudioStreamer(loops.get(i % loops.size()).context, client, options, metrics,
            meetingIds.get(i % options.meetings()), tokens.get(i), pcm);
          audio.add(a);
          a.start();
        }
      }

      // 4. stages, after an unreported one that lets both JITs warm up
      if (options.primeSeconds() > 0 && !options.rates().isEmpty()) {
        loops.forEach(l -> l.setRate(options.rates().get(0)));
        long primeStart = System.nanoTime();
        double jit0 = options.serverPid() > 0 ? ServerProbe.compilerCpuSeconds(options.serverPid()) : -1;
        sleepUntil(Math.min(deadline, primeStart + TimeUnit.SECONDS.toNanos(options.primeSeconds())));
        // A JVM still compiling its hot paths is not yet the server it will be: its C2 threads take
        // cores from the event loops (on two cores, a third of the first minute under load).
        long primeEnd = Math.min(deadline, primeStart + TimeUnit.SECONDS.toNanos(Math.max(options.primeSeconds(), options.primeMaxSeconds())));
        double jitCores = -1;
        while (options.serverPid() > 0 && System.nanoTime() < primeEnd) {
          double before = ServerProbe.compilerCpuSeconds(options.serverPid());
          Thread.sleep(5000);
          double after = ServerProbe.compilerCpuSeconds(options.serverPid());
          jitCores = before < 0 || after < 0 ? -1 : (after - before) / 5.0;
          if (jitCores < 0.05) {
            break;
          }
        }
        loops.forEach(l -> l.setRate(0));
        JsonObject prime = new JsonObject().put("rate", options.rates().get(0))
          .put("seconds", Math.round(seconds(System.nanoTime() - primeStart)));
        if (jit0 >= 0) {
          prime.put("serverCompilerCpuSeconds", Math.round(10 * (ServerProbe.compilerCpuSeconds(options.serverPid()) - jit0)) / 10.0);
          if (jitCores >= 0) {
            prime.put("serverCompilerCoresAtEnd", Math.round(100 * jitCores) / 100.0);
          }
        }
        report.put("prime", prime);
        Thread.sleep(1000);
      }
      JsonArray stages = new JsonArray();
      for (int rate : options.rates()) {
        if (System.nanoTime() > deadline) {
          stages.add(new JsonObject().put("rate", rate).put("skipped", "max-seconds reached"));
          continue;
        }
        stages.add(stage(rate, deadline));
      }
      report.put("stages", stages);

      // 5. wind down
      audio.forEach(AudioStreamer::stop);
      report.put("totals", new JsonObject()
        .put("sent", metrics.sent.sum()).put("acked", metrics.acked.sum()).put("deliveries", metrics.delivered.sum())
        .put("expectedDeliveries", metrics.expected.sum()).put("skippedTurns", metrics.skipped.sum())
        .put("errors", metrics.errorTotal()).put("errorsByKind", new JsonObject(new java.util.LinkedHashMap<>(metrics.errors())))
        .put("disconnects", metrics.disconnects.sum()).put("reconnects", metrics.reconnects.sum())
        .put("connectionsWithDeflate", metrics.deflated.sum())
        .put("socketsHeldAtEnd", metrics.held.get()).put("maxSocketsHeld", metrics.maxHeld.get())
        .put("audioChunksSent", metrics.audioChunks.sum()).put("audioChunksSkipped", metrics.audioSkipped.sum()));
      report.getJsonObject("machine").put("loadAverageAtEnd", ServerProbe.loadAverage());
      if (!audio.isEmpty()) {
        Thread.sleep(500);
        audio.forEach(AudioStreamer::close);
      }
      sockets.forEach(LoadSocket::stop);
      Thread.sleep(500);
      return report;
    } finally {
      client.close().otherwiseEmpty().await();
      vertx.close().otherwiseEmpty().await();
    }
  }

  private JsonObject stage(int rate, long deadline) throws InterruptedException {
    JsonObject stage = new JsonObject().put("rate", rate).put("loadAverageAtStart", ServerProbe.loadAverage());
    long sent0 = metrics.sent.sum();
    long expected0 = metrics.expected.sum();
    long delivered0 = metrics.delivered.sum();
    long errors0 = metrics.errorTotal();
    long skipped0 = metrics.skipped.sum();
    long disconnects0 = metrics.disconnects.sum();
    loops.forEach(l -> l.setRate(rate));
    long start = System.nanoTime();
    sleepUntil(Math.min(deadline, start + TimeUnit.SECONDS.toNanos(options.warmupSeconds())));
    metrics.takeFanOut();
    metrics.takeAck();
    long windowStart = System.nanoTime();
    long sentW = metrics.sent.sum();
    long deliveredW = metrics.delivered.sum();
    long self = ProcessHandle.current().pid();
    double serverCpu0 = options.serverPid() > 0 ? serverCpuSeconds() : -1;
    double helperCpu0 = helperCpuSeconds();
    double[] eachHelper0 = eachHelperCpuSeconds();
    double clientCpu0 = ServerProbe.cpuSeconds(self);
    double jitCpu0 = options.serverPid() > 0 ? ServerProbe.compilerCpuSeconds(options.serverPid()) : -1;
    sleepUntil(Math.min(deadline, windowStart + TimeUnit.SECONDS.toNanos(options.durationSeconds())));
    long windowEnd = System.nanoTime();
    double serverCpu = options.serverPid() > 0 ? serverCpuSeconds() - serverCpu0 : -1;
    double helperCpu = helperCpuSeconds() - helperCpu0;
    double[] eachHelper = eachHelperCpuSeconds();
    double clientCpu = ServerProbe.cpuSeconds(self) - clientCpu0;
    double jitCpu = jitCpu0 < 0 ? -1 : ServerProbe.compilerCpuSeconds(options.serverPid()) - jitCpu0;
    long deliveredInWindow = metrics.delivered.sum() - deliveredW;
    long sentInWindow = metrics.sent.sum() - sentW;
    loops.forEach(l -> l.setRate(0));
    // drain: what was sent in the window still arrives and counts for latency
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long lastDelivered = -1;
    while (System.nanoTime() < drainUntil) {
      Thread.sleep(250);
      long d = metrics.delivered.sum();
      if (d == lastDelivered && metrics.expected.sum() - expected0 <= d - delivered0) {
        break;
      }
      lastDelivered = d;
    }
    Histogram fanOut = metrics.takeFanOut();
    Histogram ack = metrics.takeAck();
    double window = seconds(windowEnd - windowStart);
    long expected = metrics.expected.sum() - expected0;
    long delivered = metrics.delivered.sum() - delivered0;
    stage.put("measuredSeconds", window)
      .put("socketsHeld", metrics.held.get())
      .put("sent", metrics.sent.sum() - sent0)
      .put("sendsPerSecond", Math.round(sentInWindow / window))
      .put("offeredDeliveriesPerSecond", Math.round((double) rate * metrics.held.get() / options.meetings()))
      .put("deliveriesPerSecond", Math.round(deliveredInWindow / window))
      .put("deliveries", delivered)
      .put("expectedDeliveries", expected)
      .put("deliveredRatio", expected == 0 ? 1.0 : Math.round(1e4 * delivered / (double) expected) / 1e4)
      .put("fanOutLatencyMs", Metrics.millis(fanOut))
      .put("sendReplyLatencyMs", Metrics.millis(ack))
      .put("skippedTurns", metrics.skipped.sum() - skipped0)
      .put("errors", metrics.errorTotal() - errors0)
      .put("disconnects", metrics.disconnects.sum() - disconnects0)
      .put("loadAverageAtEnd", ServerProbe.loadAverage());
    // cores busy during the window: the server (with its embedded PostgreSQL and Redis) and this load generator
    if (serverCpu0 >= 0) {
      stage.put("serverCores", Math.round(100 * serverCpu / window) / 100.0);
      if (!options.helperPids().isEmpty()) {
        // of which the helper processes (the embedded PostgreSQL)
        stage.put("serverHelperCores", Math.round(100 * helperCpu / window) / 100.0);
        JsonArray each = new JsonArray();
        for (int h = 0; h < eachHelper.length; h++) {
          each.add(Math.round(100 * (eachHelper[h] - eachHelper0[h]) / window) / 100.0);
        }
        stage.put("serverHelperCoresEach", each); // in --helper-pids order
      }
      if (jitCpu >= 0) {
        // of the server's cores, its JIT compilers' (a server still warming up)
        stage.put("serverCompilerCores", Math.round(100 * jitCpu / window) / 100.0);
      }
      // robust to a busy machine: what one core of server time delivers
      stage.put("deliveriesPerServerCoreSecond", serverCpu <= 0 ? 0 : Math.round(deliveredInWindow / serverCpu));
    }
    if (clientCpu0 >= 0) {
      stage.put("clientCores", Math.round(100 * clientCpu / window) / 100.0);
    }
    return stage;
  }

  private double serverCpuSeconds() {
    return ServerProbe.cpuSeconds(options.serverPid()) + helperCpuSeconds();
  }

  private double helperCpuSeconds() {
    double total = 0;
    for (double each : eachHelperCpuSeconds()) {
      total += each;
    }
    return total;
  }

  private double[] eachHelperCpuSeconds() {
    double[] each = new double[options.helperPids().size()];
    for (int h = 0; h < each.length; h++) {
      each[h] = Math.max(0, ServerProbe.cpuSeconds(options.helperPids().get(h)));
    }
    return each;
  }

  private static void perSocket(JsonObject server, String field, int sockets) {
    Long before = server.getJsonObject("beforeSockets").getLong(field);
    Long holding = server.getJsonObject("holdingSockets").getLong(field);
    if (before != null && holding != null && sockets > 0) {
      server.put(field.replace("Bytes", "") + "PerSocketBytes", (holding - before) / sockets);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }

  /** The report as a few lines of text. */
  public static String summary(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    JsonObject c = r.getJsonObject("connect", new JsonObject());
    sb.append(String.format("loadtest %s (%s) %s: %d sockets requested in %d meetings; %d held after %.1f s (%d failed)%n",
      r.getString("target"), r.getString("transport"), r.getString("url"), c.getInteger("requested", 0),
      r.getJsonObject("options").getInteger("meetings"), c.getInteger("held", 0), c.getDouble("seconds", 0d),
      c.getLong("failed", 0L)));
    JsonObject server = r.getJsonObject("server");
    if (server != null) {
      JsonObject h = server.getJsonObject("holdingSockets", new JsonObject());
      sb.append(String.format("  server memory holding %d sockets: heap after GC %s (%s/socket), RSS %s (%s/socket)%n",
        h.getInteger("sockets", 0), mib(h.getLong("heapUsedAfterGcBytes")), kib(server.getLong("heapUsedAfterGcPerSocketBytes")),
        mib(h.getLong("rssBytes")), kib(server.getLong("rssPerSocketBytes"))));
      JsonArray classes = server.getJsonArray("heapPerSocketByClass", new JsonArray());
      for (int i = 0; i < Math.min(12, classes.size()); i++) {
        JsonObject k = classes.getJsonObject(i);
        sb.append(String.format("    %8.1f B/socket  %6.2f objects/socket  %s%n", k.getDouble("bytesPerSocket"),
          k.getDouble("instancesPerSocket"), k.getString("class")));
      }
    }
    JsonObject prime = r.getJsonObject("prime");
    if (prime != null) {
      sb.append(String.format("  primed %d s at %d msg/s (unreported)%s%n", prime.getLong("seconds"), prime.getInteger("rate"),
        prime.containsKey("serverCompilerCpuSeconds") ? String.format("; the server's JIT compilers used %.1f CPU s meanwhile, %s cores at the end",
          prime.getDouble("serverCompilerCpuSeconds"), prime.getValue("serverCompilerCoresAtEnd", "?")) : ""));
    }
    for (Object o : r.getJsonArray("stages", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      if (s.containsKey("skipped")) {
        sb.append(String.format("  rate %d msg/s: not run (%s)%n", s.getInteger("rate"), s.getString("skipped")));
        continue;
      }
      JsonObject l = s.getJsonObject("fanOutLatencyMs");
      sb.append(String.format("  rate %d msg/s (offered %d deliveries/s): %d deliveries/s, delivered %.2f%%; "
          + "fan-out latency p50 %.2f / p95 %.2f / p99 %.2f / max %.2f ms; errors %d, skipped turns %d, disconnects %d; "
          + "cores: server %s (database %s, JIT compilers %s), client %s; load %s%n",
        s.getInteger("rate"), s.getLong("offeredDeliveriesPerSecond"), s.getLong("deliveriesPerSecond"),
        100 * s.getDouble("deliveredRatio"), l.getDouble("p50"), l.getDouble("p95"), l.getDouble("p99"), l.getDouble("max"),
        s.getLong("errors"), s.getLong("skippedTurns"), s.getLong("disconnects"), s.getValue("serverCores", "?"),
        s.getValue("serverHelperCores", "-"), s.getValue("serverCompilerCores", "-"), s.getValue("clientCores", "?"), s.getString("loadAverageAtEnd")));
    }
    JsonObject t = r.getJsonObject("totals", new JsonObject());
    sb.append(String.format("  totals: %d sent, %d acked, %d deliveries, %d errors %s, %d disconnects, %d reconnects%n",
      t.getLong("sent", 0L), t.getLong("acked", 0L), t.getLong("deliveries", 0L), t.getLong("errors", 0L),
      t.getJsonObject("errorsByKind", new JsonObject()).encode(), t.getLong("disconnects", 0L), t.getLong("reconnects", 0L)));
    if (r.getBoolean("offersDeflate", false)) {
      sb.append(String.format("  permessage-deflate offered in every handshake; agreed to on %d connections%n",
        t.getLong("connectionsWithDeflate", 0L)));
    }
    if (r.getJsonObject("options").getInteger("audioStreams", 0) > 0) {
      sb.append(String.format("  audio: %d streams, %d chunks of 100 ms sent, %d skipped (server pushing back)%n",
        r.getJsonObject("options").getInteger("audioStreams"), t.getLong("audioChunksSent", 0L),
        t.getLong("audioChunksSkipped", 0L)));
    }
    return sb.toString();
  }

  private static String mib(Long bytes) {
    return bytes == null ? "?" : String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static String kib(Long bytes) {
    return bytes == null ? "?" : String.format("%.1f KiB", bytes / 1024.0);
  }
}
