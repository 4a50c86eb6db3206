package handlers;

import common.ParleyException;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Field readers for request bodies that come from HTTP (query values arrive as strings) or from
 * the bridge (any JSON). Each throws a 400 {@link ParleyException} naming the field.
 */
public final class Inputs {

  private Inputs() {
  }

  /** A meeting id: missing or malformed ids are 404, since no such meeting can exist. */
  public static UUID meetingId(JsonObject body) {
    return id(body, "meetingId", "meeting not found");
  }

  /**
   * A canonical UUID in {@code field}: missing or not a string is 400, malformed is 404 with
   * {@code notFound} (no such thing can exist).
   */
  public static UUID id(JsonObject body, String field, String notFound) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ParleyException.badRequest(field + " is required");
    }
    if (!(value instanceof String s)) {
      throw ParleyException.badRequest(field + " must be a string");
    }
    try {
      UUID id = UUID.fromString(s);
      if (!id.toString().equals(s.toLowerCase())) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ParleyException.notFound(notFound);
    }
  }

  /**
   * A person's id from a path ({@code userId}): ids are opaque strings from the identity provider,
   * so one that no provider could issue (over 200 characters, control characters) is 404 like an
   * unknown one.
   */
  public static String personId(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ParleyException.badRequest(field + " is required");
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw ParleyException.badRequest(field + " must be a string");
    }
    if (s.length() > 200 || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ParleyException.notFound("no such participant");
    }
    return s;
  }

  /** An optional true/false field: null when absent. */
  public static Boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw ParleyException.badRequest(field + " must be true or false");
    }
    return b;
  }

  public static String requiredString(JsonObject body, String field, int maxLength) {
    String value = optionalString(body, field, maxLength);
    if (value == null || value.isBlank()) {
      throw ParleyException.badRequest(field + " is required");
    }
    return value;
  }

  public static String optionalString(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw ParleyException.badRequest(field + " must be a string");
    }
    if (s.length() > maxLength) {
      throw new ParleyException(413, "too_large", field + " is longer than " + maxLength + " characters");
    }
    return s;
  }

  /**
   * Refuses text that PostgreSQL cannot store (U+0000, in {@code text} and {@code jsonb} alike) or
   * that would be silently altered on the way (an unpaired UTF-16 surrogate), in every string and
   * key of {@code body}: a 400 naming the field, before anything reaches the database.
   */
  public static void requireStorable(JsonObject body) {
    storable(body, "");
  }

  /** As {@link #requireStorable(JsonObject)}, for one string. */
  public static void requireStorable(String field, String value) {
    int bad = unstorableAt(value);
    if (bad >= 0) {
      throw ParleyException.badRequest(field + " contains a character that cannot be stored (U+"
        + String.format("%04X", (int) value.charAt(bad)) + " at position " + bad + ")");
    }
  }

  private static void storable(Object value, String path) {
    if (value instanceof String s) {
      requireStorable(path.isEmpty() ? "value" : path, s);
    } else if (value instanceof JsonObject object) {
      for (java.util.Map.Entry<String, Object> entry : object) {
        String field = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
        requireStorable(path.isEmpty() ? "a field name" : "a field name in " + path, entry.getKey());
        storable(entry.getValue(), field);
      }
    } else if (value instanceof io.vertx.core.json.JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        storable(array.getValue(i), path + "[" + i + "]");
      }
    }
  }

  /** The index of the first character PostgreSQL cannot store as sent, or -1. */
  static int unstorableAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  public static long longValue(JsonObject body, String field, long defaultValue, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    if (value instanceof Number n && (value instanceof Integer || value instanceof Long || n.doubleValue() == Math.rint(n.doubleValue()))) {
      parsed = n.longValue();
    } else if (value instanceof String s) {
      try {
        parsed = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw ParleyException.badRequest(field + " must be an integer");
      }
    } else {
      throw ParleyException.badRequest(field + " must be an integer");
    }
    if (parsed < min || parsed > max) {
      throw ParleyException.badRequest(field + " must be between " + min + " and " + max);
    }
    return parsed;
  }

  public static boolean requiredBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof Boolean b)) {
      throw ParleyException.badRequest(field + " must be true or false");
    }
    return b;
  }

  public static OffsetDateTime optionalTimestamp(JsonObject body, String field) {
    String value = optionalString(body, field, 64);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ParleyException.badRequest(field + " must be an ISO-8601 timestamp with offset, e.g. 2026-01-31T09:00:00Z");
    }
  }
}
