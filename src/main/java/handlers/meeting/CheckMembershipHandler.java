package handlers.meeting;

import common.ParleyException;
import data.MeetingRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.meeting.membership}: used by the gateway to authorise bridge frames before they
 * have any effect: {@code {member, present, role, status, admission}} ({@code admission}: the
 * lobby's word on the caller, or null). 404 for unknown and other tenants' meetings.
 */
public final class CheckMembershipHandler extends RequestHandler {

  private final MeetingRepository meetings;

  public CheckMembershipHandler(MeetingRepository meetings) {
    this.meetings = meetings;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    return meetings.membership(caller.tenant(), Inputs.meetingId(body), caller.userId()).compose(m -> m.exists()
      ? Future.succeededFuture(new JsonObject().put("member", m.member()).put("present", m.present())
        .put("role", m.role()).put("status", m.status()).put("admission", m.admission()))
      : Future.failedFuture(ParleyException.notFound("meeting not found")));
  }
}
