package loadtest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The load tool's options: several --url values are the nodes of one cluster, and every meeting is split over them. */
@DisplayName("The load tool spreads each meeting's sockets over every node it is given")
class OptionsTest {

  @Test
  @DisplayName("two nodes, 20 sockets in 2 meetings: set-up through the first, each meeting has 5 sockets on each node")
  void meetingsAreSplitOverNodes() {
    Options o = Options.of("--url", "http://127.0.0.1:1001,http://127.0.0.1:1002", "--sockets", "20", "--meetings", "2");
    assertEquals(URI.create("http://127.0.0.1:1001"), o.url(), "set-up goes through the first node");
    assertEquals(2, o.nodes().size());
    int[][] perMeetingAndNode = new int[2][2];
    for (int i = 0; i < 20; i++) {
      perMeetingAndNode[i % 2][o.nodes().indexOf(o.nodeOf(i))]++;
    }
    assertEquals(List.of(5, 5, 5, 5), List.of(perMeetingAndNode[0][0], perMeetingAndNode[0][1],
      perMeetingAndNode[1][0], perMeetingAndNode[1][1]));
  }

  @Test
  @DisplayName("one node: every socket goes to it; a URL without a host is refused with the option's name")
  void oneNodeAndBadUrls() {
    Options o = Options.of("--url", "http://127.0.0.1:8080", "--sockets", "7", "--meetings", "3");
    Set<URI> used = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      used.add(o.nodeOf(i));
    }
    assertEquals(Set.of(URI.create("http://127.0.0.1:8080")), used);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.of("--url", "nohost,"));
    assertEquals("--url must be one or more http://host:port, comma-separated", e.getMessage());
  }

  @Test
  @DisplayName("priming: --prime-max defaults to --prime (no extension) and may extend it")
  void primeMax() {
    assertEquals(15, Options.of("--prime", "15").primeMaxSeconds());
    assertEquals(0, Options.of().primeMaxSeconds());
    Options o = Options.of("--prime", "45", "--prime-max", "120");
    assertEquals(45, o.primeSeconds());
    assertEquals(120, o.primeMaxSeconds());
  }

  @Test
  @DisplayName("--client-io: the generator's transport, nio unless epoll is asked for; anything else is refused")
  void clientIo() {
    assertEquals("nio", Options.of().clientIo());
    assertEquals("epoll", Options.of("--client-io", "epoll").clientIo());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.of("--client-io", "uring"));
    assertEquals("--client-io must be nio or epoll", e.getMessage());
  }
}
