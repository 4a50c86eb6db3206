package handlers.gateway;

import common.ParleyException;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every HTTP error leaves as {@code {"error":{"code","message"}}} with the
 * matching status, never a stack trace. Event-bus failures carry the contract's codes already; a
 * missing or timed-out service is a 503.
 */
public final class RenderErrorHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(RenderErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String code;
    String message;
    if (failure instanceof ParleyException pe) {
      status = pe.status();
      code = pe.code();
      message = pe.getMessage();
    } else if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 600) {
        status = re.failureCode();
        message = re.getMessage();
      } else {
        status = 503;
        message = re.failureType() == ReplyFailure.TIMEOUT ? "service timed out" : "service unavailable";
        LOG.warn("{} {} -> {}: {}", ctx.request().method(), ctx.request().path(), status, re.getMessage());
      }
      code = ParleyException.codeFor(status);
    } else if (failure instanceof HttpException he) {
      status = he.getStatusCode();
      code = ParleyException.codeFor(status);
      message = switch (status) {
        case 413 -> "request body is too large";
        case 400 -> he.getPayload() != null ? he.getPayload() : "bad request";
        default -> he.getPayload() != null ? he.getPayload() : "request failed";
      };
    } else if (failure != null) {
      status = 500;
      code = "internal";
      message = "internal error";
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    } else {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      code = ParleyException.codeFor(status);
      message = status == 404 ? "not found" : status == 405 ? "method not allowed" : status == 413 ? "request body is too large" : "request failed";
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }
}
