package ai.safety;

import ai.safety.SafetyReport.PiiFinding;
import ai.safety.SafetyReport.ToxicCategory;
import ai.safety.SafetyReport.ToxicFinding;
import common.ParleyException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's moderation policy (its config's {@code moderation} object):
 * <pre>{@code
 * {"pii": "redact",                                   // allow | redact | block
 *  "categories": {
 *    "hate":     {"redactAt": 2, "blockAt": 4},        // severities 0, 2, 4 or 6; null = never
 *    "violence": {"redactAt": 2, "blockAt": 4},
 *    "selfHarm": {"redactAt": 6, "blockAt": null},
 *    "sexual":   {"redactAt": 2, "blockAt": 6},
 *    "insult":   {"redactAt": 2, "blockAt": 6}}}
 * }</pre>
 * Missing entries take these defaults. The strictest applicable action wins: block (nothing stored
 * or broadcast), redact (PII replaced by {@code [EMAIL]}, {@code [PHONE]}..., toxic spans by
 * asterisks), or allow.
 */
public final class ModerationPolicy {

  private static final Set<String> PII_ACTIONS = Set.of("allow", "redact", "block");

  /** Severity thresholds of one category; null means never. */
  public record Thresholds(Integer redactAt, Integer blockAt) {
  }

  private final String pii;
  private final Map<ToxicCategory, Thresholds> categories;

  private ModerationPolicy(String pii, Map<ToxicCategory, Thresholds> categories) {
    this.pii = pii;
    this.categories = categories;
  }

  public static ModerationPolicy defaults() {
    Map<ToxicCategory, Thresholds> c = new EnumMap<>(ToxicCategory.class);
    c.put(ToxicCategory.HATE, new Thresholds(2, 4));
    c.put(ToxicCategory.VIOLENCE, new Thresholds(2, 4));
    c.put(ToxicCategory.SELF_HARM, new Thresholds(6, null));
    c.put(ToxicCategory.SEXUAL, new Thresholds(2, 6));
    c.put(ToxicCategory.INSULT, new Thresholds(2, 6));
    return new ModerationPolicy("redact", c);
  }

  /** @throws ParleyException 400 naming the offending field */
  public static ModerationPolicy parse(JsonObject json) {
    ModerationPolicy base = defaults();
    Object piiValue = json.getValue("pii");
    String piiAction = base.pii;
    if (piiValue != null) {
      if (!(piiValue instanceof String s) || !PII_ACTIONS.contains(s)) {
        throw ParleyException.badRequest("moderation.pii must be allow, redact or block");
      }
      piiAction = s;
    }
    Map<ToxicCategory, Thresholds> categories = new EnumMap<>(base.categories);
    Object categoriesValue = json.getValue("categories");
    if (categoriesValue != null && !(categoriesValue instanceof JsonObject)) {
      throw ParleyException.badRequest("moderation.categories must be an object");
    }
    JsonObject given = categoriesValue == null ? new JsonObject() : (JsonObject) categoriesValue;
    for (String key : given.fieldNames()) {
      ToxicCategory category = null;
      for (ToxicCategory c : ToxicCategory.values()) {
        if (c.key().equals(key)) {
          category = c;
        }
      }
      if (category == null) {
        throw ParleyException.badRequest("moderation.categories." + key + " is not a category; use hate, violence, selfHarm, sexual or insult");
      }
      if (!(given.getValue(key) instanceof JsonObject t)) {
        throw ParleyException.badRequest("moderation.categories." + key + " must be an object with redactAt and blockAt");
      }
      Thresholds previous = categories.get(category);
      categories.put(category, new Thresholds(
        threshold(t, "redactAt", key, previous.redactAt()), threshold(t, "blockAt", key, previous.blockAt())));
    }
    return new ModerationPolicy(piiAction, categories);
  }

  private static Integer threshold(JsonObject t, String field, String category, Integer fallback) {
    if (!t.containsKey(field)) {
      return fallback;
    }
    Object v = t.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer i) || (i != 0 && i != 2 && i != 4 && i != 6)) {
      throw ParleyException.badRequest("moderation.categories." + category + "." + field + " must be 0, 2, 4, 6 or null");
    }
    return i;
  }

  public JsonObject toJson() {
    JsonObject c = new JsonObject();
    categories.forEach((category, t) -> c.put(category.key(),
      new JsonObject().put("redactAt", t.redactAt()).put("blockAt", t.blockAt())));
    return new JsonObject().put("pii", pii).put("categories", c);
  }

  public ModerationDecision decide(String text, SafetyReport report) {
    Set<String> hit = new LinkedHashSet<>();
    List<int[]> spans = new ArrayList<>();
    List<String> replacements = new ArrayList<>();
    boolean block = false;
    boolean redact = false;
    String reason = null;
    for (PiiFinding f : report.pii()) {
      hit.add(f.type().label());
      if ("block".equals(pii)) {
        block = true;
        reason = reason != null ? reason : "it contains personal data (" + f.type().name().toLowerCase() + ")";
      } else if ("redact".equals(pii)) {
        redact = true;
        spans.add(new int[]{f.start(), f.end()});
        replacements.add("[" + f.type().name() + "]");
      }
    }
    for (ToxicFinding f : report.toxic()) {
      hit.add(f.category().key());
      Thresholds t = categories.get(f.category());
      if (t.blockAt() != null && f.severity() >= t.blockAt()) {
        block = true;
        reason = reason != null ? reason : "it contains " + describe(f.category());
      } else if (t.redactAt() != null && f.severity() >= t.redactAt()) {
        redact = true;
        spans.add(new int[]{f.start(), f.end()});
        replacements.add(null);
      }
    }
    String action = block ? "block" : redact ? "redact" : "allow";
    String out = block ? text : redact ? apply(text, spans, replacements) : text;
    return new ModerationDecision(action, out, List.copyOf(hit), block ? reason : null);
  }

  private static String describe(ToxicCategory c) {
    return switch (c) {
      case HATE -> "hateful language";
      case VIOLENCE -> "a threat of violence";
      case SELF_HARM -> "self-harm content";
      case SEXUAL -> "sexual content";
      case INSULT -> "insulting language";
    };
  }

  /** Replaces spans right to left; overlapping spans merge, a PII label wins over asterisks. */
  private static String apply(String text, List<int[]> spans, List<String> replacements) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Integer.compare(spans.get(a)[0], spans.get(b)[0]));
    StringBuilder sb = new StringBuilder();
    int cursor = 0;
    int i = 0;
    while (i < order.size()) {
      int start = spans.get(order.get(i))[0];
      int end = spans.get(order.get(i))[1];
      String label = replacements.get(order.get(i));
      int j = i + 1;
      while (j < order.size() && spans.get(order.get(j))[0] < end) {
        end = Math.max(end, spans.get(order.get(j))[1]);
        if (label == null) {
          label = replacements.get(order.get(j));
        }
        j++;
      }
      start = Math.max(start, cursor);
      sb.append(text, cursor, start);
      sb.append(label != null ? label : "*".repeat(Math.max(0, end - start)));
      cursor = Math.max(cursor, end);
      i = j;
    }
    sb.append(text.substring(Math.min(cursor, text.length())));
    return sb.toString();
  }
}
