package ai.safety;

import java.util.List;

/** What a safety provider found: PII spans and toxic spans (half-open character ranges). */
public record SafetyReport(List<PiiFinding> pii, List<ToxicFinding> toxic) {

  public SafetyReport {
    pii = List.copyOf(pii);
    toxic = List.copyOf(toxic);
  }

  /** Personal data found in {@code [start, end)}. */
  public record PiiFinding(PiiType type, int start, int end) {
  }

  /** Toxic language in {@code [start, end)} with a severity on Azure's 0/2/4/6 scale. */
  public record ToxicFinding(ToxicCategory category, int severity, int start, int end) {
  }

  public enum PiiType {
    EMAIL, PHONE, CARD, SSN, IBAN, IP;

    public String label() {
      return "pii." + name().toLowerCase();
    }
  }

  public enum ToxicCategory {
    HATE("hate"), VIOLENCE("violence"), SELF_HARM("selfHarm"), SEXUAL("sexual"), INSULT("insult");

    private final String key;

    ToxicCategory(String key) {
      this.key = key;
    }

    /** The policy key and the category label in moderation results. */
    public String key() {
      return key;
    }
  }
}
