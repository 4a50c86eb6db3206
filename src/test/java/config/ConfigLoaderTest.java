package config;

import config.ConfigException;
import config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Configuration: defaults, then a file, then PARLEY_<SECTION>_<KEY> environment variables")
class ConfigLoaderTest {

  @Test
  @DisplayName("the documented environment variables land on their keys with their JSON types")
  void environmentOverrides() {
    JsonObject config = ConfigLoader.load(Map.of(
      "PARLEY_HTTP_PORT", "9090",
      "PARLEY_DATA_DIR", "/srv/parley",
      "PARLEY_DB_URL", "postgresql://db:5432/parley",
      "PARLEY_DB_READ_URLS", "[\"postgresql://r1/parley\",\"postgresql://r2/parley\"]",
      "PARLEY_VERTICLES_CHAT_INSTANCES", "4",
      "PARLEY_AUTH_ISSUER", "https://login.example.com/tenant/v2.0",
      "HOME", "/root"), null);
    assertEquals(9090, config.getJsonObject("http").getInteger("port"));
    assertEquals("/srv/parley", config.getJsonObject("data").getString("dir"));
    assertEquals("postgresql://db:5432/parley", config.getJsonObject("db").getString("url"));
    assertEquals(new JsonArray().add("postgresql://r1/parley").add("postgresql://r2/parley"),
      config.getJsonObject("db").getJsonArray("readUrls"));
    assertEquals(4, config.getJsonObject("verticles").getJsonObject("chat").getInteger("instances"));
    assertEquals("https://login.example.com/tenant/v2.0", config.getJsonObject("auth").getString("issuer"));
    assertNull(config.getValue("home"), "variables without the prefix are ignored");
  }

  @Test
  @DisplayName("a file named by parley.config overrides the defaults and the environment overrides the file")
  void fileThenEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parley.json");
    Files.writeString(file, "{\"http\":{\"port\":7000,\"maxBodyBytes\":99},\"chat\":{\"maxTextLength\":10}}");
    JsonObject config = ConfigLoader.load(Map.of("PARLEY_HTTP_PORT", "7001"), file.toString());
    assertEquals(7001, config.getJsonObject("http").getInteger("port"));
    assertEquals(99, config.getJsonObject("http").getInteger("maxBodyBytes"));
    assertEquals(10, config.getJsonObject("chat").getInteger("maxTextLength"));
    assertEquals(5, config.getJsonObject("chat").getInteger("ratePerSecond"), "untouched defaults remain");
  }

  @Test
  @DisplayName("a missing or broken file is one clear line naming the file")
  void badFile(@TempDir Path dir) throws Exception {
    ConfigException missing = assertThrows(ConfigException.class,
      () -> ConfigLoader.load(Map.of(), dir.resolve("nope.json").toString()));
    assertTrue(missing.getMessage().contains("nope.json"));
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"http\": ");
    ConfigException invalid = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(), broken.toString()));
    assertTrue(invalid.getMessage().contains("broken.json") && invalid.getMessage().contains("not valid JSON"));
    assertTrue(!invalid.getMessage().contains("\n"));
  }
}
