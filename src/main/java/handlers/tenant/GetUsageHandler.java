package handlers.tenant;

import common.ParleyException;
import data.UsageRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * {@code parley.usage.get}: {@code {from?, to?}} (ISO-8601; default: this month so far) -> meeting
 * minutes, AI units and estimated cost per service for the caller's tenant. Admins only.
 */
public final class GetUsageHandler extends RequestHandler {

  private final UsageRepository usage;

  public GetUsageHandler(UsageRepository usage) {
    this.usage = usage;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    if (!caller.isAdmin()) {
      throw ParleyException.forbidden("usage needs the admin role");
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime from = Inputs.optionalTimestamp(body, "from");
    OffsetDateTime to = Inputs.optionalTimestamp(body, "to");
    if (from == null) {
      from = now.withDayOfMonth(1).withHour(0).withMinute(0).withSecond(0).withNano(0);
    }
    if (to == null) {
      to = now;
    }
    if (!from.isBefore(to)) {
      throw ParleyException.badRequest("from must be before to");
    }
    if (Duration.between(from, to).toDays() > 400) {
      throw ParleyException.badRequest("the range may span at most 400 days");
    }
    return usage.usage(caller.tenant(), from, to);
  }
}
