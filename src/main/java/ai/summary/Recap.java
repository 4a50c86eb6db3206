package ai.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A meeting's recap. Every item keeps the moment it comes from ({@code at}, null when the provider
 * cannot tell) so that a reader, or a search hit, can open the recording there.
 *
 * @param provider who wrote it ("extractive", "azure")
 * @param units    what the provider metered for it ({@code unit}: "characters" or "tokens")
 */
public record Recap(List<Point> keyPoints, List<Point> decisions, List<ActionItem> actionItems, List<String> keywords,
                    String provider, String lang, double units, String unit) {

  /** A key point or a decision. */
  public record Point(String text, String speaker, Instant at) {
  }

  /**
   * Who does what by when. {@code due} is the phrase as said ("by Friday"), {@code dueDate} the day
   * it means (null when none was said or it cannot be told); {@code context} is the sentence a task
   * like "I'll fix it" refers to.
   */
  public record ActionItem(String owner, String task, String due, LocalDate dueDate, String context, String speaker,
                           Instant at, String source) {
  }

  public Recap {
    keyPoints = List.copyOf(keyPoints);
    decisions = List.copyOf(decisions);
    actionItems = List.copyOf(actionItems);
    keywords = List.copyOf(keywords);
  }

  public static Recap empty(String provider, String lang) {
    return new Recap(List.of(), List.of(), List.of(), List.of(), provider, lang, 0, "characters");
  }

  public boolean isEmpty() {
    return keyPoints.isEmpty() && decisions.isEmpty() && actionItems.isEmpty() && keywords.isEmpty();
  }

  /** Every text of the recap, one per line: what the search index holds for it. */
  public List<String> texts() {
    List<String> out = new ArrayList<>();
    keyPoints.forEach(p -> out.add(p.text()));
    decisions.forEach(p -> out.add(p.text()));
    actionItems.forEach(a -> out.add((a.owner() == null ? "" : a.owner() + ": ") + a.task()));
    return out;
  }

  public JsonObject toJson() {
    JsonArray actions = new JsonArray();
    for (ActionItem a : actionItems) {
      actions.add(new JsonObject().put("owner", a.owner()).put("task", a.task()).put("due", a.due())
        .put("dueDate", a.dueDate() == null ? null : a.dueDate().toString()).put("context", a.context())
        .put("speaker", a.speaker()).put("at", a.at() == null ? null : a.at().toString()).put("source", a.source()));
    }
    return new JsonObject().put("keyPoints", points(keyPoints)).put("decisions", points(decisions))
      .put("actionItems", actions).put("keywords", new JsonArray(new ArrayList<>(keywords)))
      .put("provider", provider).put("lang", lang);
  }

  private static JsonArray points(List<Point> points) {
    JsonArray out = new JsonArray();
    for (Point p : points) {
      out.add(new JsonObject().put("text", p.text()).put("speaker", p.speaker()).put("at", p.at() == null ? null : p.at().toString()));
    }
    return out;
  }

  /** The inverse of {@link #toJson()} (units are not stored). */
  public static Recap fromJson(JsonObject json) {
    List<ActionItem> actions = new ArrayList<>();
    for (Object o : json.getJsonArray("actionItems", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      actions.add(new ActionItem(a.getString("owner"), a.getString("task"), a.getString("due"),
        a.getString("dueDate") == null ? null : LocalDate.parse(a.getString("dueDate")), a.getString("context"),
        a.getString("speaker"), instant(a.getString("at")), a.getString("source")));
    }
    List<String> keywords = new ArrayList<>();
    json.getJsonArray("keywords", new JsonArray()).forEach(k -> keywords.add(String.valueOf(k)));
    return new Recap(points(json.getJsonArray("keyPoints")), points(json.getJsonArray("decisions")), actions, keywords,
      json.getString("provider"), json.getString("lang"), 0, "characters");
  }

  private static List<Point> points(JsonArray array) {
    List<Point> out = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        JsonObject p = (JsonObject) o;
        out.add(new Point(p.getString("text"), p.getString("speaker"), instant(p.getString("at"))));
      }
    }
    return out;
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
