package data;

import io.vertx.sqlclient.Pool;

/**
 * The database pools: {@code write} on the primary; {@code read} on the replicas named by
 * {@code db.readUrls} (or the primary when there are none). Only list and dashboard views use
 * {@code read}; anything that must see its own writes (chat replay, membership) uses {@code write}.
 */
public record Db(Pool write, Pool read) {
}
