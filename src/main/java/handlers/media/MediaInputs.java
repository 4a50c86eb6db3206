package handlers.media;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks every {@code media.*} request goes through before anything is sent to Janus:
 * kinds, session descriptions (type, shape, size), connection ids, feed ids, candidates, layers.
 */
final class MediaInputs {

  /**
   * The meeting of an internal request ({@code {tenant, meetingId, ...}}) that the sender checked;
   * null when it is malformed, after failing {@code message} with 400 (or 404 for a malformed id).
   */
  static java.util.UUID internalMeeting(io.vertx.core.eventbus.Message<Object> message, String expected) {
    if (!(message.body() instanceof JsonObject body) || body.getString("tenant") == null) {
      message.fail(400, "expected " + expected);
      return null;
    }
    try {
      return handlers.Inputs.meetingId(body);
    } catch (ParleyException e) {
      message.fail(e.status(), e.getMessage());
      return null;
    }
  }

  private static final Pattern CONNECTION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  static final int MAX_FEEDS = 256;
  private static final int MAX_CANDIDATE_CHARS = 1024;

  private MediaInputs() {
  }

  static String kind(JsonObject body) {
    Object kind = body.getValue("kind");
    if (!(kind instanceof String k) || !SfuRoom.KINDS.contains(k)) {
      throw ParleyException.badRequest("kind must be camera or screen (one of each per person)");
    }
    return k;
  }

  /** {@code {type, sdp}} of the expected type, the SDP at most {@code maxSdpBytes} long. */
  static JsonObject jsep(JsonObject body, String type, int maxSdpBytes) {
    if (!(body.getValue("jsep") instanceof JsonObject jsep)) {
      throw ParleyException.badRequest("jsep must be an object {type: " + type + ", sdp}");
    }
    if (!type.equals(jsep.getValue("type"))) {
      throw ParleyException.badRequest("jsep.type must be " + type);
    }
    if (!(jsep.getValue("sdp") instanceof String sdp)) {
      throw ParleyException.badRequest("jsep.sdp must be a string");
    }
    if (sdp.length() > maxSdpBytes) {
      throw ParleyException.tooLarge("the session description is larger than " + maxSdpBytes + " characters");
    }
    if (!sdp.startsWith("v=0")) {
      throw ParleyException.badRequest("jsep.sdp is not a session description (it must start with v=0)");
    }
    return new JsonObject().put("type", type).put("sdp", sdp);
  }

  static String connection(JsonObject body) {
    Object value = body.getValue("connection");
    if (!(value instanceof String s) || !CONNECTION.matcher(s).matches()) {
      throw ParleyException.badRequest("connection must be the id of one of your media connections");
    }
    return s;
  }

  /** The requested feed ids, or null when the field is absent (all feeds). */
  static List<Long> feeds(JsonObject body) {
    Object value = body.getValue("feeds");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw ParleyException.badRequest("feeds must be a list of feed ids");
    }
    if (array.size() > MAX_FEEDS) {
      throw ParleyException.tooLarge("at most " + MAX_FEEDS + " feeds");
    }
    List<Long> ids = new ArrayList<>();
    for (Object o : array) {
      ids.add(feedId(o));
    }
    return ids;
  }

  private static long feedId(Object o) {
    if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() > 0 && n.longValue() < (1L << 53)) {
      return n.longValue();
    }
    throw ParleyException.badRequest("a feed id is a positive whole number, not " + o);
  }

  /** A trickled candidate {@code {candidate, sdpMid?, sdpMLineIndex?}}, or null for {@code completed: true}. */
  static JsonObject candidate(JsonObject body) {
    if (Boolean.TRUE.equals(body.getValue("completed"))) {
      return null;
    }
    if (!(body.getValue("candidate") instanceof JsonObject c)) {
      throw ParleyException.badRequest("candidate must be an object {candidate, sdpMid, sdpMLineIndex}, or completed: true");
    }
    if (!(c.getValue("candidate") instanceof String text)) {
      throw ParleyException.badRequest("candidate.candidate must be a string");
    }
    if (text.length() > MAX_CANDIDATE_CHARS) {
      throw ParleyException.tooLarge("candidate longer than " + MAX_CANDIDATE_CHARS + " characters");
    }
    JsonObject out = new JsonObject().put("candidate", text);
    Object mid = c.getValue("sdpMid");
    if (mid != null) {
      if (!(mid instanceof String m) || m.length() > 64) {
        throw ParleyException.badRequest("candidate.sdpMid must be a short string");
      }
      out.put("sdpMid", m);
    }
    Object index = c.getValue("sdpMLineIndex");
    if (index != null) {
      if (!(index instanceof Number n) || n.intValue() < 0 || n.intValue() > 1024 || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw ParleyException.badRequest("candidate.sdpMLineIndex must be a whole number from 0");
      }
      out.put("sdpMLineIndex", n.intValue());
    }
    return out;
  }

  static Boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      throw ParleyException.badRequest(field + " must be true or false");
    }
    return b;
  }

  /** {@code [{feedId, substream: 0-2, temporal?: 0-2}]}, or null when absent. */
  static JsonArray layers(JsonObject body) {
    Object value = body.getValue("layers");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw ParleyException.badRequest("layers must be a list of {feedId, substream}");
    }
    if (array.size() > MAX_FEEDS) {
      throw ParleyException.tooLarge("at most " + MAX_FEEDS + " layers");
    }
    JsonArray out = new JsonArray();
    for (Object o : array) {
      if (!(o instanceof JsonObject layer)) {
        throw ParleyException.badRequest("each layer is {feedId, substream}");
      }
      JsonObject clean = new JsonObject().put("feedId", feedId(layer.getValue("feedId")))
        .put("substream", small(layer.getValue("substream"), "substream"));
      if (layer.getValue("temporal") != null) {
        clean.put("temporal", small(layer.getValue("temporal"), "temporal"));
      }
      out.add(clean);
    }
    return out;
  }

  private static int small(Object value, String field) {
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0 && n.intValue() <= 2) {
      return n.intValue();
    }
    throw ParleyException.badRequest(field + " must be 0, 1 or 2 (lowest to highest)");
  }

  /** A duration the page measured, in ms (0 to 10 minutes), or null when absent. */
  static Long millis(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 600_000) {
      return n.longValue();
    }
    throw ParleyException.badRequest(field + " must be a number of milliseconds from 0 to 600000");
  }
}
