package handlers;

import common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.util.UUID;

/**
 * Records in a meeting's audit log what a caller did there, from a service other than the
 * meeting's ({@link Addresses#AUDIT_APPEND}: recording start and stop). The action itself has
 * happened already; a failure to record it is logged, not undone.
 */
public final class AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private AuditLog() {
  }

  public static void append(EventBus eventBus, Identity caller, UUID meetingId, String action, JsonObject details) {
    eventBus.request(Addresses.AUDIT_APPEND, new JsonObject().put("meetingId", meetingId.toString()).put("action", action)
        .put("details", details), new DeliveryOptions().addHeader(Identity.HEADER, caller.toJson().encode()))
      .onFailure(err -> LOG.warn("Meeting {}: the audit entry {} by {} was not recorded: {}", meetingId, action,
        caller.userId(), err.getMessage()));
  }
}
