package handlers.webhooks;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may post: an {@code https} URL without user info or fragment, whose host resolves
 * only to public addresses: not loopback, link-local, private (RFC 1918, unique local), carrier-grade
 * NAT, multicast, unspecified or reserved, IPv4-mapped or NAT64 forms of those included, unless the
 * operator allows a range ({@code webhooks.allowPrivate}, CIDRs). The check runs when a webhook is
 * created and again before every delivery, which then connects to the very address checked, so a
 * name that later resolves inside (DNS rebinding) is refused rather than followed.
 */
final class TargetPolicy {

  static final int MAX_URL_LENGTH = 2000;

  /** A parsed target: the URL's host (for the Host header, SNI and the certificate check), port and request path. */
  record Target(String url, String host, int port, String pathAndQuery) {
  }

  private final WorkerExecutor dns;
  private final List<Cidr> allowed;

  TargetPolicy(WorkerExecutor dns, List<String> allowPrivate) {
    this.dns = dns;
    this.allowed = new ArrayList<>();
    for (String cidr : allowPrivate) {
      allowed.add(Cidr.parse(cidr));
    }
  }

  /** Parses and checks the form of a target URL: 400 (413 when over {@value #MAX_URL_LENGTH} characters). */
  static Target parse(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      throw ParleyException.tooLarge("url is longer than " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw ParleyException.badRequest("url is not a valid URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw ParleyException.badRequest("url must be https");
    }
    if (uri.getRawUserInfo() != null) {
      throw ParleyException.badRequest("url must not carry a user name or password");
    }
    if (uri.getRawFragment() != null) {
      throw ParleyException.badRequest("url must not have a fragment");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw ParleyException.badRequest("url has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      host = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw ParleyException.badRequest("url has an invalid host name");
    }
    int port = uri.getPort() == -1 ? 443 : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new Target(url, host, port, path);
  }

  /**
   * Resolves the target's host (on the DNS worker pool: the JDK resolver blocks) and checks every
   * address it gives; the first one, to connect to. Fails 400 naming the address refused.
   */
  Future<InetAddress> resolve(Target target) {
    return dns.executeBlocking(() -> {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(target.host());
      } catch (UnknownHostException e) {
        throw ParleyException.badRequest("the host " + target.host() + " does not resolve");
      }
      for (InetAddress address : addresses) {
        if (!isPublic(address) && allowed.stream().noneMatch(c -> c.contains(address))) {
          throw ParleyException.badRequest("the host " + target.host() + " resolves to " + address.getHostAddress()
            + ", a loopback, link-local or private address, which webhooks may not reach (webhooks.allowPrivate)");
        }
      }
      return addresses[0];
    }, false);
  }

  /** Whether an address is on the public internet. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
      || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return !(first == 0 || first == 10 || first == 127 || first >= 224          // this network, private, loopback, multicast and reserved
        || (first == 100 && second >= 64 && second < 128)                          // carrier-grade NAT
        || (first == 169 && second == 254) || (first == 172 && second >= 16 && second < 32)
        || (first == 192 && second == 168) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
        || (first == 198 && (second == 18 || second == 19)));                      // benchmarking
    }
    int top = b[0] & 0xff;
    if ((top & 0xfe) == 0xfc) {
      return false;                                                                // unique local fc00::/7
    }
    if (embedsIpv4(b, new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})   // ::ffff:a.b.c.d
      || embedsIpv4(b, new byte[]{0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) { // 64:ff9b::a.b.c.d
      try {
        return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return true;
  }

  private static boolean embedsIpv4(byte[] b, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** An address range the operator allows although it is not public. */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      try {
        if (!parts[0].matches("[0-9a-fA-F:.]+")) {
          throw new IllegalArgumentException(); // a literal address only: never a name to look up
        }
        byte[] network = InetAddress.getByName(parts[0]).getAddress();
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (bits < 0 || bits > network.length * 8) {
          throw new IllegalArgumentException();
        }
        return new Cidr(network, bits);
      } catch (UnknownHostException | IllegalArgumentException e) {
        throw new IllegalArgumentException("webhooks.allowPrivate: '" + text + "' is not an address range such as 10.0.0.0/8");
      }
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(a.length * 8 - bits).subtract(BigInteger.ONE));
      return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }
}
