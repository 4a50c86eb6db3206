package config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A named slice of the configuration, read by a verticle into its settings record at start. The
 * defaults live in {@code conf/config.json}, not here: a setting that is missing or of the wrong
 * type is a {@link ConfigException} whose message names it by its full path
 * ({@code bridge.maxFrameBytes must be an integer between 1024 and 16777216}), the one line
 * start-up prints before it stops.
 */
public final class Section {

  private final String path;
  private final JsonObject json;

  private Section(String path, JsonObject json) {
    this.path = path;
    this.json = json;
  }

  /** The section at a dotted {@code path} of the whole configuration, e.g. {@code blobs.lifecycle}. */
  public static Section of(JsonObject config, String path) {
    Section section = new Section("", config);
    for (String key : path.split("\\.")) {
      section = section.section(key);
    }
    return section;
  }

  public String path() {
    return path;
  }

  public JsonObject json() {
    return json;
  }

  public Section section(String key) {
    Object value = json.getValue(key);
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(name(key) + (value == null ? " is missing" : " must be an object"));
    }
    return new Section(name(key), object);
  }

  public int integer(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  public long longValue(String key, long min, long max) {
    Object value = json.getValue(key);
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
      && n.longValue() >= min && n.longValue() <= max) {
      return n.longValue();
    }
    throw new ConfigException(name(key) + " must be an integer between " + min + " and " + max
      + (value == null ? " (it is missing)" : ", not " + value));
  }

  public double decimal(String key, double min, double max) {
    Object value = json.getValue(key);
    if (value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max) {
      return n.doubleValue();
    }
    throw new ConfigException(name(key) + " must be a number between " + min + " and " + max
      + (value == null ? " (it is missing)" : ", not " + value));
  }

  public boolean bool(String key) {
    Object value = json.getValue(key);
    if (value instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(name(key) + " must be true or false" + (value == null ? " (it is missing)" : ", not " + value));
  }

  /** A non-blank string. */
  public String string(String key) {
    String value = optionalString(key);
    if (value == null || value.isBlank()) {
      throw new ConfigException(name(key) + " must be set");
    }
    return value;
  }

  /** A string, or null where the setting is null, absent or blank. */
  public String optionalString(String key) {
    Object value = json.getValue(key);
    if (value == null || value instanceof String s && s.isBlank()) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(name(key) + " must be a string, not " + value);
    }
    return s;
  }

  /** One of {@code allowed}. */
  public String choice(String key, List<String> allowed) {
    String value = string(key);
    if (!allowed.contains(value)) {
      throw new ConfigException(name(key) + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return value;
  }

  /** A JSON array, or a comma-separated string (as an environment variable gives it). */
  public List<String> strings(String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof JsonArray) && !(value instanceof String)) {
      throw new ConfigException(name(key) + " must be a list, not " + value);
    }
    return ConfigLoader.stringList(value);
  }

  public JsonArray array(String key) {
    Object value = json.getValue(key);
    if (value instanceof JsonArray array) {
      return array;
    }
    throw new ConfigException(name(key) + " must be a list" + (value == null ? " (it is missing)" : ", not " + value));
  }

  private String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
