package ai.safety;

import ai.ContentSafety;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("The content safety factory")
class ContentSafetyFactoryTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private String failure(String json) {
    return assertThrows(IllegalArgumentException.class, () -> ContentSafetyFactory.create(vertx, new JsonObject(json))).getMessage();
  }

  @Test
  @DisplayName("builds the built-in provider by default")
  void builtinByDefault() {
    assertEquals("builtin", ContentSafetyFactory.create(vertx, null).provider());
    assertEquals("builtin", ContentSafetyFactory.create(vertx, new JsonObject()).provider());
    assertInstanceOf(BuiltInContentSafety.class, ContentSafetyFactory.create(vertx, new JsonObject().put("provider", "builtin")));
  }

  @Test
  @DisplayName("builds the Azure provider with defaults for api version and timeout")
  void azure() {
    ContentSafety safety = ContentSafetyFactory.create(vertx, new JsonObject(
      "{\"provider\":\"azure\",\"azure\":{\"endpoint\":\"https://x.cognitiveservices.azure.com/\",\"key\":\"k\"}}"));
    assertEquals("azure", safety.provider());
    AzureContentSafety.Settings settings = ContentSafetyFactory.azureSettings(new JsonObject(
      "{\"azure\":{\"endpoint\":\"https://x.cognitiveservices.azure.com/\",\"key\":\"k\",\"timeoutMs\":500}}"));
    assertEquals(new AzureContentSafety.Settings("https://x.cognitiveservices.azure.com", "k", "2024-09-01", 500), settings);
  }

  @Test
  @DisplayName("says in one line which Azure setting is missing or wrong")
  void clearErrors() {
    assertEquals("ai.safety.azure.key is required for provider azure",
      failure("{\"provider\":\"azure\",\"azure\":{\"endpoint\":\"https://x\"}}"));
    assertEquals("ai.safety.azure.endpoint is required for provider azure",
      failure("{\"provider\":\"azure\",\"azure\":{\"key\":\"k\"}}"));
    assertEquals("ai.safety.azure.endpoint and ai.safety.azure.key are required for provider azure",
      failure("{\"provider\":\"azure\"}"));
    assertEquals("ai.safety.azure.endpoint must be an https:// URL, not \"x.azure.com\"",
      failure("{\"provider\":\"azure\",\"azure\":{\"endpoint\":\"x.azure.com\",\"key\":\"k\"}}"));
    assertEquals("ai.safety.azure.timeoutMs must be a positive whole number of milliseconds",
      failure("{\"provider\":\"azure\",\"azure\":{\"endpoint\":\"https://x\",\"key\":\"k\",\"timeoutMs\":-1}}"));
    assertEquals("ai.safety.provider must be \"builtin\" or \"azure\", not \"openai\"", failure("{\"provider\":\"openai\"}"));
  }
}
