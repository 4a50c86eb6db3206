package ai.safety;

/**
 * Toxic-language categories. The first four are Azure AI Content Safety's; {@code INSULT} is
 * always found by the built-in detector.
 */
public enum ToxicCategory {
  HATE("hate", "hate"),
  VIOLENCE("violence", "violence"),
  SELF_HARM("self_harm", "selfHarm"),
  SEXUAL("sexual", "sexual"),
  INSULT("insult", "insult");

  private final String label;
  private final String policyKey;

  ToxicCategory(String label, String policyKey) {
    this.label = label;
    this.policyKey = policyKey;
  }

  /** The moderation category label: {@code hate}, {@code violence}, {@code self_harm}, {@code sexual}, {@code insult}. */
  public String label() {
    return label;
  }

  /** The key under {@code moderation.categories} in the tenant config: {@code selfHarm} for SELF_HARM. */
  public String policyKey() {
    return policyKey;
  }
}
