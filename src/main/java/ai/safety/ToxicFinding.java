package ai.safety;

import java.util.Objects;

/**
 * Toxic language of one {@code category} at {@code [start, end)} of the analysed text.
 *
 * <p>{@code severity} is on Azure's four-level scale: 0 safe, 2 low, 4 medium, 6 high. The built-in
 * detector reports the span of the offending words or phrase; Azure reports no spans, so its
 * findings cover the whole text (or the whole 10,000-character chunk it was sent in).
 */
public record ToxicFinding(ToxicCategory category, int severity, int start, int end) {

  public static final int SAFE = 0;
  public static final int LOW = 2;
  public static final int MEDIUM = 4;
  public static final int HIGH = 6;

  public ToxicFinding {
    Objects.requireNonNull(category, "category");
    if (severity != SAFE && severity != LOW && severity != MEDIUM && severity != HIGH) {
      throw new IllegalArgumentException("severity must be 0, 2, 4 or 6: " + severity);
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }
}
