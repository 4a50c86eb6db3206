package handlers.collab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The board as its operations leave it, drawn as SVG (text) and PNG (Java2D). Replaying in seq
 * order: strokes, shapes and texts are added, an erase or undo takes its target away, a clear
 * takes everything away. CPU work: call it off the event loop.
 */
final class RenderWhiteboard {

  private RenderWhiteboard() {
  }

  /** The strokes, shapes and texts still on the board after {@code ops} (each {@code {seq, op}}), in drawing order. */
  static List<JsonObject> visible(List<JsonObject> ops) {
    Map<Long, JsonObject> board = new LinkedHashMap<>();
    for (JsonObject entry : ops) {
      JsonObject op = entry.getJsonObject("op");
      String type = op.getString("type");
      if (WhiteboardOps.DRAWN.contains(type)) {
        board.put(entry.getLong("seq"), op);
      } else if ("erase".equals(type) || "undo".equals(type)) {
        board.remove(op.getLong("target"));
      } else if ("clear".equals(type)) {
        board.clear();
      }
    }
    return new ArrayList<>(board.values());
  }

  static String svg(List<JsonObject> drawn, int width, int height) {
    StringBuilder out = new StringBuilder(64 + drawn.size() * 64)
      .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
      .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n")
      .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    for (JsonObject op : drawn) {
      String stroke = " stroke=\"" + op.getString("color") + "\" stroke-width=\"" + num(op.getDouble("width", 1.0)) + "\"";
      switch (op.getString("type")) {
        case "stroke" -> {
          JsonArray p = op.getJsonArray("points");
          if (p.size() == 2) {
            out.append("<circle cx=\"").append(num(p.getDouble(0))).append("\" cy=\"").append(num(p.getDouble(1)))
              .append("\" r=\"").append(num(op.getDouble("width") / 2)).append("\" fill=\"").append(op.getString("color")).append("\"/>\n");
          } else {
            out.append("<polyline fill=\"none\" stroke-linecap=\"round\" stroke-linejoin=\"round\"").append(stroke).append(" points=\"");
            for (int i = 0; i < p.size(); i += 2) {
              out.append(i == 0 ? "" : " ").append(num(p.getDouble(i))).append(',').append(num(p.getDouble(i + 1)));
            }
            out.append("\"/>\n");
          }
        }
        case "shape" -> shapeSvg(out, op, stroke);
        case "text" -> out.append("<text x=\"").append(num(op.getDouble("x"))).append("\" y=\"").append(num(op.getDouble("y")))
          .append("\" font-family=\"sans-serif\" font-size=\"").append(num(op.getDouble("size"))).append("\" fill=\"")
          .append(op.getString("color")).append("\">").append(escape(op.getString("text"))).append("</text>\n");
        default -> { }
      }
    }
    return out.append("</svg>\n").toString();
  }

  private static void shapeSvg(StringBuilder out, JsonObject op, String stroke) {
    double x1 = op.getDouble("x1");
    double y1 = op.getDouble("y1");
    double x2 = op.getDouble("x2");
    double y2 = op.getDouble("y2");
    String fill = " fill=\"" + (op.getString("fill") == null ? "none" : op.getString("fill")) + "\"";
    switch (op.getString("shape")) {
      case "rect" -> out.append("<rect x=\"").append(num(Math.min(x1, x2))).append("\" y=\"").append(num(Math.min(y1, y2)))
        .append("\" width=\"").append(num(Math.abs(x2 - x1))).append("\" height=\"").append(num(Math.abs(y2 - y1))).append('"')
        .append(fill).append(stroke).append("/>\n");
      case "ellipse" -> out.append("<ellipse cx=\"").append(num((x1 + x2) / 2)).append("\" cy=\"").append(num((y1 + y2) / 2))
        .append("\" rx=\"").append(num(Math.abs(x2 - x1) / 2)).append("\" ry=\"").append(num(Math.abs(y2 - y1) / 2)).append('"')
        .append(fill).append(stroke).append("/>\n");
      default -> {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
          .append("\" y2=\"").append(num(y2)).append("\" stroke-linecap=\"round\"").append(stroke).append("/>\n");
        if ("arrow".equals(op.getString("shape"))) {
          double[] head = arrowHead(x1, y1, x2, y2, op.getDouble("width"));
          out.append("<polygon points=\"").append(num(x2)).append(',').append(num(y2)).append(' ').append(num(head[0])).append(',')
            .append(num(head[1])).append(' ').append(num(head[2])).append(',').append(num(head[3])).append("\" fill=\"")
            .append(op.getString("color")).append("\"/>\n");
        }
      }
    }
  }

  /** The two back corners of an arrow's head at (x2, y2). */
  private static double[] arrowHead(double x1, double y1, double x2, double y2, double width) {
    double angle = Math.atan2(y2 - y1, x2 - x1);
    double length = Math.max(12, width * 4);
    return new double[]{
      x2 - length * Math.cos(angle - Math.PI / 7), y2 - length * Math.sin(angle - Math.PI / 7),
      x2 - length * Math.cos(angle + Math.PI / 7), y2 - length * Math.sin(angle + Math.PI / 7)};
  }

  static byte[] png(List<JsonObject> drawn, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      for (JsonObject op : drawn) {
        Color color = Color.decode(op.getString("color"));
        g.setColor(color);
        g.setStroke(new BasicStroke((float) op.getDouble("width", 1.0).doubleValue(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        switch (op.getString("type")) {
          case "stroke" -> {
            JsonArray p = op.getJsonArray("points");
            if (p.size() == 2) {
              double r = op.getDouble("width") / 2;
              g.fill(new Ellipse2D.Double(p.getDouble(0) - r, p.getDouble(1) - r, 2 * r, 2 * r));
            } else {
              Path2D.Double path = new Path2D.Double();
              path.moveTo(p.getDouble(0), p.getDouble(1));
              for (int i = 2; i < p.size(); i += 2) {
                path.lineTo(p.getDouble(i), p.getDouble(i + 1));
              }
              g.draw(path);
            }
          }
          case "shape" -> shapePng(g, op, color);
          case "text" -> {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(op.getDouble("size"))));
            g.drawString(op.getString("text"), (float) op.getDouble("x").doubleValue(), (float) op.getDouble("y").doubleValue());
          }
          default -> { }
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void shapePng(Graphics2D g, JsonObject op, Color color) {
    double x1 = op.getDouble("x1");
    double y1 = op.getDouble("y1");
    double x2 = op.getDouble("x2");
    double y2 = op.getDouble("y2");
    java.awt.Shape outline = switch (op.getString("shape")) {
      case "rect" -> new Rectangle2D.Double(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
      case "ellipse" -> new Ellipse2D.Double(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
      default -> new Line2D.Double(x1, y1, x2, y2);
    };
    if (op.getString("fill") != null && !(outline instanceof Line2D)) {
      g.setColor(Color.decode(op.getString("fill")));
      g.fill(outline);
      g.setColor(color);
    }
    g.draw(outline);
    if ("arrow".equals(op.getString("shape"))) {
      double[] head = arrowHead(x1, y1, x2, y2, op.getDouble("width"));
      Path2D.Double tip = new Path2D.Double();
      tip.moveTo(x2, y2);
      tip.lineTo(head[0], head[1]);
      tip.lineTo(head[2], head[3]);
      tip.closePath();
      g.fill(tip);
    }
  }

  private static String num(double d) {
    double r = Math.round(d * 10) / 10.0;
    return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
