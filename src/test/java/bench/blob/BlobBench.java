package bench.blob;

import data.blob.Azurite;
import data.blob.BlobInfo;
import data.blob.BlobKey;
import data.blob.BlobRead;
import data.blob.BlobStore;
import data.blob.BlobStoreFactory;
import data.blob.GeneratedBody;
import data.blob.S3rver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Streams a generated body (never held whole) into the filesystem store, into Azurite and into
 * s3rver (S3), then reads it back, printing throughput and heap growth, and writes
 * {@code bench/results/blob.json}. Usage: {@code bench/blob.sh [MiB] [fs|azure|s3|all]} (default
 * 1024 MiB, all; {@code both} is fs and azure).
 */
public final class BlobBench {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final Vertx vertx = Vertx.vertx();
  private final Context ctx = vertx.getOrCreateContext();

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    String which = args.length > 1 ? args[1] : "all";
    BlobBench bench = new BlobBench();
    JsonArray runs = new JsonArray();
    String loadBefore = loadAverage();
    try {
      if (which.equals("fs") || which.equals("both") || which.equals("all")) {
        Path root = Files.createTempDirectory("blob-bench");
        try {
          BlobStore fs = BlobStoreFactory.create(bench.vertx, new JsonObject().put("provider", "filesystem")
              .put("filesystem", new JsonObject().put("root", root.toString())), root);
          runs.add(bench.run(fs, mib << 20));
        } finally {
          deleteRecursively(root);
        }
      }
      if (which.equals("azure") || which.equals("both") || which.equals("all")) {
        if (Azurite.binary().isEmpty()) {
          System.out.println("azure: skipped, " + Azurite.unavailableReason());
        } else {
          try (Azurite azurite = Azurite.start()) {
            BlobStore azure = BlobStoreFactory.create(bench.vertx, new JsonObject().put("provider", "azure")
                .put("azure", new JsonObject().put("connectionString", azurite.connectionString())
                    .put("container", "bench")), null);
            runs.add(bench.run(azure, mib << 20));
          }
        }
      }
      if (which.equals("s3") || which.equals("all")) {
        if (S3rver.binary().isEmpty()) {
          System.out.println("s3: skipped, " + S3rver.unavailableReason());
        } else {
          try (S3rver s3rver = S3rver.start()) {
            JsonObject blobs = s3rver.blobsConfig("bench");
            blobs.getJsonObject("s3").put("partSizeBytes", 8 * 1024 * 1024); // the default part size
            runs.add(bench.run(BlobStoreFactory.create(bench.vertx, blobs, null), mib << 20));
          }
        }
      }
    } finally {
      bench.vertx.close().await();
    }
    JsonObject result = new JsonObject()
        .put("bench", "blob: stream a generated body into the store and read it back")
        .put("at", Instant.now().toString())
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("loadAverageBefore", loadBefore)
        .put("loadAverageAfter", loadAverage())
        .put("runs", runs);
    Path out = Path.of(which.equals("all") || which.equals("both") ? "bench/results/blob.json" : "bench/results/blob-" + which + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("wrote " + out);
  }

  private JsonObject run(BlobStore store, long size) throws Exception {
    await(store::start);
    // Warm-up: loads classes, fills connection and buffer pools, so the baseline is steady state.
    BlobKey warm = BlobKey.generate("bench", "m1", BlobKey.Kind.RECORDINGS);
    await(() -> store.put(warm, GeneratedBody.of(ctx, 16 << 20), "video/webm", 16 << 20));
    drain(await(() -> store.read(warm, 0, -1)));
    await(() -> store.delete(warm));
    BlobKey key = BlobKey.generate("bench", "m1", BlobKey.Kind.RECORDINGS);
    long baseline = usedAfterGc();
    HeapSampler sampler = new HeapSampler();
    GeneratedBody[] body = {GeneratedBody.of(ctx, size)};
    long t0 = System.nanoTime();
    BlobInfo info = await(() -> store.put(key, body[0], "video/webm", size));
    double putSeconds = (System.nanoTime() - t0) / 1e9;
    long putPeak = sampler.stop();
    int pauses = body[0].pauses();
    body[0] = null; // a finished request is dropped by the server too
    long afterPut = usedAfterGc();
    if (Boolean.getBoolean("bench.histogram")) {
      new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "blob-bench-histo-" + store.provider() + ".txt")
              .toFile()).start().waitFor();
    }

    HeapSampler readSampler = new HeapSampler();
    long t1 = System.nanoTime();
    long read = drain(await(() -> store.read(key, 0, -1)));
    double readSeconds = (System.nanoTime() - t1) / 1e9;
    long readPeak = readSampler.stop();

    boolean shaOk = GeneratedBody.sha256(size).equals(info.sha256());
    await(() -> store.delete(key));
    await(store::close);
    JsonObject r = new JsonObject()
        .put("provider", store.provider())
        .put("bytes", size)
        .put("putSeconds", round(putSeconds))
        .put("putMiBps", round(size / 1048576.0 / putSeconds))
        .put("readBytes", read)
        .put("readSeconds", round(readSeconds))
        .put("readMiBps", round(read / 1048576.0 / readSeconds))
        .put("sha256Verified", shaOk)
        .put("bodyPauses", pauses)
        .put("heapUsedAfterGcBeforeMiB", mib(baseline))
        .put("heapUsedAfterGcAfterMiB", mib(afterPut))
        .put("heapGrowthAfterGcMiB", mib(afterPut - baseline))
        .put("heapPeakDuringPutMiB", mib(putPeak))
        .put("heapPeakGrowthDuringPutMiB", mib(putPeak - baseline))
        .put("heapPeakDuringReadMiB", mib(readPeak));
    System.out.println(r.encode());
    if (!shaOk || read != size) {
      throw new IllegalStateException("data mismatch: " + r.encode());
    }
    return r;
  }

  /** Samples the used heap every 5 ms (the peak includes garbage not yet collected). */
  private static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(() -> {
      while (running.get()) {
        peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");

    HeapSampler() {
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running.set(false);
      thread.join();
      return peak.get();
    }
  }

  private long drain(BlobRead read) throws Exception {
    AtomicLong n = new AtomicLong();
    await(() -> {
      Promise<Void> done = Promise.promise();
      read.stream().exceptionHandler(done::tryFail);
      read.stream().endHandler(v -> done.tryComplete());
      read.stream().handler(b -> n.addAndGet(b.length()));
      read.stream().resume();
      return done.future();
    });
    return n.get();
  }

  private <T> T await(Supplier<Future<T>> op) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    ctx.runOnContext(v -> op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        f.complete(ar.result());
      } else {
        f.completeExceptionally(ar.cause());
      }
    }));
    return f.get(30, TimeUnit.MINUTES);
  }

  /** The 1, 5 and 15 minute load averages, as {@code uptime} shows them. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  private static double mib(long bytes) {
    return round(bytes / 1048576.0);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
