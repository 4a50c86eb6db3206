package loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The load test's settings, from {@code --name value} arguments. Every run is bounded: stages have a
 * fixed duration and {@code maxSeconds} stops the whole run whatever happens.
 */
public record Options(
  URI url,
  List<URI> nodes,
  String target,
  String transport,
  String signIn,
  int sockets,
  int meetings,
  List<Integer> rates,
  int durationSeconds,
  int warmupSeconds,
  int rampPerSecond,
  int holdSeconds,
  int primeSeconds,
  int primeMaxSeconds,
  int eventLoops,
  int audioStreams,
  String audioFile,
  long serverPid,
  List<Long> helperPids,
  String out,
  String tenant,
  String label,
  int maxSeconds,
  int setupConcurrency,
  int maxOutstandingPerSocket,
  boolean reconnect,
  boolean deflate,
  String clientIo) {

  public static final String USAGE = """
    loadtest.LoadTest: drives many event-bus bridge sockets (or a Socket.IO server) and measures chat fan-out.
      --url URL[,URL2...]    server (default http://127.0.0.1:8080); several: the nodes of one cluster, set-up
                             through the first, and each meeting's sockets spread over all of them in turn
      --target T             parley (default) or socketio (the bench/peers Socket.IO room server)
      --transport T          sockjs (default: /eventbus/<server>/<session>/websocket, a[...] frames) or raw (/eventbus/websocket)
      --sign-in S            frame (default: the first frame's authorization header, as the web client) or url (?access_token=)
      --sockets N            concurrent sockets, one user each (default 100)
      --meetings M           meetings (rooms); sockets are spread evenly (default 10)
      --rate R[,R2...]       chat messages per second in total, one stage per value (default 100; 0 = hold only)
      --duration S           measured seconds per stage (default 20)
      --warmup S             unmeasured seconds before each stage (default 3)
      --ramp C               new connections per second (default 500)
      --hold S               seconds to hold all sockets open before the first stage (default 0)
      --prime S              unreported seconds at the first rate before the stages, to warm the JITs (default 0)
      --prime-max S          with --server-pid: go on priming, up to S seconds in all, while the server's JIT compilers
                             are still busy (over 5% of a core in the last 5 s); default: --prime, no extension
      --loops L              client event loops (default 2)
      --client-io IO         the generator's own network transport: nio (default, Java's) or epoll (Netty's native
                             one; fails at once where it does not load)
      --audio K              K sockets also stream PCM audio in real time (default 0)
      --audio-file PATH      16 kHz mono 16-bit WAV to stream (default src/test/resources/audio/fox.wav)
      --server-pid PID       measure the server's heap (jcmd, after GC) and RSS before and after connecting,
                             and its CPU (with its child processes) during each stage
      --helper-pids P[,P..]  more processes whose CPU counts as the server's (a daemonised PostgreSQL postmaster)
      --out PATH             JSON report (default bench/results/loadtest-<target>.json; "-" for none)
      --tenant NAME          tenant for the users (default load-<random>)
      --label TEXT           free text stored in the report
      --max-seconds S        hard stop for the whole run (default 900)
      --setup-concurrency C  REST calls in flight during set-up (default 32)
      --max-outstanding K    unanswered sends per socket before it skips its turn (default 8)
      --no-reconnect         do not reconnect dropped sockets
      --deflate              offer permessage-deflate in the WebSocket handshakes, as browsers do
    """;

  public static Options parse(String[] args) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String name = a.substring(2);
      if (name.equals("no-reconnect") || name.equals("help") || name.equals("deflate")) {
        m.put(name, "true");
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      m.put(name, args[++i]);
    }
    if (m.containsKey("help")) {
      throw new IllegalArgumentException("help");
    }
    String target = m.getOrDefault("target", "parley");
    if (!target.equals("parley") && !target.equals("socketio")) {
      throw new IllegalArgumentException("--target must be parley or socketio");
    }
    String transport = m.getOrDefault("transport", "sockjs");
    if (!transport.equals("sockjs") && !transport.equals("raw")) {
      throw new IllegalArgumentException("--transport must be sockjs or raw");
    }
    String signIn = m.getOrDefault("sign-in", "frame");
    if (!signIn.equals("frame") && !signIn.equals("url")) {
      throw new IllegalArgumentException("--sign-in must be frame or url");
    }
    List<Integer> rates = new ArrayList<>();
    for (String r : m.getOrDefault("rate", "100").split(",")) {
      rates.add(Integer.parseInt(r.trim()));
    }
    List<URI> nodes = java.util.Arrays.stream(m.getOrDefault("url", "http://127.0.0.1:8080").split(","))
      .map(String::trim).filter(u -> !u.isEmpty()).map(URI::create).toList();
    if (nodes.isEmpty() || nodes.stream().anyMatch(u -> u.getHost() == null)) {
      throw new IllegalArgumentException("--url must be one or more http://host:port, comma-separated");
    }
    Options o = new Options(
      nodes.get(0), nodes,
      target, transport, signIn,
      intOf(m, "sockets", 100), intOf(m, "meetings", 10), List.copyOf(rates),
      intOf(m, "duration", 20), intOf(m, "warmup", 3), intOf(m, "ramp", 500), intOf(m, "hold", 0), intOf(m, "prime", 0),
      intOf(m, "prime-max", intOf(m, "prime", 0)),
      intOf(m, "loops", 2), intOf(m, "audio", 0), m.getOrDefault("audio-file", "src/test/resources/audio/fox.wav"),
      Long.parseLong(m.getOrDefault("server-pid", "0")),
      m.getOrDefault("helper-pids", "").isBlank() ? List.of()
        : java.util.Arrays.stream(m.get("helper-pids").split(",")).map(String::trim).map(Long::valueOf).toList(),
      m.getOrDefault("out", "bench/results/loadtest-" + target + ".json"),
      m.get("tenant"), m.getOrDefault("label", ""), intOf(m, "max-seconds", 900), intOf(m, "setup-concurrency", 32),
      intOf(m, "max-outstanding", 8), !m.containsKey("no-reconnect"), m.containsKey("deflate"),
      m.getOrDefault("client-io", "nio"));
    if (!o.clientIo.equals("nio") && !o.clientIo.equals("epoll")) {
      throw new IllegalArgumentException("--client-io must be nio or epoll");
    }
    if (o.sockets < 1 || o.meetings < 1 || o.meetings > o.sockets) {
      throw new IllegalArgumentException("need 1 <= meetings <= sockets");
    }
    if (o.eventLoops < 1 || o.rampPerSecond < 1 || o.durationSeconds < 1) {
      throw new IllegalArgumentException("--loops, --ramp and --duration must be positive");
    }
    return o;
  }

  private static int intOf(java.util.Map<String, String> m, String name, int dflt) {
    String v = m.get(name);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not " + v);
    }
  }

  /** A copy for the in-process smoke test and other callers building options in code. */
  public static Options of(String... args) {
    return parse(args);
  }

  int port() {
    return portOf(url);
  }

  String host() {
    return url.getHost();
  }

  /**
   * The node socket {@code index} connects to: sockets are dealt to meetings in turn ({@code index
   * mod meetings}), and each meeting's k-th socket goes to node k mod n, so every meeting is split
   * over every node.
   */
  URI nodeOf(int index) {
    return nodes.get((index / meetings) % nodes.size());
  }

  static int portOf(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
  }
}
