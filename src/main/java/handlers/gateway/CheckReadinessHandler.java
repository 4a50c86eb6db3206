package handlers.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import telemetry.Readiness;

/** {@code GET /health/ready}: the readiness report, 503 when a required dependency is down or the node is draining. */
public final class CheckReadinessHandler implements Handler<RoutingContext> {

  private final Readiness readiness;

  public CheckReadinessHandler(Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public void handle(RoutingContext ctx) {
    readiness.run().onSuccess(report -> ctx.response()
      .setStatusCode("down".equals(report.getString("status")) || "draining".equals(report.getString("status")) ? 503 : 200)
      .putHeader("Content-Type", "application/json")
      .putHeader("Cache-Control", "no-store")
      .end(report.encode()));
  }
}
