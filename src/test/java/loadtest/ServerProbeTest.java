package loadtest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory probe reads the heap of a JVM whichever collector it runs: a JVM on one CPU or under
 * 1,792 MB picks Serial, not G1 (a CI machine like that once got no heap figure at all).
 */
@DisplayName("The memory probe reads a JVM's heap after GC under every collector")
class ServerProbeTest {

  /** What a child JVM runs: it says it is up, then waits to be measured. */
  public static final class Idle {
    public static void main(String[] args) throws Exception {
      byte[][] live = new byte[64][];
      for (int i = 0; i < live.length; i++) {
        live[i] = new byte[256 * 1024]; // 16 MiB that survive the probe's full GC
      }
      System.out.println("up");
      System.out.flush();
      Thread.sleep(60_000);
      System.out.println(live.length);
    }
  }

  @ParameterizedTest(name = "-XX:+{0}")
  @ValueSource(strings = {"UseSerialGC", "UseParallelGC", "UseG1GC"})
  @DisplayName("a real JVM under the collector: RSS, committed heap and a used heap that holds its 16 MiB of live arrays")
  void probesARealJvm(String collector) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-XX:+" + collector, "-Xmx256m", "-cp",
      System.getProperty("java.class.path"), Idle.class.getName()).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS"); // its "Picked up" line, and flags chosen for another JVM
    Process child = builder.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("up", out.readLine(), "the child JVM started");
      JsonObject measured = ServerProbe.measure(child.pid());
      assertTrue(measured.getLong("rssBytes", 0L) > 16L << 20, measured.encode());
      long used = measured.getLong("heapUsedAfterGcBytes", 0L);
      assertTrue(used >= 16L << 20 && used < 128L << 20, "16 MiB live, well under the 256 MiB cap: " + measured.encode());
      assertTrue(measured.getLong("heapCommittedBytes") >= used, measured.encode());
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** What a child JVM runs to keep its JIT busy for a while: many distinct methods made hot in turn. */
  public static final class Compiling {
    public static void main(String[] args) throws Exception {
      System.out.println("up");
      System.out.flush();
      long sink = 0;
      long until = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < until) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
          b.append(Integer.toHexString(i * 31)).append(java.util.UUID.nameUUIDFromBytes(b.toString().getBytes()).hashCode());
          if (b.length() > 10_000) {
            sink += b.toString().hashCode() + java.util.Arrays.hashCode(b.toString().split("a"));
            b.setLength(0);
          }
        }
      }
      System.out.println(sink == 42 ? "" : "done");
      Thread.sleep(60_000);
    }
  }

  @Test
  @DisplayName("the JIT compilers' CPU of a real JVM is read from its threads, and grows while it warms up; a process that is not a JVM has none")
  void compilerCpu() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), Compiling.class.getName())
      .redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process child = builder.start();
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("up", out.readLine(), "the child JVM started");
      double atStart = ServerProbe.compilerCpuSeconds(child.pid());
      assertTrue(atStart >= 0, "a HotSpot JVM has compiler threads: " + atStart);
      assertEquals("done", out.readLine(), "the child ran its five seconds of work");
      double after = ServerProbe.compilerCpuSeconds(child.pid());
      assertTrue(after > atStart, "its compilers worked meanwhile: " + atStart + " -> " + after + " CPU s");
      assertEquals(-1, ServerProbe.compilerCpuSeconds(sleeper.pid()), "sleep(1) has no JIT");
      assertEquals(-1, ServerProbe.compilerCpuSeconds(Long.MAX_VALUE), "no such process");
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("GC.heap_info as each collector prints it: G1's heap line, Serial's and Parallel's two generations summed, ZGC's and Shenandoah's own forms")
  void parsesEachCollectorsHeapInfo() {
    assertArrayEquals(new long[]{397312L << 10, 19912L << 10}, ServerProbe.heapCommittedAndUsed("""
       garbage-first heap   total 397312K, used 19912K [0x0000000687400000, 0x0000000800000000)
        region size 4096K, 4 young (16384K), 0 survivors (0K)
       Metaspace       used 8965K, committed 9152K, reserved 1114112K
        class space    used 1062K, committed 1152K, reserved 1048576K
      """));
    assertArrayEquals(new long[]{(116160L + 258048L) << 10, (20659L + 100L) << 10}, ServerProbe.heapCommittedAndUsed("""
       def new generation   total 116160K, used 20659K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
        eden space 103296K,  20% used [0x0000000687400000, 0x000000068882ced0, 0x000000068d8e0000)
        from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
       tenured generation   total 258048K, used 100K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
         the space 258048K,   0% used [0x0000000704d50000, 0x0000000704d50000, 0x0000000704d50200, 0x0000000714950000)
       Metaspace       used 8967K, committed 9152K, reserved 1114112K
      """));
    assertArrayEquals(new long[]{(113152L + 258048L) << 10, (21403L + 7L) << 10}, ServerProbe.heapCommittedAndUsed("""
       PSYoungGen      total 113152K, used 21403K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
        eden space 97280K, 22% used [0x0000000782700000,0x0000000783be6e38,0x0000000788600000)
       ParOldGen       total 258048K, used 7K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
        object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
       Metaspace       used 8984K, committed 9152K, reserved 1114112K
      """));
    assertArrayEquals(new long[]{378L << 20, 52L << 20}, ServerProbe.heapCommittedAndUsed("""
       ZHeap           used 52M, capacity 378M, max capacity 6028M
       Metaspace       used 8953K, committed 9152K, reserved 1114112K
      """));
    assertArrayEquals(new long[]{378L << 20, 22528L << 10}, ServerProbe.heapCommittedAndUsed("""
      Shenandoah Heap
       6028M max, 6028M soft max, 378M committed, 22528K used
       3014 x 2048K regions
      """));
    assertNull(ServerProbe.heapCommittedAndUsed("12345:\nCould not find heap\n"), "no heap named: no figure, not zero");
  }
}
