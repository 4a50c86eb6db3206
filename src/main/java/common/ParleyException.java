package common;

/**
 * A failure that carries the contract's HTTP-like status and a short machine code.
 * Event-bus handlers turn it into {@code message.fail(status, message)}; the gateway
 * renders it as {@code {"error":{"code":..., "message":...}}} in one place.
 */
public class ParleyException extends RuntimeException {

  private final int status;
  private final String code;

  public ParleyException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public ParleyException(int status, String code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() { return status; }

  public String code() { return code; }

  public static ParleyException badRequest(String message) { return new ParleyException(400, "bad_request", message); }

  public static ParleyException unauthorized(String message) { return new ParleyException(401, "unauthorized", message); }

  public static ParleyException forbidden(String message) { return new ParleyException(403, "forbidden", message); }

  public static ParleyException notFound(String message) { return new ParleyException(404, "not_found", message); }

  public static ParleyException conflict(String message) { return new ParleyException(409, "conflict", message); }

  public static ParleyException tooLarge(String message) { return new ParleyException(413, "too_large", message); }

  public static ParleyException unsupportedType(String message) { return new ParleyException(415, "unsupported_type", message); }

  public static ParleyException unprocessable(String message) { return new ParleyException(422, "blocked", message); }

  /** A locked meeting refusing a new arrival. */
  public static ParleyException locked(String message) { return new ParleyException(423, "locked", message); }

  public static ParleyException rateLimited(String message) { return new ParleyException(429, "rate_limited", message); }

  public static ParleyException unavailable(String message) { return new ParleyException(503, "unavailable", message); }

  /** The short code used for a status when none more specific is known. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 415 -> "unsupported_type";
      case 416 -> "range_not_satisfiable";
      case 422 -> "blocked";
      case 423 -> "locked";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> "internal";
    };
  }
}
