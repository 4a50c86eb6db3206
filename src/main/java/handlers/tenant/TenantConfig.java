package handlers.tenant;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A tenant's configuration: caption languages, days per storage tier, moderation policy, AI
 * budget and upload size limits. Stored as JSON; what is not stored comes from the server's {@code tenantDefaults}.
 *
 * <pre>{@code
 * {"languages": ["en", "es"],
 *  "retention": {"hotDays": 30, "coolDays": 90, "retentionDays": 365},
 *  "moderation": {...policy...},
 *  "aiBudgetUsd": 100,
 *  "aiBudgetAction": "soft",
 *  "uploads": {"maxRecordingBytes": 4294967296, "maxFileBytes": 104857600},
 *  "serverCaptions": true}
 * }</pre>
 * {@code serverCaptions}: in SFU meetings the server captions everyone who speaks.
 * {@code aiBudgetUsd}: the monthly AI budget (0: none); {@code aiBudgetAction}: what happens when
 * this month's AI cost reaches it: {@code soft} (translation pauses, captions continue on the local
 * engine) or {@code hard} (AI pauses).
 * {@code hotDays}: age at which blobs move to cool; {@code coolDays}: to archive;
 * {@code retentionDays}: deleted. They must not decrease in that order.
 */
public final class TenantConfig {

  private static final Set<String> FIELDS = Set.of("languages", "retention", "moderation", "aiBudgetUsd", "aiBudgetAction",
    "uploads", "serverCaptions");

  private final JsonObject defaults;
  private final UnaryOperator<JsonObject> moderationValidator;

  /**
   * @param moderationValidator checks a moderation policy and returns it normalised, or throws a
   *                            400 {@link ParleyException} saying what is wrong
   */
  public TenantConfig(JsonObject defaults, UnaryOperator<JsonObject> moderationValidator) {
    this.defaults = defaults;
    this.moderationValidator = moderationValidator;
  }

  /** The effective configuration: stored values over the defaults. */
  public JsonObject effective(JsonObject stored) {
    JsonObject out = defaults.copy();
    stored.forEach(e -> {
      if (FIELDS.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  /** Validates a full replacement; missing fields take the defaults. */
  public JsonObject validate(JsonObject input) {
    for (String field : input.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ParleyException.badRequest("unknown field '" + field + "'; allowed: " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    JsonObject config = effective(input);
    Object languages = config.getValue("languages");
    if (!(languages instanceof JsonArray list) || list.isEmpty() || list.size() > 20) {
      throw ParleyException.badRequest("languages must be a list of 1 to 20 language codes");
    }
    JsonArray normalised = new JsonArray();
    for (Object lang : list) {
      if (!(lang instanceof String code)) {
        throw ParleyException.badRequest("languages: '" + lang + "' is not a language code");
      }
      String primary;
      try {
        primary = common.Languages.normalise(code);
      } catch (ParleyException e) {
        throw ParleyException.badRequest("languages: " + e.getMessage());
      }
      if (!normalised.contains(primary)) {
        normalised.add(primary);
      }
    }
    config.put("languages", normalised);
    if (!(config.getValue("retention") instanceof JsonObject retention)) {
      throw ParleyException.badRequest("retention must be an object with hotDays, coolDays and retentionDays");
    }
    long hot = days(retention, "hotDays");
    long cool = days(retention, "coolDays");
    long keep = days(retention, "retentionDays");
    if (!(hot <= cool && cool <= keep)) {
      throw ParleyException.badRequest("retention days must satisfy hotDays <= coolDays <= retentionDays");
    }
    config.put("retention", new JsonObject().put("hotDays", hot).put("coolDays", cool).put("retentionDays", keep));
    if (!(config.getValue("moderation") instanceof JsonObject moderation)) {
      throw ParleyException.badRequest("moderation must be an object");
    }
    config.put("moderation", moderationValidator.apply(moderation));
    if (!(config.getValue("aiBudgetUsd") instanceof Number budget) || budget.doubleValue() < 0
      || budget.doubleValue() > 1_000_000_000d || Double.isNaN(budget.doubleValue())) {
      throw ParleyException.badRequest("aiBudgetUsd must be a number between 0 and 1000000000");
    }
    if (!"soft".equals(config.getValue("aiBudgetAction")) && !"hard".equals(config.getValue("aiBudgetAction"))) {
      throw ParleyException.badRequest("aiBudgetAction must be soft (translation pauses, captions continue on the local engine) "
        + "or hard (AI pauses)");
    }
    if (!(config.getValue("uploads") instanceof JsonObject uploads)) {
      throw ParleyException.badRequest("uploads must be an object with maxRecordingBytes and maxFileBytes");
    }
    for (String field : uploads.fieldNames()) {
      if (!field.equals("maxRecordingBytes") && !field.equals("maxFileBytes")) {
        throw ParleyException.badRequest("uploads: unknown field '" + field + "'; allowed: maxFileBytes, maxRecordingBytes");
      }
    }
    JsonObject defaultUploads = defaults.getJsonObject("uploads", new JsonObject());
    config.put("uploads", new JsonObject()
      .put("maxRecordingBytes", bytes(uploads, defaultUploads, "maxRecordingBytes"))
      .put("maxFileBytes", bytes(uploads, defaultUploads, "maxFileBytes")));
    if (!(config.getValue("serverCaptions", Boolean.TRUE) instanceof Boolean)) {
      throw ParleyException.badRequest("serverCaptions must be true or false");
    }
    return config;
  }

  private static long bytes(JsonObject uploads, JsonObject defaults, String field) {
    Object value = uploads.containsKey(field) ? uploads.getValue(field) : defaults.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
      || ((Number) value).longValue() > 1L << 40) {
      throw ParleyException.badRequest("uploads." + field + " must be a whole number of bytes from 1 to 1099511627776 (1 TiB)");
    }
    return ((Number) value).longValue();
  }

  private static long days(JsonObject retention, String field) {
    Object value = retention.getValue(field);
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
      || ((Number) value).longValue() > 36_500) {
      throw ParleyException.badRequest("retention." + field + " must be a whole number of days from 1 to 36500");
    }
    return ((Number) value).longValue();
  }
}
