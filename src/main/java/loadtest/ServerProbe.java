package loadtest;

import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a process on this machine: resident set size from {@code /proc/<pid>/status}, and for a
 * JVM the heap in use right after a full GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}),
 * which is the live data the sockets hold. Blocking: called from the orchestrating thread only.
 */
final class ServerProbe {

  /** G1's one heap line, or Serial's and Parallel's two generations: {@code <name> total 1234K, used 567K}. */
  private static final Pattern SPACE_TOTAL_USED = Pattern.compile("total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
  /** ZGC: {@code ZHeap used 52M, capacity 378M, max capacity 6028M}. */
  private static final Pattern ZGC_USED = Pattern.compile("ZHeap\\s+used\\s+(\\d+)([KMG]), capacity\\s+(\\d+)([KMG])");
  /** Shenandoah: {@code 6028M max, 6028M soft max, 378M committed, 22528K used}. */
  private static final Pattern SHENANDOAH_USED = Pattern.compile("(\\d+)([KMG]) committed,\\s+(\\d+)([KMG]) used");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");
  /** {@code   1:   123   4567  java.lang.String (java.base@17)}: instances, bytes, class. */
  private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  private ServerProbe() {
  }

  static JsonObject measure(long pid) {
    JsonObject out = new JsonObject().put("pid", pid);
    Long rss = rssBytes(pid);
    if (rss != null) {
      out.put("rssBytes", rss);
    }
    // jcmd attaches with SIGQUIT, which kills a process that is not a JVM (the Node.js peer)
    if (isJvm(pid) && jcmd(pid, "GC.run") != null) {
      String info = jcmd(pid, "GC.heap_info");
      long[] heap = info == null ? null : heapCommittedAndUsed(info);
      if (heap != null) {
        out.put("heapCommittedBytes", heap[0]);
        out.put("heapUsedAfterGcBytes", heap[1]);
      }
    }
    return out;
  }

  /**
   * The Java heap's committed and used bytes in the output of {@code jcmd GC.heap_info}, whichever
   * collector the JVM chose (a JVM on fewer than two CPUs or under 1,792 MB picks Serial, not G1), or
   * null when the output names no heap.
   */
  static long[] heapCommittedAndUsed(String info) {
    Matcher z = ZGC_USED.matcher(info);
    if (z.find()) {
      return new long[]{bytes(z.group(3), z.group(4)), bytes(z.group(1), z.group(2))};
    }
    Matcher shenandoah = SHENANDOAH_USED.matcher(info);
    if (shenandoah.find()) {
      return new long[]{bytes(shenandoah.group(1), shenandoah.group(2)), bytes(shenandoah.group(3), shenandoah.group(4))};
    }
    // the heap or each generation has a "total ..., used ..." line; the spaces inside them and
    // Metaspace do not
    long committed = 0;
    long used = 0;
    boolean found = false;
    Matcher m = SPACE_TOTAL_USED.matcher(info);
    while (m.find()) {
      committed += Long.parseLong(m.group(1)) * 1024;
      used += Long.parseLong(m.group(2)) * 1024;
      found = true;
    }
    return found ? new long[]{committed, used} : null;
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "G" -> n << 30;
      case "M" -> n << 20;
      default -> n << 10;
    };
  }

  /**
   * Live objects by class ({@code jcmd <pid> GC.class_histogram}, which runs a full GC first):
   * class name to {instances, bytes}; empty when the process is not a JVM or jcmd fails.
   */
  static java.util.Map<String, long[]> histogram(long pid) {
    java.util.Map<String, long[]> out = new java.util.HashMap<>();
    String text = isJvm(pid) ? jcmd(pid, "GC.class_histogram", false) : null;
    if (text == null || !text.contains("#instances")) {
      return out;
    }
    for (String line : text.split("\n")) {
      Matcher m = HISTOGRAM_ROW.matcher(line);
      if (m.find()) {
        out.put(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    }
    return out;
  }

  /**
   * What {@code sockets} more sockets added, class by class: the {@code top} classes by bytes
   * grown, each {@code {class, bytesPerSocket, instancesPerSocket}}.
   */
  static io.vertx.core.json.JsonArray perSocket(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after,
                                                int sockets, int top) {
    io.vertx.core.json.JsonArray rows = new io.vertx.core.json.JsonArray();
    if (sockets <= 0 || after.isEmpty()) {
      return rows;
    }
    after.entrySet().stream()
      .map(e -> {
        long[] b = before.getOrDefault(e.getKey(), new long[2]);
        return java.util.Map.entry(e.getKey(), new long[]{e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
      })
      .filter(e -> e.getValue()[1] > 0)
      .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
      .limit(top)
      .forEach(e -> rows.add(new JsonObject().put("class", e.getKey())
        .put("bytesPerSocket", Math.round(10.0 * e.getValue()[1] / sockets) / 10.0)
        .put("instancesPerSocket", Math.round(100.0 * e.getValue()[0] / sockets) / 100.0)));
    return rows;
  }

  private static boolean isJvm(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().command())
      .map(command -> command.endsWith("/java") || command.endsWith("/java.exe")).orElse(false);
  }

  static Long rssBytes(long pid) {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The output of {@code jcmd <pid> <command>}, or null when it fails (not a JVM, no jcmd). */
  private static String jcmd(long pid, String command) {
    return jcmd(pid, command, true);
  }

  /** @param strict treat any "Exception" in the output as a failure (not for a class histogram, which names them) */
  private static String jcmd(long pid, String command, boolean strict) {
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return null;
      }
      String text = new String(out, StandardCharsets.UTF_8);
      return strict && text.contains("Exception") ? null : text;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * CPU seconds (user + system) used so far by a process and all its descendants (for Parley on its
   * embedded defaults: the JVM plus its PostgreSQL and Redis), or -1 when /proc cannot tell.
   */
  static double cpuSeconds(long pid) {
    double own = cpuSecondsOf(pid);
    if (own < 0) {
      return -1;
    }
    return own + ProcessHandle.of(pid).map(p -> p.descendants().mapToDouble(d -> Math.max(0, cpuSecondsOf(d.pid()))).sum())
      .orElse(0d);
  }

  private static double cpuSecondsOf(long pid) {
    try {
      return cpuSecondsIn(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User + system CPU seconds in a /proc {@code stat} line (a process's or a thread's). */
  private static double cpuSecondsIn(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state is field 3, utime 14 and stime 15 (clock ticks, 100 per second on Linux)
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /**
   * CPU seconds used so far by a JVM's JIT compiler threads ({@code C1/C2 CompilerThread*} in
   * /proc), or -1 when the process has none (not a HotSpot JVM) or /proc cannot tell.
   */
  static double compilerCpuSeconds(long pid) {
    File[] tasks = new File("/proc/" + pid + "/task").listFiles();
    if (tasks == null) {
      return -1;
    }
    double total = 0;
    boolean found = false;
    for (File task : tasks) {
      try {
        String stat = Files.readString(task.toPath().resolve("stat"));
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          total += cpuSecondsIn(stat);
          found = true;
        }
      } catch (IOException | RuntimeException e) {
        // a thread that ended meanwhile
      }
    }
    return found ? total : -1;
  }

  /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} says. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
