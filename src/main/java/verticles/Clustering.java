package verticles;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import config.ConfigLoader;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code cluster} section: a Vert.x clustered event bus whose membership runs on Hazelcast,
 * joined over TCP/IP from a fixed member list (never multicast, which most networks drop).
 * Hazelcast keeps the member list and the event-bus subscriptions; messages between nodes travel
 * on Vert.x's own TCP connections ({@code cluster.host}:{@code cluster.eventBusPort}).
 */
final class Clustering {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** The parsed {@code cluster} section. */
  record Settings(String name, String host, int port, int eventBusPort, List<String> members) {

    static Settings parse(JsonObject cluster) {
      String name = cluster.getString("name") == null ? "parley" : cluster.getString("name");
      int port = cluster.getInteger("port") == null ? 5701 : cluster.getInteger("port");
      int eventBusPort = cluster.getInteger("eventBusPort") == null ? 0 : cluster.getInteger("eventBusPort");
      List<String> members = ConfigLoader.stringList(cluster.getValue("members"));
      if (members.isEmpty()) {
        throw new IllegalArgumentException("cluster.members (PARLEY_CLUSTER_MEMBERS) must list the nodes as host:port when cluster.enabled is true");
      }
      if (port < 1 || port > 65535 || eventBusPort < 0 || eventBusPort > 65535) {
        throw new IllegalArgumentException("cluster.port and cluster.eventBusPort must be TCP ports");
      }
      return new Settings(name, cluster.getString("host"), port, eventBusPort, members);
    }
  }

  private Clustering() {
  }

  static boolean enabled(JsonObject config) {
    JsonObject cluster = config.getJsonObject("cluster");
    return cluster != null && Boolean.TRUE.equals(cluster.getBoolean("enabled"));
  }

  static HazelcastClusterManager clusterManager(Settings settings) {
    // Vert.x's own defaults (the subscription multimap and node-info maps), then our network.
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(settings.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster itself when it closes; Hazelcast's own hook would leave first and
    // cut the event bus while sockets are still draining.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    // A node that stops answering (partition, frozen VM) is dropped after 15 s instead of 60 s:
    // until then requests routed to it time out. A crashed process is noticed at once (its TCP
    // connections close).
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "3");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    if (settings.host() != null) {
      network.setPublicAddress(settings.host() + ":" + settings.port());
      if (IPV4.matcher(settings.host()).matches()) {
        // Bind only there (tests run several nodes on loopback).
        network.getInterfaces().setEnabled(true).addInterface(settings.host());
        hz.setProperty("hazelcast.socket.bind.any", "false");
      }
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(3);
    settings.members().forEach(tcp::addMember);
    return new HazelcastClusterManager(hz);
  }

  /** The event bus's own TCP endpoint, advertised to the other nodes. */
  static void eventBus(VertxOptions options, Settings settings) {
    options.getEventBusOptions().setPort(settings.eventBusPort());
    if (settings.host() != null) {
      options.getEventBusOptions().setHost(IPV4.matcher(settings.host()).matches() ? settings.host() : "0.0.0.0")
        .setClusterPublicHost(settings.host());
    }
  }
}
