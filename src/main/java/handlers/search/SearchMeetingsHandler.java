package handlers.search;

import common.ParleyException;
import data.SearchRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.search}: {@code {q, limit?, cursor?}} -> hits in the caller's tenant's transcripts,
 * chat and recaps, best first: only meetings the caller took part in, every meeting for a tenant
 * admin, never another tenant's. {@code q} over {@code search.maxQueryLength} characters is 413, an
 * empty one 400; any other text is read as plain words, quoted phrases, {@code or} and
 * {@code -word} ({@code websearch_to_tsquery}), so operators and odd characters never fail a query,
 * and control characters count as spaces (NUL, like everywhere, is refused by {@link RequestHandler}). {@code cursor} is the {@code nextCursor}
 * of the page before.
 */
public final class SearchMeetingsHandler extends RequestHandler {

  static final int MAX_OFFSET = 10_000;

  private final SearchRepository search;
  private final int maxQueryLength;
  private final int defaultLimit;
  private final int maxLimit;

  public SearchMeetingsHandler(SearchRepository search, int maxQueryLength, int defaultLimit, int maxLimit) {
    this.search = search;
    this.maxQueryLength = maxQueryLength;
    this.defaultLimit = defaultLimit;
    this.maxLimit = maxLimit;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    String q = Inputs.requiredString(body, "q", maxQueryLength);
    int limit = (int) Inputs.longValue(body, "limit", defaultLimit, 1, maxLimit);
    int offset = offset(body.getValue("cursor"));
    String words = plain(q);
    if (words.isEmpty()) {
      return Future.succeededFuture(page(q, new JsonArray(), null));
    }
    return search.search(caller.tenant(), caller.userId(), caller.isAdmin(), words, limit + 1, offset).map(hits -> {
      String next = null;
      if (hits.size() > limit) {
        hits.remove(limit);
        next = offset + limit > MAX_OFFSET ? null : String.valueOf(offset + limit);
      }
      return page(q, hits, next);
    });
  }

  private static JsonObject page(String q, JsonArray hits, String next) {
    return new JsonObject().put("query", q).put("items", hits).put("nextCursor", next);
  }

  /** Control characters become spaces. */
  static String plain(String q) {
    return q.replaceAll("[\\p{Cntrl}\\p{Cs}]", " ").replaceAll("\\s+", " ").strip();
  }

  private static int offset(Object cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(String.valueOf(cursor).strip());
      if (offset < 0 || offset > MAX_OFFSET) {
        throw new NumberFormatException();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw ParleyException.badRequest("cursor is not one this server issued");
    }
  }
}
