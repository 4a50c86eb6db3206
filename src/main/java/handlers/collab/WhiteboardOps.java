package handlers.collab;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whiteboard's operations as clients send them, checked and normalised into what is stored
 * (only the known fields, coordinates rounded to a tenth of a board unit). The board is
 * {@code width} x {@code height} units; x grows to the right, y downwards.
 * <ul>
 *   <li>{@code stroke {points: [x0, y0, x1, y1, ...], color, width}}: a freehand line, at most {@code maxPoints} points (413 above);</li>
 *   <li>{@code shape {shape: rect|ellipse|line|arrow, x1, y1, x2, y2, color, width, fill?}};</li>
 *   <li>{@code text {x, y, text, color, size}}: at most {@code maxTextLength} characters (413 above);</li>
 *   <li>{@code erase {target: seq}}: takes one stroke, shape or text away;</li>
 *   <li>{@code clear}: empties the board (host or co-host);</li>
 *   <li>{@code undo}: takes away the sender's own latest stroke, shape or text (the server names its {@code target}).</li>
 * </ul>
 */
final class WhiteboardOps {

  /** The {@code collab.whiteboard} settings. */
  record Limits(int width, int height, int maxPoints, int maxTextLength) {
  }

  static final Set<String> DRAWN = Set.of("stroke", "shape", "text");
  private static final Set<String> SHAPES = Set.of("rect", "ellipse", "line", "arrow");
  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  private WhiteboardOps() {
  }

  /** The operation to store for {@code op}; undo comes back without its target, which the caller adds. */
  static JsonObject normalise(Object raw, Limits limits) {
    if (!(raw instanceof JsonObject op)) {
      throw ParleyException.badRequest("op must be a JSON object");
    }
    String type = op.getValue("type") instanceof String s ? s : "";
    return switch (type) {
      case "stroke" -> stroke(op, limits);
      case "shape" -> new JsonObject().put("type", "shape").put("shape", shape(op))
        .put("x1", x(op, "x1", limits)).put("y1", y(op, "y1", limits)).put("x2", x(op, "x2", limits)).put("y2", y(op, "y2", limits))
        .put("color", color(op, "color", false)).put("width", number(op, "width", 1, 64)).put("fill", color(op, "fill", true));
      case "text" -> new JsonObject().put("type", "text").put("x", x(op, "x", limits)).put("y", y(op, "y", limits))
        .put("text", text(op, limits)).put("color", color(op, "color", false)).put("size", number(op, "size", 6, 200));
      case "erase" -> new JsonObject().put("type", "erase").put("target", (long) number(op, "target", 1, Long.MAX_VALUE));
      case "clear" -> new JsonObject().put("type", "clear");
      case "undo" -> new JsonObject().put("type", "undo");
      default -> throw ParleyException.badRequest("op.type must be stroke, shape, text, erase, clear or undo");
    };
  }

  private static JsonObject stroke(JsonObject op, Limits limits) {
    if (!(op.getValue("points") instanceof JsonArray points) || points.isEmpty() || points.size() % 2 != 0) {
      throw ParleyException.badRequest("op.points must be a non-empty array of x, y pairs");
    }
    if (points.size() / 2 > limits.maxPoints()) {
      throw ParleyException.tooLarge("a stroke has at most " + limits.maxPoints() + " points");
    }
    JsonArray rounded = new JsonArray();
    for (int i = 0; i < points.size(); i++) {
      if (!(points.getValue(i) instanceof Number n)) {
        throw ParleyException.badRequest("op.points must hold numbers");
      }
      rounded.add(coordinate(n.doubleValue(), i % 2 == 0 ? limits.width() : limits.height(), "op.points"));
    }
    return new JsonObject().put("type", "stroke").put("points", rounded).put("color", color(op, "color", false))
      .put("width", number(op, "width", 1, 64));
  }

  private static String shape(JsonObject op) {
    if (!(op.getValue("shape") instanceof String s) || !SHAPES.contains(s)) {
      throw ParleyException.badRequest("op.shape must be rect, ellipse, line or arrow");
    }
    return s;
  }

  private static String text(JsonObject op, Limits limits) {
    if (!(op.getValue("text") instanceof String s) || s.isBlank()) {
      throw ParleyException.badRequest("op.text must be a non-empty string");
    }
    if (s.length() > limits.maxTextLength()) {
      throw ParleyException.tooLarge("op.text is longer than " + limits.maxTextLength() + " characters");
    }
    return s;
  }

  private static String color(JsonObject op, String field, boolean optional) {
    Object value = op.getValue(field);
    if (value == null && optional) {
      return null;
    }
    if (!(value instanceof String s) || !COLOR.matcher(s).matches()) {
      throw ParleyException.badRequest("op." + field + " must be a colour like #1a2b3c");
    }
    return s.toLowerCase();
  }

  private static double x(JsonObject op, String field, Limits limits) {
    return coordinate(number(op, field, -Double.MAX_VALUE, Double.MAX_VALUE), limits.width(), "op." + field);
  }

  private static double y(JsonObject op, String field, Limits limits) {
    return coordinate(number(op, field, -Double.MAX_VALUE, Double.MAX_VALUE), limits.height(), "op." + field);
  }

  private static double coordinate(double value, int max, String what) {
    if (value < 0 || value > max) {
      throw ParleyException.badRequest(what + " must lie on the board (0 to " + max + ")");
    }
    return Math.round(value * 10) / 10.0;
  }

  private static double number(JsonObject op, String field, double min, double max) {
    if (!(op.getValue(field) instanceof Number n) || Double.isNaN(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
      throw ParleyException.badRequest("op." + field + " must be a number" + (min > -Double.MAX_VALUE ? " from " + fmt(min) + " to " + fmt(max) : ""));
    }
    return n.doubleValue();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
