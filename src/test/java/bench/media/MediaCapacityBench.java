package bench.media;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import media.JanusProcess;
import support.Api;
import support.TestServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The SFU's capacity and join path with synthetic WebRTC peers ({@link SyntheticPeer}, libwebrtc
 * through webrtc-java) instead of Chromium pages, through Parley's signaling into a managed Janus.
 * Parley runs in a JVM of its own ({@link CapacityServer}) so that the CPU of Parley, of Janus and
 * of this bench (whose peers encode and decode real VP8) are read apart, from {@code /proc}.
 *
 * <ul>
 *   <li><b>capacity</b>: one publisher, subscribers of its room raised step by step until packet
 *   loss passes 1 %, frames are dropped, or fewer than 90 % of the frames sent are decoded (or the
 *   last step): per step, loss, frames received and decoded per subscriber per second, kbps per
 *   subscriber, and the CPU of Janus (per subscriber too), Parley and the bench;</li>
 *   <li><b>join</b>: N people opening the meeting at once (join over REST, bridge, publish and
 *   subscribe), timed from each one's join to the first decoded frame of every other camera.</li>
 * </ul>
 *
 * <p>Run: {@code bench/media-capacity.sh [capacity|join|all]}; settings from the environment:
 * {@code MEDIA_CAPACITY_STEPS} (default 1,2,4,8,16,24,32,48,64), {@code MEDIA_CAPACITY_MAX} (the
 * last step allowed), {@code MEDIA_CAPACITY_SECONDS} (10: each step's measuring window),
 * {@code MEDIA_CAPACITY_VIDEO} (640x360@15), {@code MEDIA_CAPACITY_JOIN} (2,4,6,8). Writes
 * {@code bench/results/media-capacity.json}.
 */
public final class MediaCapacityBench {

  private static final double TICKS = 100.0; // USER_HZ: getconf CLK_TCK on Linux
  private static final long WARMUP_MS = 3000;

  private final Vertx vertx = Vertx.vertx();
  private final int port;
  private final long janusPid;
  private final long parleyPid;
  private final Api api;
  private final SyntheticMedia media;
  private final ExecutorService joiners = Executors.newFixedThreadPool(8);

  private MediaCapacityBench(int port, long janusPid, long parleyPid, SyntheticMedia.Video video) {
    this.port = port;
    this.janusPid = janusPid;
    this.parleyPid = parleyPid;
    this.api = new Api(vertx, port);
    this.media = new SyntheticMedia(video);
  }

  public static void main(String[] args) {
    try {
      bench(args.length == 0 ? "all" : args[0]);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void bench(String what) throws Exception {
    if (!List.of("capacity", "join", "all").contains(what)) {
      throw new IllegalArgumentException("usage: bench/media-capacity.sh [capacity|join|all], not " + what);
    }
    String missing = SyntheticMedia.unavailable();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    String janusMissing = JanusProcess.missing(null, null);
    if (janusMissing != null) {
      throw new IllegalStateException(janusMissing);
    }
    List<Integer> steps = ints(env("MEDIA_CAPACITY_STEPS", "1,2,4,8,16,24,32,48,64"));
    int max = Integer.parseInt(env("MEDIA_CAPACITY_MAX", String.valueOf(steps.get(steps.size() - 1))));
    int seconds = Integer.parseInt(env("MEDIA_CAPACITY_SECONDS", "10"));
    SyntheticMedia.Video video = SyntheticMedia.Video.parse(env("MEDIA_CAPACITY_VIDEO", "640x360@15"));
    List<Integer> joins = "none".equals(env("MEDIA_CAPACITY_JOIN", "")) ? List.of() : ints(env("MEDIA_CAPACITY_JOIN", "2,4,6,8"));

    Path log = Path.of(System.getProperty("parley.buildDir", "target"), "media-capacity-server.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
      "-cp", System.getProperty("java.class.path"), CapacityServer.class.getName())
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String[] ready = awaitReady(server, log);
      int port = Integer.parseInt(ready[1]);
      long janusPid = Long.parseLong(Files.readString(Path.of(ready[2], "janus", "janus.pid")).trim());
      System.out.println("Parley (pid " + server.pid() + ") on port " + port + ", Janus pid " + janusPid + ", synthetic camera "
        + video + "; load " + loadAverage());
      JsonObject result = new JsonObject().put("bench", "media-capacity").put("machine", Runtime.getRuntime().availableProcessors() + " cores")
        .put("video", video.toString()).put("windowSeconds", seconds).put("loadBefore", loadAverage());
      MediaCapacityBench bench = new MediaCapacityBench(port, janusPid, server.pid(), video);
      try {
        if (!"join".equals(what)) {
          result.put("capacity", bench.capacity(steps.stream().filter(n -> n <= max).toList(), seconds));
        }
        if (!"capacity".equals(what) && !joins.isEmpty()) {
          result.put("join", bench.joins(joins));
        }
      } finally {
        bench.close();
      }
      result.put("loadAfter", loadAverage());
      Path out = Path.of("bench/results/media-capacity.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, result.encodePrettily() + "\n");
      System.out.println("written to " + out);
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroy();
      }
    }
  }

  private static String[] awaitReady(Process server, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the Parley server exited (" + server.exitValue() + "); see " + log);
      }
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.startsWith("PARLEY ")) {
            return line.split(" ");
          }
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the Parley server was not ready within 3 minutes; see " + log);
  }

  // --- capacity ---

  private JsonObject capacity(List<Integer> steps, int seconds) throws Exception {
    String tenant = TestServer.freshTenant("capacity");
    String hostToken = api.token("Publisher", tenant);
    String meeting = api.createMeeting(hostToken, "Capacity");
    SyntheticPeer publisher = SyntheticPeer.join(vertx, api, port, "publisher", hostToken, meeting, media);
    List<SyntheticPeer> subscribers = new ArrayList<>();
    JsonArray rows = new JsonArray();
    String verdict = null;
    System.out.printf(Locale.ROOT, "%5s %7s %8s %8s %7s %6s %8s %8s %9s %8s %8s %6s%n", "subs", "loss%", "recv/s", "dec/s",
      "drops", "sent/s", "kbps/sub", "janus%", "janus/sub", "parley%", "bench%", "busy%");
    try {
      SyntheticPeer.await(publisher.publish(), 30);
      for (int n : steps) {
        List<CompletableFuture<SyntheticPeer>> added = new ArrayList<>();
        for (int i = subscribers.size(); i < n; i++) {
          String name = "sub" + (i + 1);
          added.add(CompletableFuture.supplyAsync(() -> {
            SyntheticPeer peer = SyntheticPeer.join(vertx, api, port, name, api.token(name, tenant), meeting, media);
            SyntheticPeer.await(peer.subscribe(), 30);
            return peer;
          }, joiners));
        }
        for (CompletableFuture<SyntheticPeer> peer : added) {
          subscribers.add(SyntheticPeer.await(peer, 90));
        }
        long bound = System.nanoTime() + Duration.ofSeconds(30 + n).toNanos();
        while (!subscribers.stream().allMatch(s -> s.sees(List.of(publisher.userId()))) && System.nanoTime() < bound) {
          Thread.sleep(100);
        }
        List<SyntheticPeer> blind = subscribers.stream().filter(s -> !s.sees(List.of(publisher.userId()))).toList();
        if (!blind.isEmpty()) {
          verdict = n + " subscribers: " + blind.size() + " received no video within " + (30 + n) + " s ("
            + blind.get(0).describeState() + ")";
          rows.add(new JsonObject().put("subscribers", n).put("failed", verdict).put("load", loadAverage()));
          System.out.println(verdict);
          break;
        }
        Thread.sleep(WARMUP_MS);
        JsonObject row = measure(publisher, subscribers, seconds);
        rows.add(row);
        System.out.printf(Locale.ROOT, "%5d %7.2f %8.1f %8.1f %7d %6.1f %8.0f %8.1f %9.2f %8.1f %8.1f %6.0f   load %s%n", n,
          row.getDouble("lossPercent"), row.getDouble("framesReceivedPerSubPerSecond"), row.getDouble("framesDecodedPerSubPerSecond"),
          row.getLong("framesDropped"), row.getDouble("framesSentPerSecond"), row.getDouble("kbpsPerSubscriber"),
          row.getDouble("janusCpuPercent"), row.getDouble("janusCpuPercentPerSubscriber"), row.getDouble("parleyCpuPercent"),
          row.getDouble("benchCpuPercent"), row.getDouble("machineBusyPercent"), row.getString("load"));
        String limit = limitReached(row);
        if (limit != null) {
          verdict = n + " subscribers: " + limit;
          break;
        }
      }
      if (verdict == null) {
        verdict = "no loss over 1 % nor dropped frames up to " + subscribers.size() + " subscribers (the last step)";
      }
    } finally {
      for (SyntheticPeer s : subscribers) {
        s.close();
      }
      publisher.close();
    }
    System.out.println("capacity: " + verdict);
    return new JsonObject().put("steps", rows).put("verdict", verdict);
  }

  /** Why this step is the last: loss over 1 %, dropped frames, or fewer than 90 % of the frames sent decoded. */
  private static String limitReached(JsonObject row) {
    if (row.getDouble("lossPercent") > 1.0) {
      return String.format(Locale.ROOT, "packet loss %.2f %% (over 1 %%)", row.getDouble("lossPercent"));
    }
    if (row.getLong("framesDropped") > 0) {
      return row.getLong("framesDropped") + " frames dropped by the subscribers' decoders";
    }
    double sent = row.getDouble("framesSentPerSecond");
    if (sent > 0 && row.getDouble("framesDecodedPerSubPerSecond") < 0.9 * sent) {
      return String.format(Locale.ROOT, "%.1f frames decoded per subscriber per second of %.1f sent (under 90 %%)",
        row.getDouble("framesDecodedPerSubPerSecond"), sent);
    }
    return null;
  }

  private JsonObject measure(SyntheticPeer publisher, List<SyntheticPeer> subscribers, int seconds) throws Exception {
    Cpu before = Cpu.read(janusPid, parleyPid);
    SyntheticPeer.Counters sent0 = publisher.sent();
    List<SyntheticPeer.Counters> got0 = subscribers.stream().map(SyntheticPeer::received).toList();
    long started = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    SyntheticPeer.Counters sent1 = publisher.sent();
    List<SyntheticPeer.Counters> got1 = subscribers.stream().map(SyntheticPeer::received).toList();
    Cpu after = Cpu.read(janusPid, parleyPid);
    double elapsed = (System.nanoTime() - started) / 1e9;
    SyntheticPeer.Counters total = SyntheticPeer.Counters.ZERO;
    double minDecoded = Double.MAX_VALUE;
    for (int i = 0; i < subscribers.size(); i++) {
      SyntheticPeer.Counters d = got1.get(i).minus(got0.get(i));
      total = total.plus(d);
      minDecoded = Math.min(minDecoded, d.framesDecoded() / elapsed);
    }
    int n = subscribers.size();
    long expected = total.packetsReceived() + total.packetsLost();
    double loss = expected == 0 ? 0 : 100.0 * Math.max(0, total.packetsLost()) / expected;
    double janus = after.cpuPercent(before, Cpu::janus, elapsed);
    return new JsonObject().put("subscribers", n).put("seconds", round(elapsed))
      .put("lossPercent", round(loss)).put("packetsReceived", total.packetsReceived()).put("packetsLost", total.packetsLost())
      .put("framesReceivedPerSubPerSecond", round(total.framesReceived() / elapsed / n))
      .put("framesDecodedPerSubPerSecond", round(total.framesDecoded() / elapsed / n))
      .put("framesDecodedPerSecondSlowestSub", round(minDecoded))
      .put("sinkFramesPerSubPerSecond", round(total.sinkFrames() / elapsed / n))
      .put("framesDropped", total.framesDropped())
      .put("framesSentPerSecond", round(sent1.minus(sent0).framesSent() / elapsed))
      .put("kbpsSent", round(sent1.minus(sent0).bytesSent() * 8 / elapsed / 1000))
      .put("kbpsPerSubscriber", round(total.bytesReceived() * 8 / elapsed / 1000 / n))
      .put("janusCpuPercent", round(janus)).put("janusCpuPercentPerSubscriber", round(janus / n))
      .put("parleyCpuPercent", round(after.cpuPercent(before, Cpu::parley, elapsed)))
      .put("benchCpuPercent", round(after.cpuPercent(before, Cpu::bench, elapsed)))
      .put("machineBusyPercent", round(after.machineBusyPercent(before)))
      .put("load", loadAverage());
  }

  // --- join ---

  private JsonArray joins(List<Integer> sizes) throws Exception {
    JsonArray out = new JsonArray();
    for (int people : sizes) {
      out.add(join(people));
    }
    return out;
  }

  private JsonObject join(int people) throws Exception {
    String tenant = TestServer.freshTenant("join");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      tokens.add(api.token("Person " + (i + 1), tenant));
    }
    String meeting = api.createMeeting(tokens.get(0), "Join " + people);
    long started = System.nanoTime();
    List<CompletableFuture<SyntheticPeer>> opening = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      String token = tokens.get(i);
      String name = "p" + (i + 1);
      opening.add(CompletableFuture.supplyAsync(() -> {
        SyntheticPeer peer = SyntheticPeer.join(vertx, api, port, name, token, meeting, media);
        CompletableFuture<Void> published = peer.publish();
        CompletableFuture<Void> subscribed = peer.subscribe();
        SyntheticPeer.await(published, 60);
        SyntheticPeer.await(subscribed, 60);
        return peer;
      }, joiners));
    }
    List<SyntheticPeer> peers = new ArrayList<>();
    JsonObject row = new JsonObject().put("people", people);
    try {
      for (CompletableFuture<SyntheticPeer> peer : opening) {
        peers.add(SyntheticPeer.await(peer, 120));
      }
      List<String> everyone = peers.stream().map(SyntheticPeer::userId).toList();
      long bound = started + Duration.ofSeconds(60).toNanos();
      while (!peers.stream().allMatch(p -> p.sees(everyone)) && System.nanoTime() < bound) {
        Thread.sleep(20);
      }
      JsonArray perPerson = new JsonArray();
      long worst = 0;
      boolean all = true;
      for (SyntheticPeer p : peers) {
        if (!p.sees(everyone)) {
          all = false;
          perPerson.addNull();
          continue;
        }
        long last = p.firstFrames().entrySet().stream().filter(e -> everyone.contains(e.getKey()))
          .mapToLong(e -> e.getValue()).max().orElse(0) / 1_000_000;
        perPerson.add(last);
        worst = Math.max(worst, last);
      }
      long failed = peers.stream().mapToLong(SyntheticPeer::failures).sum();
      row.put("everyoneSawEveryone", all).put("joinMaxMs", all ? worst : null).put("joinMs", perPerson)
        .put("connectionsFailedAndMadeAgain", failed).put("load", loadAverage());
      System.out.println("join, " + people + " synthetic people at once: " + (all ? "everyone decoded everyone after " + worst + " ms"
        : "NOT everyone saw everyone within 60 s (" + peers.stream().filter(p -> !p.sees(everyone)).findFirst().map(SyntheticPeer::describeState).orElse("") + ")")
        + " (per person " + perPerson + "; PeerConnections failed and made again: " + failed + "); load " + row.getString("load"));
    } catch (RuntimeException e) {
      row.put("failed", e.getMessage()).put("load", loadAverage());
      System.out.println("join, " + people + " people: FAILED (" + e.getMessage() + ")");
    } finally {
      for (SyntheticPeer p : peers) {
        p.close();
      }
      for (CompletableFuture<SyntheticPeer> f : opening) {
        f.thenAccept(p -> {
          if (!peers.contains(p)) {
            p.close();
          }
        });
      }
    }
    Thread.sleep(2000); // Janus lets the room's handles go before the next size
    return row;
  }

  private void close() {
    joiners.shutdownNow();
    media.close();
    api.close();
    vertx.close().await();
  }

  // --- CPU from /proc ---

  private record Cpu(long janus, long parley, long bench, long machineTotal, long machineIdle) {

    static Cpu read(long janusPid, long parleyPid) throws IOException {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length; i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      return new Cpu(ticks(janusPid), ticks(parleyPid), ticks(ProcessHandle.current().pid()), total, idle);
    }

    /** utime + stime of a process, in clock ticks. */
    static long ticks(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Percent of one core used over {@code seconds}, from {@code earlier} to this reading. */
    double cpuPercent(Cpu earlier, java.util.function.ToLongFunction<Cpu> which, double seconds) {
      return 100.0 * (which.applyAsLong(this) - which.applyAsLong(earlier)) / TICKS / seconds;
    }

    double machineBusyPercent(Cpu earlier) {
      long total = machineTotal - earlier.machineTotal;
      return total == 0 ? 0 : 100.0 * (total - (machineIdle - earlier.machineIdle)) / total;
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static List<Integer> ints(String list) {
    List<Integer> out = new ArrayList<>();
    for (String s : list.split("[,\\s]+")) {
      if (!s.isBlank()) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
          throw new IllegalArgumentException("counts must be at least 1: " + list);
        }
        out.add(n);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no counts in \"" + list + "\"");
    }
    return out;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
