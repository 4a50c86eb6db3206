package loadtest;

/**
 * The send time carried in a chat text, in letters only ({@code lt} then base-26 a..z), so that
 * the server's content-safety checks (phone numbers, card numbers) never rewrite it.
 */
final class Stamp {

  static final String MARK = "lt";
  private static final long ORIGIN = System.nanoTime();

  private Stamp() {
  }

  /** Nanoseconds since this JVM's origin: positive, and comparable only within this process. */
  static long now() {
    return System.nanoTime() - ORIGIN;
  }

  static String text(long nanos) {
    StringBuilder sb = new StringBuilder(24).append(MARK);
    char[] digits = new char[14];
    int n = 0;
    long v = nanos;
    do {
      digits[n++] = (char) ('a' + (v % 26));
      v /= 26;
    } while (v > 0);
    while (n > 0) {
      sb.append(digits[--n]);
    }
    return sb.append(" hello from the load test").toString();
  }

  /** The send time in the first stamped text at or after {@code from} in {@code frame}, or -1. */
  static long find(String frame, int from) {
    int i = frame.indexOf(MARK_PLAIN, from);
    int skip = MARK_PLAIN.length();
    int escaped = frame.indexOf(MARK_ESCAPED, from);
    if (escaped >= 0 && (i < 0 || escaped < i)) {
      i = escaped;
      skip = MARK_ESCAPED.length();
    }
    if (i < 0) {
      return -1;
    }
    i += skip;
    long v = 0;
    int start = i;
    while (i < frame.length()) {
      char c = frame.charAt(i);
      if (c < 'a' || c > 'z') {
        break;
      }
      v = v * 26 + (c - 'a');
      i++;
    }
    return i == start ? -1 : v;
  }

  /** The text field as it appears in a JSON frame, and inside a JSON string (SockJS's a[...] frames). */
  private static final String MARK_PLAIN = "\"text\":\"" + MARK;
  private static final String MARK_ESCAPED = "\\\"text\\\":\\\"" + MARK;
}
