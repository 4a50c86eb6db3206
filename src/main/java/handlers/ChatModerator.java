package handlers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * The one seam where chat meets content safety: called before a message is stored or published.
 * The answer is {@code {action: allow|redact|block, text, categories:[...], reason?}}; on
 * {@code block} nothing is stored or broadcast and the sender gets a 422 with the reason.
 */
public interface ChatModerator {

  Future<JsonObject> moderate(Identity sender, String text);

}
