package handlers;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

/**
 * Base of every event-bus request handler: reads the caller from the gateway-stamped header,
 * insists on a JSON object body, and turns the outcome into a reply or a coded failure. A
 * {@link ParleyException} becomes {@code fail(status, message)}; anything else is logged once here
 * and answered with a bare 500, so no stack trace leaves the server.
 */
public abstract class RequestHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  /** Reply header carrying the HTTP status a REST route answers instead of its usual one. */
  public static final String STATUS_HEADER = "x-parley-status";

  /** {@code body}, answered over HTTP with {@code status} (202 for a join that waits in the lobby). */
  public static JsonObject withStatus(JsonObject body, int status) {
    return new StatusReply(body, status);
  }

  private static final class StatusReply extends JsonObject {
    final int status;

    StatusReply(JsonObject body, int status) {
      super(body.getMap());
      this.status = status;
    }
  }

  @Override
  public final void handle(Message<Object> message) {
    Future<JsonObject> result;
    try {
      String header = message.headers().get(Identity.HEADER);
      if (header == null) {
        throw ParleyException.unauthorized("no identity");
      }
      Identity caller = Identity.fromJson(new JsonObject(header));
      if (!(message.body() instanceof JsonObject body)) {
        throw ParleyException.badRequest("message body must be a JSON object");
      }
      // Whatever a service stores comes from here: text PostgreSQL refuses is a 400, never a 503.
      Inputs.requireStorable(body);
      result = handle(caller, body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded() && ar.result() instanceof StatusReply reply) {
        message.reply(new JsonObject(reply.getMap()), new DeliveryOptions().addHeader(STATUS_HEADER, String.valueOf(reply.status)));
      } else if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, ar.cause());
      }
    });
  }

  protected abstract Future<JsonObject> handle(Identity caller, JsonObject body);

  static void fail(Message<?> message, Throwable err) {
    if (err instanceof ParleyException pe) {
      if (pe.status() >= 500) {
        LOG.warn("{} failed: {}{}", message.address(), pe.getMessage(),
          pe.getCause() == null ? "" : " (" + pe.getCause().getMessage() + ")");
      }
      message.fail(pe.status(), pe.getMessage());
    } else {
      LOG.error("{} failed unexpectedly", message.address(), err);
      message.fail(500, "internal error");
    }
  }
}
