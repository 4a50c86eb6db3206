package telemetry;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Each dependency's status, for {@code GET /health/ready} and the {@code parley_dependency_up}
 * gauge. A required dependency that is down makes the overall status "down"; an optional one (an
 * AI provider) makes it "degraded", since meetings and chat go on without it.
 */
public final class Readiness {

  /** One dependency: how to check it and whether the server is useless without it. */
  public record Check(String name, boolean required, Supplier<Future<?>> probe) {
  }

  private final List<Check> checks;
  private final long timeoutMs;
  private volatile boolean draining;

  public Readiness(List<Check> checks, long timeoutMs) {
    this.checks = List.copyOf(checks);
    this.timeoutMs = timeoutMs;
  }

  /** From now on this node is shutting down: the report says "draining" (503) and sockets are refused. */
  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * {@code {status: ready|degraded|down|draining, checks: {name: {status, error?, required, ms}}}};
   * "draining" once {@link #drain} was called, whatever the checks say.
   */
  public Future<JsonObject> run() {
    Map<String, Future<JsonObject>> results = new LinkedHashMap<>();
    for (Check check : checks) {
      long started = System.nanoTime();
      Future<JsonObject> result;
      try {
        result = check.probe().get()
          .timeout(timeoutMs, TimeUnit.MILLISECONDS)
          // a probe may say more than "up" (which mode, which servers): its JSON object is kept
          .map(v -> v instanceof JsonObject detail ? detail.copy().put("status", "up") : new JsonObject().put("status", "up"));
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      results.put(check.name(), result
        .recover(err -> Future.succeededFuture(new JsonObject().put("status", "down")
          .put("error", err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage())))
        .map(json -> json.put("required", check.required()).put("ms", (System.nanoTime() - started) / 1_000_000)));
    }
    return Future.join(new ArrayList<>(results.values())).transform(ignored -> {
      JsonObject byName = new JsonObject();
      String overall = "ready";
      for (Check check : checks) {
        JsonObject r = results.get(check.name()).result();
        byName.put(check.name(), r);
        if (!"up".equals(r.getString("status"))) {
          overall = check.required() ? "down" : "down".equals(overall) ? overall : "degraded";
        }
      }
      return Future.succeededFuture(new JsonObject().put("status", draining ? "draining" : overall).put("checks", byName));
    });
  }
}
