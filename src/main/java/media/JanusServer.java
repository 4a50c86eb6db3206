package media;

/**
 * One Janus Gateway Parley may place rooms on: the one it manages itself ({@link JanusProcess}),
 * or an external one named in {@code media.janus.urls}. Its secrets may change (a managed Janus
 * gets new ones at every start), so callers read them when they connect.
 */
public interface JanusServer {

  /** A stable name: {@code managed}, or the external server's URL. Used as a metric label and in room placement. */
  String id();

  /** The WebSocket URL of its Janus API. */
  String url();

  /** The {@code api_secret} every request must carry, or null when it needs none. */
  String apiSecret();

  /** The VideoRoom plugin's {@code admin_key} (needed to create rooms and forward RTP), or null. */
  String adminKey();

  /** False while a managed Janus is known to be down or starting; an external one is only known by connecting. */
  boolean available();

  /** Why it is not available, or null. */
  String problem();

  /** An external Janus at {@code url}. */
  static JanusServer external(String url, String apiSecret, String adminKey) {
    return new JanusServer() {
      @Override
      public String id() {
        return url;
      }

      @Override
      public String url() {
        return url;
      }

      @Override
      public String apiSecret() {
        return apiSecret;
      }

      @Override
      public String adminKey() {
        return adminKey;
      }

      @Override
      public boolean available() {
        return true;
      }

      @Override
      public String problem() {
        return null;
      }
    };
  }
}
