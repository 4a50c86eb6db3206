package ai.safety;

import common.ParleyException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tenant's moderation policy: what to do with personal data and, per toxic category, from which
 * severity to redact and from which to block. Parsed from the tenant config's {@code moderation} object:
 *
 * <pre>{@code
 * {"pii": "redact",                              // "allow" | "redact" | "block"
 *  "categories": {
 *    "hate":     {"redactAt": 2, "blockAt": 4},  // each threshold 0, 2, 4, 6, or null for never
 *    "violence": {"redactAt": 4, "blockAt": 6},
 *    "selfHarm": {"redactAt": 4, "blockAt": 6},
 *    "sexual":   {"redactAt": 2, "blockAt": 4},
 *    "insult":   {"redactAt": 2, "blockAt": 6}}}
 * }</pre>
 *
 * {@code pii} and each category are optional: what is missing takes the value shown, which is
 * {@link #defaults()}. Inside a category that is given, a threshold that is absent or {@code null}
 * means never ({@code {"insult": {"blockAt": 6}}} blocks high-severity insults and masks none);
 * the string {@code "never"} is accepted as a synonym. Severities are Azure's scale (0 safe, 2 low,
 * 4 medium, 6 high); a finding whose severity is at least {@code blockAt} blocks the whole text,
 * one at least {@code redactAt} is masked. Findings of severity 0 are never acted on, so a threshold
 * of 0 acts on any finding of its category, like 2. {@code redactAt} may not exceed {@code blockAt}.
 * Unknown fields are rejected, so that a typo is not silently ignored. {@link #toJson()} writes every
 * category with both thresholds, {@code null} for never.
 *
 * <p>Redaction: personal data is replaced by {@code [EMAIL]}, {@code [PHONE]}, {@code [CARD]},
 * {@code [SSN]}, {@code [IBAN]} or {@code [IP]}; toxic spans keep their length, every character
 * other than white space becoming {@code *} ("you idiot" becomes "*** *****"). Azure findings carry
 * no span and cover the whole text (or its 10,000-character chunk), so with Azure a redacted
 * category masks the whole text.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModerationPolicy {

  /** What to do with personal data. */
  public enum PiiAction { ALLOW, REDACT, BLOCK }

  /** A threshold that is never reached. */
  public static final int NEVER = Integer.MAX_VALUE;

  /** When a toxic category is masked and when it blocks; {@link #NEVER} for never. */
  public record Thresholds(int redactAt, int blockAt) {}

  private static final Set<String> FIELDS = Set.of("pii", "categories");
  private static final Set<String> THRESHOLD_FIELDS = Set.of("redactAt", "blockAt");

  private static final Map<ToxicCategory, Thresholds> DEFAULT_THRESHOLDS = Collections.unmodifiableMap(new EnumMap<>(Map.of(
    ToxicCategory.HATE, new Thresholds(2, 4),
    ToxicCategory.VIOLENCE, new Thresholds(4, 6),
    ToxicCategory.SELF_HARM, new Thresholds(4, 6),
    ToxicCategory.SEXUAL, new Thresholds(2, 4),
    ToxicCategory.INSULT, new Thresholds(2, 6))));

  private static final ModerationPolicy DEFAULTS = new ModerationPolicy(PiiAction.REDACT, DEFAULT_THRESHOLDS);

  private final PiiAction pii;
  private final Map<ToxicCategory, Thresholds> thresholds;

  private ModerationPolicy(PiiAction pii, Map<ToxicCategory, Thresholds> thresholds) {
    this.pii = pii;
    this.thresholds = Collections.unmodifiableMap(new EnumMap<>(thresholds));
  }

  /** Redact personal data; thresholds as in the class comment. */
  public static ModerationPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Parses and validates a policy; {@code null} gives {@link #defaults()}.
   *
   * @throws ParleyException 400 ({@code bad_request}) naming the offending field
   */
  public static ModerationPolicy parse(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ParleyException.badRequest("moderation: unknown field '" + field + "'; allowed: categories, pii");
      }
    }
    PiiAction pii = DEFAULTS.pii;
    Object piiValue = json.getValue("pii");
    if (piiValue != null) {
      pii = Arrays.stream(PiiAction.values()).filter(a -> a.name().toLowerCase(Locale.ROOT).equals(piiValue))
        .findFirst().orElseThrow(() -> ParleyException.badRequest("moderation.pii must be \"allow\", \"redact\" or \"block\""));
    }
    Map<ToxicCategory, Thresholds> thresholds = new EnumMap<>(DEFAULT_THRESHOLDS);
    Object categoriesValue = json.getValue("categories");
    if (categoriesValue != null) {
      if (!(categoriesValue instanceof JsonObject categories)) {
        throw ParleyException.badRequest("moderation.categories must be an object keyed by " + categoryKeys());
      }
      for (String key : categories.fieldNames()) {
        ToxicCategory category = Arrays.stream(ToxicCategory.values()).filter(c -> c.policyKey().equals(key)).findFirst()
          .orElseThrow(() -> ParleyException.badRequest("moderation.categories: unknown category '" + key + "'; allowed: " + categoryKeys()));
        thresholds.put(category, parseThresholds(key, categories.getValue(key)));
      }
    }
    return new ModerationPolicy(pii, thresholds);
  }

  /**
   * Validates a tenant's {@code moderation} object and returns it normalised (every field present):
   * fits {@code TenantConfig}'s moderation validator, {@code ModerationPolicy::normalise}.
   *
   * @throws ParleyException 400 naming the offending field
   */
  public static JsonObject normalise(JsonObject json) {
    return parse(json).toJson();
  }

  private static Thresholds parseThresholds(String key, Object value) {
    String path = "moderation.categories." + key;
    if (!(value instanceof JsonObject object)) {
      throw ParleyException.badRequest(path + " must be an object with redactAt and blockAt");
    }
    for (String field : object.fieldNames()) {
      if (!THRESHOLD_FIELDS.contains(field)) {
        throw ParleyException.badRequest(path + ": unknown field '" + field + "'; allowed: blockAt, redactAt");
      }
    }
    int redactAt = severity(path + ".redactAt", object.getValue("redactAt"));
    int blockAt = severity(path + ".blockAt", object.getValue("blockAt"));
    if (redactAt > blockAt && redactAt != NEVER) {
      throw ParleyException.badRequest(path + ": redactAt (" + redactAt + ") must not be above blockAt (" + (blockAt == NEVER ? "never" : blockAt) + ")");
    }
    return new Thresholds(redactAt, blockAt);
  }

  private static int severity(String path, Object value) {
    if (value == null || "never".equals(value)) {
      return NEVER;
    }
    if ((value instanceof Integer || value instanceof Long) && Set.of(0L, 2L, 4L, 6L).contains(((Number) value).longValue())) {
      return ((Number) value).intValue();
    }
    throw ParleyException.badRequest(path + " must be 0, 2, 4 or 6 (severity: 0 safe, 2 low, 4 medium, 6 high), or null for never");
  }

  private static String categoryKeys() {
    return Arrays.stream(ToxicCategory.values()).map(ToxicCategory::policyKey).sorted().collect(Collectors.joining(", "));
  }

  private static Integer label(int threshold) {
    return threshold == NEVER ? null : threshold;
  }

  public PiiAction pii() {
    return pii;
  }

  public Thresholds thresholds(ToxicCategory category) {
    return thresholds.get(category);
  }

  /** The normalised policy, every field present; {@code parse(p.toJson())} equals {@code p}. */
  public JsonObject toJson() {
    JsonObject categories = new JsonObject();
    for (ToxicCategory category : ToxicCategory.values()) {
      Thresholds t = thresholds.get(category);
      categories.put(category.policyKey(), new JsonObject().put("redactAt", label(t.redactAt())).put("blockAt", label(t.blockAt())));
    }
    return new JsonObject().put("pii", pii.name().toLowerCase(Locale.ROOT)).put("categories", categories);
  }

  /**
   * Applies the policy to a text and the report about it. BLOCK wins over REDACT, which wins over
   * ALLOW; see the class comment for how text is redacted.
   */
  public ModerationDecision decide(String input, SafetyReport report) {
    String text = input == null ? "" : input;
    Set<String> categories = new LinkedHashSet<>();
    List<String> reasons = new ArrayList<>();
    boolean block = false;
    char[] masked = text.toCharArray();
    List<PiiFinding> piiToReplace = new ArrayList<>();

    if (pii != PiiAction.ALLOW && !report.pii().isEmpty()) {
      report.pii().stream().filter(f -> f.end() <= text.length()).forEach(piiToReplace::add);
      for (PiiType type : report.piiTypes()) {
        categories.add(type.label());
      }
      if (pii == PiiAction.BLOCK) {
        block = true;
        reasons.add("personal data (" + report.piiTypes().stream().map(t -> t.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", ")) + ")");
      }
    }
    for (ToxicCategory category : ToxicCategory.values()) {
      Thresholds t = thresholds.get(category);
      int worst = 0;
      for (ToxicFinding f : report.toxic()) {
        if (f.category() != category || f.severity() == 0 || f.severity() < t.redactAt() && f.severity() < t.blockAt()) {
          continue;
        }
        worst = Math.max(worst, f.severity());
        for (int i = Math.max(0, f.start()); i < Math.min(f.end(), masked.length); i++) {
          if (!Character.isWhitespace(masked[i])) {
            masked[i] = '*';
          }
        }
      }
      if (worst > 0) {
        categories.add(category.label());
        if (worst >= t.blockAt()) {
          block = true;
          reasons.add(describe(category) + " (" + severityWord(worst) + " severity)");
        }
      }
    }
    if (categories.isEmpty()) {
      return ModerationDecision.allow(text);
    }
    String result = replacePii(new String(masked), piiToReplace);
    if (block) {
      return new ModerationDecision(ModerationDecision.Action.BLOCK, result, List.copyOf(categories),
        "contains " + String.join(" and ", reasons));
    }
    return new ModerationDecision(ModerationDecision.Action.REDACT, result, List.copyOf(categories), null);
  }

  /** Replaces PII spans right to left so that earlier offsets stay valid; overlapping spans are skipped. */
  private static String replacePii(String text, List<PiiFinding> findings) {
    if (findings.isEmpty()) {
      return text;
    }
    List<PiiFinding> sorted = new ArrayList<>(findings);
    sorted.sort((a, b) -> Integer.compare(b.start(), a.start()));
    StringBuilder sb = new StringBuilder(text);
    int limit = Integer.MAX_VALUE;
    for (PiiFinding f : sorted) {
      if (f.end() > limit) {
        continue;
      }
      sb.replace(f.start(), f.end(), f.type().placeholder());
      limit = f.start();
    }
    return sb.toString();
  }

  private static String describe(ToxicCategory category) {
    return switch (category) {
      case HATE -> "hate speech";
      case VIOLENCE -> "violent language";
      case SELF_HARM -> "self-harm content";
      case SEXUAL -> "sexual content";
      case INSULT -> "insults";
    };
  }

  private static String severityWord(int severity) {
    return severity >= 6 ? "high" : severity >= 4 ? "medium" : "low";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModerationPolicy other && pii == other.pii && thresholds.equals(other.thresholds);
  }

  @Override
  public int hashCode() {
    return 31 * pii.hashCode() + thresholds.hashCode();
  }

  @Override
  public String toString() {
    return "ModerationPolicy" + toJson().encode();
  }
}
