package packaging;

import config.ConfigLoader;
import data.blob.Azurite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code PARLEY_*} variables of docker-compose.yml, read from the file itself and applied as
 * the server would apply them: each must land on a setting that exists in the defaults (an unknown
 * name would silently create a key nothing reads), with the type the server expects.
 */
@DisplayName("docker-compose.yml configures Parley only through settings that exist, with the right types")
class ComposeEnvironmentTest {

  private static final Pattern VARIABLE = Pattern.compile("^\\s+(PARLEY_[A-Z0-9_]+):\\s*(.*?)\\s*$");

  static Map<String, String> composeVariables(String service) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    String top = "";
    String current = "";
    for (String line : Files.readAllLines(Path.of("docker-compose.yml"))) {
      if (line.matches("^[^\\s#].*")) {
        top = line.substring(0, line.indexOf(':'));
        current = "";
      } else if (top.equals("services") && line.matches("^  [a-z0-9-]+:.*")) {
        current = line.trim().substring(0, line.trim().indexOf(':'));
      }
      // The shared block (x-parley) first, then the service's own entries override it.
      boolean relevant = top.equals("x-parley") || (top.equals("services") && current.equals(service));
      Matcher m = VARIABLE.matcher(line);
      if (relevant && m.matches()) {
        env.put(m.group(1), m.group(2).replaceAll("^\"(.*)\"$", "$1"));
      }
    }
    return env;
  }

  @Test
  @DisplayName("every PARLEY_ variable of both nodes names an existing setting and parses to its type")
  void variablesMapOntoExistingSettings() throws Exception {
    for (String node : List.of("parley-1", "parley-2")) {
      Map<String, String> env = composeVariables(node);
      assertTrue(env.size() >= 15, "read the variables of " + node + ": " + env.keySet());
      JsonObject defaults = ConfigLoader.defaults();
      for (Map.Entry<String, String> variable : env.entrySet()) {
        JsonObject config = ConfigLoader.load(Map.of(variable.getKey(), variable.getValue()), null);
        TreeSet<String> added = paths(config, "");
        added.removeAll(paths(defaults, ""));
        assertEquals(new TreeSet<String>(), added, variable.getKey() + " creates a setting that is not in config.json");
        assertParsesToItsType(defaults, variable.getKey(), variable.getValue(), config);
      }
      JsonObject config = ConfigLoader.load(env, null);
      JsonObject cluster = config.getJsonObject("cluster");
      assertEquals(true, cluster.getBoolean("enabled"));
      assertEquals(node, cluster.getString("host"));
      assertEquals(5701, cluster.getInteger("port"));
      assertEquals(5702, cluster.getInteger("eventBusPort"));
      assertEquals(List.of("parley-1:5701", "parley-2:5701"), ConfigLoader.stringList(cluster.getValue("members")));
      JsonObject db = config.getJsonObject("db");
      assertTrue(db.getString("url").contains("@postgres-primary:5432/"));
      assertEquals(1, ConfigLoader.stringList(db.getValue("readUrls")).size());
      assertTrue(ConfigLoader.stringList(db.getValue("readUrls")).get(0).contains("@postgres-replica:5432/"));
      assertEquals("redis://redis:6379", config.getJsonObject("redis").getString("url"));
      JsonObject apertium = config.getJsonObject("ai").getJsonObject("translation").getJsonObject("apertium");
      assertEquals(false, apertium.getBoolean("manage"));
      assertEquals("http://apertium:2737", apertium.getString("url"));
      assertEquals("http://jaeger:4317", config.getJsonObject("telemetry").getString("otlpEndpoint"));
      JsonObject media = config.getJsonObject("media");
      assertEquals("janus", media.getString("sfu"));
      assertEquals(false, media.getJsonObject("janus").getBoolean("manage"));
      assertEquals(List.of("ws://janus:8188"), ConfigLoader.stringList(media.getJsonObject("janus").getValue("urls")),
        "both nodes send media to the compose stack's Janus");
      assertTrue(media.getJsonObject("janus").getString("apiSecret").length() > 8);
      assertEquals("dev", config.getJsonObject("auth").getString("mode"));
      JsonObject blobs = config.getJsonObject("blobs");
      assertEquals("azure", blobs.getString("provider"));
      assertTrue(blobs.getJsonObject("azure").getString("connectionString").contains("BlobEndpoint=http://azurite:10000/"),
        "the connection string survives the variable parsing whole (it holds ';' and '=')");
      assertFalse(config.getJsonObject("auth").getString("devKeyFile").startsWith("/var/lib/parley/data"),
        "the dev key is on the volume both nodes share, not in a node's own data folder");
    }
  }

  @Test
  @DisplayName("the nodes' Azurite connection string carries the emulator's documented account key, whole")
  void azuriteAccountKeyIsTheEmulatorsKey() throws Exception {
    for (String node : List.of("parley-1", "parley-2")) {
      String connection = composeVariables(node).get("PARLEY_BLOBS_AZURE_CONNECTION_STRING");
      Matcher key = Pattern.compile("(?:^|;)AccountKey=([^;]*)").matcher(connection);
      assertTrue(key.find(), "an AccountKey in " + connection);
      // A wrong key fails only at run time, on the first signed request ("wrong 4-byte ending unit").
      assertEquals(Azurite.ACCOUNT_KEY, key.group(1), node);
      assertEquals(64, Base64.getDecoder().decode(key.group(1)).length, node + ": a 512-bit key");
    }
  }

  /**
   * The setting {@code name} lands on (found by setting it to a value no default has) holds a value
   * of the kind its default has: a number, a boolean or a string as the default is; a list (a JSON
   * array, or the comma-separated string {@link ConfigLoader#stringList} reads) where the default is
   * a list; a string where the default is null (the URLs, paths and host names).
   */
  private static void assertParsesToItsType(JsonObject defaults, String name, String raw, JsonObject config) {
    JsonObject probed = ConfigLoader.load(Map.of(name, "probe-" + name), null);
    List<String> landed = paths(probed, "").stream()
      .filter(path -> "probe-".concat(name).equals(valueAt(probed, path))).toList();
    assertEquals(1, landed.size(), name + " sets exactly one setting: " + landed);
    String path = landed.get(0);
    Object expected = valueAt(defaults, path);
    Object actual = valueAt(config, path);
    String what = name + "=" + raw + " -> " + path + " = " + actual + " (default " + expected + ")";
    if (expected == null || expected instanceof String) {
      assertTrue(actual instanceof String, what + ": a string");
      assertEquals(raw, actual, what);
    } else if (expected instanceof Boolean) {
      assertTrue(actual instanceof Boolean, what + ": a boolean");
    } else if (expected instanceof Integer || expected instanceof Long) {
      assertTrue(actual instanceof Integer || actual instanceof Long, what + ": a whole number");
    } else if (expected instanceof Number) {
      assertTrue(actual instanceof Number, what + ": a number");
    } else if (expected instanceof JsonArray) {
      assertTrue(actual instanceof JsonArray || actual instanceof String, what + ": a list");
      assertFalse(ConfigLoader.stringList(actual).isEmpty(), what + ": a non-empty list");
    } else {
      throw new AssertionError(what + ": a setting of kind " + expected.getClass().getSimpleName() + " is not expected here");
    }
  }

  private static Object valueAt(JsonObject json, String path) {
    Object node = json;
    for (String key : path.split("\\.")) {
      node = node instanceof JsonObject object ? object.getValue(key) : null;
    }
    return node;
  }

  private static TreeSet<String> paths(JsonObject json, String prefix) {
    TreeSet<String> out = new TreeSet<>();
    for (String key : json.fieldNames()) {
      out.add(prefix + key);
      if (json.getValue(key) instanceof JsonObject child) {
        out.addAll(paths(child, prefix + key + "."));
      }
    }
    return out;
  }
}
