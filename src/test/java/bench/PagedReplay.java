package bench;

import io.vertx.core.json.JsonObject;
import support.Api;

/** A client's replay of a seq-numbered history ({@code GET ...?after=SEQ&limit=}), page by page, timed. */
record PagedReplay(int items, int pages, double millis) {

  /** Pages through {@code path} (a meeting's {@code /whiteboard} or {@code /notes}) from seq 0 to the end. */
  static PagedReplay of(Api api, String path, String token, String itemsKey) {
    long r0 = System.nanoTime();
    long after = 0;
    int items = 0;
    int pages = 0;
    while (true) {
      JsonObject page = api.get(path + "?after=" + after + "&limit=5000", token).json();
      items += page.getJsonArray(itemsKey).size();
      after = page.getLong("lastSeq");
      pages++;
      if (!page.getBoolean("more")) {
        return new PagedReplay(items, pages, (System.nanoTime() - r0) / 1e6);
      }
    }
  }
}
