package handlers.captions;

import ai.SupportedLanguages;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.languages.get}: {@code {}} -> what this server can caption and translate into:
 * {@code {captionProvider, translationProvider, translationAvailable, languages:[{code, name,
 * captions, translation:[{from, route, provider}]}]}}. Any signed-in caller.
 */
public final class ListLanguagesHandler extends RequestHandler {

  private final SupportedLanguages languages;

  public ListLanguagesHandler(SupportedLanguages languages) {
    this.languages = languages;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    return languages.describe();
  }
}
