package ai.safety;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What a {@link ai.ContentSafety} provider found in one text; both lists are sorted by start offset. */
public record SafetyReport(List<PiiFinding> pii, List<ToxicFinding> toxic) {

  public static final SafetyReport EMPTY = new SafetyReport(List.of(), List.of());

  public SafetyReport {
    pii = List.copyOf(pii);
    toxic = List.copyOf(toxic);
  }

  public boolean isClean() {
    return pii.isEmpty() && toxic.stream().allMatch(f -> f.severity() == ToxicFinding.SAFE);
  }

  /** The PII types present. */
  public Set<PiiType> piiTypes() {
    Set<PiiType> types = EnumSet.noneOf(PiiType.class);
    pii.forEach(f -> types.add(f.type()));
    return types;
  }

  /** The highest severity reported for {@code category}, 0 when none. */
  public int maxSeverity(ToxicCategory category) {
    return toxic.stream().filter(f -> f.category() == category).mapToInt(ToxicFinding::severity).max().orElse(0);
  }
}
