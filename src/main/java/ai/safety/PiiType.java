package ai.safety;

/** Kinds of personal data the detectors find; {@link #label()} is the moderation category. */
public enum PiiType {
  EMAIL, PHONE, CARD, SSN, IBAN, IP;

  /** {@code pii.email}, {@code pii.phone}, ... as listed in moderation results and metrics. */
  public String label() {
    return "pii." + name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The placeholder that replaces a redacted value: {@code [EMAIL]}, {@code [PHONE]}, ... */
  public String placeholder() {
    return "[" + name() + "]";
  }
}
