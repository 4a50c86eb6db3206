package handlers;

import common.ParleyException;
import data.MeetingRepository;
import data.MeetingRepository.Membership;
import io.vertx.core.Future;
import security.Identity;

import java.util.UUID;

/** The membership rules every meeting-scoped request goes through. Other tenants' ids are 404. */
public final class MeetingAccess {

  private final MeetingRepository meetings;

  public MeetingAccess(MeetingRepository meetings) {
    this.meetings = meetings;
  }

  /** The caller has joined and not left, and the meeting is not over. */
  public Future<Membership> requirePresent(Identity caller, UUID meetingId) {
    return meetings.membership(caller.tenant(), meetingId, caller.userId()).compose(m -> {
      if (!m.exists()) {
        return Future.failedFuture(ParleyException.notFound("meeting not found"));
      }
      if (m.ended()) {
        return Future.failedFuture(ParleyException.conflict("meeting has ended"));
      }
      if (!m.present()) {
        return Future.failedFuture(ParleyException.forbidden("join the meeting first"));
      }
      return Future.succeededFuture(m);
    });
  }

  /** The caller has joined this meeting at some time (history stays readable after leaving). */
  public Future<Membership> requireMember(Identity caller, UUID meetingId) {
    return meetings.membership(caller.tenant(), meetingId, caller.userId()).compose(m -> {
      if (!m.exists()) {
        return Future.failedFuture(ParleyException.notFound("meeting not found"));
      }
      if (!m.member()) {
        return Future.failedFuture(ParleyException.forbidden("join the meeting first"));
      }
      return Future.succeededFuture(m);
    });
  }
}
