package handlers.captions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders transcript segments as WebVTT or plain text, optionally in a translated language. */
public final class TranscriptFormats {

  private TranscriptFormats() {
  }

  /** The segment's text in {@code lang}: its translation when there is one, else the original. */
  static String textIn(JsonObject segment, String lang) {
    if (lang != null && !lang.equals(segment.getString("lang"))) {
      String translated = segment.getJsonObject("translations", new JsonObject()).getString(lang);
      if (translated != null) {
        return translated;
      }
    }
    return segment.getString("text");
  }

  static JsonArray inLanguage(JsonArray segments, String lang) {
    JsonArray out = new JsonArray();
    for (Object o : segments) {
      JsonObject s = ((JsonObject) o).copy();
      s.put("text", textIn(s, lang)).put("translated", lang != null && !lang.equals(s.getString("lang"))
        && s.getJsonObject("translations", new JsonObject()).containsKey(lang));
      out.add(s);
    }
    return out;
  }

  /** WebVTT of {@code segments} ({@code startMs}/{@code endMs} from the start of the media), in {@code lang} when translated. */
  public static String vtt(JsonArray segments, String lang) {
    StringBuilder sb = new StringBuilder("WEBVTT\n\n");
    int n = 1;
    for (Object o : segments) {
      JsonObject s = (JsonObject) o;
      sb.append(n++).append('\n')
        .append(time(s.getLong("startMs"))).append(" --> ").append(time(Math.max(s.getLong("endMs"), s.getLong("startMs"))))
        .append('\n')
        .append("<v ").append(cue(s.getString("speakerName"))).append('>').append(cue(textIn(s, lang))).append("\n\n");
    }
    return sb.toString();
  }

  static String txt(JsonArray segments, String lang) {
    StringBuilder sb = new StringBuilder();
    for (Object o : segments) {
      JsonObject s = (JsonObject) o;
      sb.append('[').append(time(s.getLong("startMs"))).append("] ").append(s.getString("speakerName")).append(": ")
        .append(textIn(s, lang)).append('\n');
    }
    return sb.toString();
  }

  private static String time(long ms) {
    return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
  }

  /** VTT cue text may not contain "-->" or markup from the speaker. */
  private static String cue(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
  }
}
