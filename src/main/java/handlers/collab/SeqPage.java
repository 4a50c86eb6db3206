package handlers.collab;

import handlers.Inputs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One page of a meeting's ordered, gapless log (the whiteboard's operations, the shared notes'
 * updates): asked with {@code after} (0 and up) and {@code limit} (1 to the setting's maximum, 1000
 * or that maximum by default), answered as {@code {<field>: [...], lastSeq, more}}.
 */
record SeqPage(long after, int limit) {

  static SeqPage of(JsonObject body, int maxPage) {
    return new SeqPage(Inputs.longValue(body, "after", 0, 0, Long.MAX_VALUE),
      (int) Inputs.longValue(body, "limit", Math.min(1000, maxPage), 1, maxPage));
  }

  /** {@code items} (each with its {@code seq}) as this page's answer. */
  JsonObject answer(String field, JsonArray items) {
    return new JsonObject().put(field, items)
      .put("lastSeq", items.isEmpty() ? after : items.getJsonObject(items.size() - 1).getLong("seq"))
      .put("more", items.size() == limit);
  }
}
