package media;

/**
 * A request Janus refused or could not answer: its numeric error code (Janus core codes 4xx from
 * the API, VideoRoom codes 42x-43x from the plugin, or 0 when the connection itself failed) and reason.
 */
public final class JanusException extends RuntimeException {

  /** VideoRoom: no such room. */
  public static final int NO_SUCH_ROOM = 426;
  /** VideoRoom: the room exists already. */
  public static final int ROOM_EXISTS = 427;
  /** VideoRoom: no such feed. */
  public static final int NO_SUCH_FEED = 428;
  /** Core: no such session. */
  public static final int NO_SUCH_SESSION = 458;
  /** Core: no such handle. */
  public static final int NO_SUCH_HANDLE = 459;

  private final int code;

  public JanusException(int code, String reason) {
    super(reason, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The connection to Janus is gone (closed, timed out, never opened). */
  public boolean connectionLost() {
    return code == 0;
  }
}
