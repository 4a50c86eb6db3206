package ai.summary;

import ai.Summarizer;
import config.Section;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The configured recap provider ({@code ai.summary.provider}): {@code extractive} (the default:
 * offline, no model) or {@code azure} (Azure OpenAI; {@code ai.summary.azure.endpoint}, {@code key}
 * and {@code deployment} are required). A missing setting stops start-up with one line naming it.
 */
public final class SummarizerFactory {

  private SummarizerFactory() {
  }

  /** The offline summarizer with the configured sizes; also what a failed Azure call falls back to. */
  public static ExtractiveSummarizer extractive(Vertx vertx, JsonObject config) {
    Section summary = Section.of(config, "ai.summary");
    return new ExtractiveSummarizer(vertx, summary.integer("maxKeyPoints", 0, 50), summary.integer("maxKeywords", 0, 50));
  }

  public static Summarizer create(Vertx vertx, JsonObject config) {
    Section summary = Section.of(config, "ai.summary");
    String provider = summary.choice("provider", java.util.List.of("extractive", "azure"));
    if (provider.equals("extractive")) {
      return extractive(vertx, config);
    }
    Section azure = summary.section("azure");
    return new AzureOpenAiSummarizer(vertx, azure.string("endpoint"), azure.string("key"), azure.string("deployment"),
      azure.string("apiVersion"), azure.longValue("timeoutMs", 100, 600_000), azure.integer("maxInputChars", 1000, 10_000_000),
      azure.longValue("maxRetryWaitMs", 0, 600_000));
  }
}
