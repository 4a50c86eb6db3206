package ai.safety;

import java.util.Objects;

/** Personal data of one {@code type} at {@code [start, end)} of the analysed text (UTF-16 offsets). */
public record PiiFinding(PiiType type, int start, int end) {

  public PiiFinding {
    Objects.requireNonNull(type, "type");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }
}
