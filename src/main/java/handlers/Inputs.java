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
    Object value = body.getValue("meetingId");
    if (value == null) {
      throw ParleyException.badRequest("meetingId is required");
    }
    if (!(value instanceof String s)) {
      throw ParleyException.badRequest("meetingId must be a string");
    }
    try {
      UUID id = UUID.fromString(s);
      if (!id.toString().equals(s.toLowerCase())) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ParleyException.notFound("meeting not found");
    }
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
