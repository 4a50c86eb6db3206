package loadtest;

import io.vertx.core.json.JsonObject;

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

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");

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
      if (info != null) {
        Matcher m = HEAP_USED.matcher(info);
        if (m.find()) {
          out.put("heapCommittedBytes", Long.parseLong(m.group(1)) * 1024);
          out.put("heapUsedAfterGcBytes", Long.parseLong(m.group(2)) * 1024);
        }
      }
    }
    return out;
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
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return null;
      }
      String text = new String(out, StandardCharsets.UTF_8);
      return text.contains("Exception") ? null : text;
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
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3, utime 14 and stime 15 (clock ticks, 100 per second on Linux)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
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
