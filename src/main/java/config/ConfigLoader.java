package config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads Parley's configuration: the defaults in {@code conf/config.json}, then the file named by
 * {@code -Dparley.config=PATH}, then environment variables {@code PARLEY_<SECTION>_<KEY>}.
 *
 * <p>This runs before a {@code Vertx} exists because the Vert.x builder itself needs metrics,
 * tracing and cluster settings; it is plain, synchronous Java for that reason.
 *
 * <p>Environment names are matched against the keys present in the defaults, ignoring case and
 * underscores: {@code PARLEY_DB_READ_URLS} sets {@code db.readUrls}, {@code PARLEY_AI_STT_PROVIDER}
 * sets {@code ai.stt.provider}. Values that parse as JSON (numbers, booleans, arrays, objects) are
 * taken as such; anything else is a string.
 */
public final class ConfigLoader {

  public static final String DEFAULTS = "conf/config.json";
  private static final String ENV_PREFIX = "PARLEY_";

  private ConfigLoader() {
  }

  /** Loads from the real environment and system properties. */
  public static JsonObject load() {
    return load(System.getenv(), System.getProperty("parley.config"));
  }

  /**
   * @throws ConfigException with one line saying what is wrong, for start-up to print and stop
   */
  public static JsonObject load(Map<String, String> env, String overrideFile) {
    JsonObject config = defaults();
    if (overrideFile != null && !overrideFile.isBlank()) {
      Path path = Path.of(overrideFile);
      try {
        deepMerge(config, new JsonObject(Files.readString(path)));
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + path.toAbsolutePath() + ": " + e.getMessage());
      } catch (DecodeException e) {
        throw new ConfigException("configuration file " + path.toAbsolutePath() + " is not valid JSON: " + firstLine(e.getMessage()));
      }
    }
    env.entrySet().stream()
      .filter(e -> e.getKey().startsWith(ENV_PREFIX))
      .sorted(Map.Entry.comparingByKey())
      .forEach(e -> applyEnv(config, e.getKey().substring(ENV_PREFIX.length()), e.getValue()));
    return config;
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new ConfigException("built-in defaults " + DEFAULTS + " are missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read built-in defaults: " + e.getMessage());
    }
  }

  /** Recursively merges {@code override} into {@code target}; objects merge, everything else replaces. */
  public static JsonObject deepMerge(JsonObject target, JsonObject override) {
    for (Map.Entry<String, Object> e : override) {
      Object existing = target.getValue(e.getKey());
      if (existing instanceof JsonObject existingObject && e.getValue() instanceof JsonObject overrideObject) {
        deepMerge(existingObject, overrideObject);
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
    return target;
  }

  private static void applyEnv(JsonObject config, String name, String rawValue) {
    List<String> tokens = List.of(name.toLowerCase().split("_"));
    JsonObject node = config;
    int i = 0;
    while (i < tokens.size()) {
      MatchedKey match = longestKeyMatch(node, tokens, i);
      if (match == null) {
        // Unknown key: create it under the current node in camelCase so new settings still work.
        node.put(camelCase(tokens.subList(i, tokens.size())), parseValue(rawValue));
        return;
      }
      i = match.nextToken;
      if (i == tokens.size()) {
        node.put(match.key, parseValue(rawValue));
        return;
      }
      Object child = node.getValue(match.key);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(match.key, child);
      }
      node = (JsonObject) child;
    }
  }

  private record MatchedKey(String key, int nextToken) {
  }

  private static MatchedKey longestKeyMatch(JsonObject node, List<String> tokens, int from) {
    for (int end = tokens.size(); end > from; end--) {
      String joined = String.join("", tokens.subList(from, end));
      for (String key : node.fieldNames()) {
        if (key.replace("_", "").equalsIgnoreCase(joined)) {
          return new MatchedKey(key, end);
        }
      }
    }
    return null;
  }

  private static String camelCase(List<String> tokens) {
    StringBuilder sb = new StringBuilder(tokens.get(0));
    for (String t : tokens.subList(1, tokens.size())) {
      if (!t.isEmpty()) {
        sb.append(Character.toUpperCase(t.charAt(0))).append(t.substring(1));
      }
    }
    return sb.toString();
  }

  private static Object parseValue(String raw) {
    String trimmed = raw.trim();
    if (trimmed.isEmpty()) {
      return null;
    }
    char c = trimmed.charAt(0);
    if (c == '{' || c == '[' || c == '-' || Character.isDigit(c) || trimmed.equals("true") || trimmed.equals("false") || trimmed.equals("null")) {
      try {
        return Json.decodeValue(trimmed);
      } catch (DecodeException ignored) {
        // not JSON after all: a plain string such as a URL or a path
      }
    }
    return raw;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Parses a comma-separated string or a JSON array into a list of non-blank strings. */
  public static List<String> stringList(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof io.vertx.core.json.JsonArray array) {
      array.forEach(v -> {
        if (v != null && !v.toString().isBlank()) {
          out.add(v.toString().trim());
        }
      });
    } else if (value instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }
}
