package handlers.captions;

import ai.SupportedLanguages;
import common.Languages;
import data.PresenceStore;
import data.TenantRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import handlers.tenant.TenantConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.TreeSet;
import java.util.UUID;

/**
 * {@code captions.language}: {@code {meetingId, lang}} adds a caption translation target for the
 * meeting; the reply lists every target (those chosen in the meeting and the tenant's defaults).
 * A language this server cannot caption or translate into is a 400 listing those it can.
 */
public final class ChooseCaptionLanguageHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PresenceStore presence;
  private final TenantRepository tenants;
  private final TenantConfig tenantConfig;
  private final SupportedLanguages languages;

  public ChooseCaptionLanguageHandler(MeetingAccess access, PresenceStore presence, TenantRepository tenants,
                                      TenantConfig tenantConfig, SupportedLanguages languages) {
    this.languages = languages;
    this.access = access;
    this.presence = presence;
    this.tenants = tenants;
    this.tenantConfig = tenantConfig;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String requested = Inputs.requiredString(body, "lang", 35);
    String lang = Languages.normalise(requested);
    return access.requirePresent(caller, id)
      .compose(m -> languages.requireCaptionLanguage(requested))
      .compose(v -> presence.addCaptionLanguage(caller.tenant(), id, lang))
      .compose(chosen -> tenants.config(caller.tenant()).map(stored -> {
        TreeSet<String> all = new TreeSet<>(chosen);
        tenantConfig.effective(stored).getJsonArray("languages").forEach(l -> all.add(String.valueOf(l)));
        return new JsonObject().put("languages", new JsonArray(all.stream().toList()));
      }));
  }
}
