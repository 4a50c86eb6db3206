package handlers;

import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a socket (the bridge, the audio socket) on a credential the
 * browser sends by itself, the {@code parley_token} cookie: the configured public origins
 * ({@code http.allowedOrigins} and the origin of {@code http.publicUrl}), or, when none is
 * configured, the request's own origin (its {@code Host}). Without this a page on any site could
 * open a WebSocket that acts as the signed-in user (cross-site WebSocket hijacking). A token passed
 * explicitly (query or header) is not ambient, so it is not subject to the check; neither is a
 * request without {@code Origin} (not a browser).
 */
public final class OriginPolicy {

  private final Set<String> allowed;

  private OriginPolicy(Set<String> allowed) {
    this.allowed = allowed;
  }

  /**
   * @param allowedOrigins {@code http.allowedOrigins}: origins such as {@code https://meet.example.com}
   * @param publicUrl      {@code http.publicUrl}, or null
   * @throws IllegalArgumentException naming a value that is not an http(s) origin
   */
  public static OriginPolicy of(List<String> allowedOrigins, String publicUrl) {
    Set<String> allowed = allowedOrigins.stream().map(o -> normalise(o, "http.allowedOrigins")).collect(Collectors.toSet());
    if (publicUrl != null && !publicUrl.isBlank()) {
      allowed.add(normalise(publicUrl, "http.publicUrl"));
    }
    return new OriginPolicy(Set.copyOf(allowed));
  }

  /** True when a request carrying an ambient credential may go on. */
  public boolean allows(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String given;
    try {
      given = normalise(origin, "Origin");
    } catch (IllegalArgumentException e) {
      return false;   // "null" (sandboxed frames, file: pages) and anything malformed
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(given);
    }
    String host = request.authority() == null ? null : request.authority().toString();
    return host != null && URI.create(given).getRawAuthority().equalsIgnoreCase(withDefaultPort(host, given));
  }

  /** {@code scheme://host[:port]} in lower case, without a default port. */
  static String normalise(String value, String setting) {
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": '" + value + "' is not an origin such as https://meet.example.com");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(setting + ": '" + value + "' is not an origin such as https://meet.example.com");
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** The Host header as an origin's authority: the default port of the origin's scheme left out. */
  private static String withDefaultPort(String host, String origin) {
    String lower = host.toLowerCase(Locale.ROOT);
    String defaultSuffix = origin.startsWith("https:") ? ":443" : ":80";
    return lower.endsWith(defaultSuffix) ? lower.substring(0, lower.length() - defaultSuffix.length()) : lower;
  }
}
