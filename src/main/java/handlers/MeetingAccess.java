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

  /**
   * The caller runs the room: the meeting's host or a co-host (403 for anyone else in the tenant,
   * 404 for other tenants and unknown ids). Whether the meeting is over is for the caller to decide.
   */
  public Future<Membership> requireHostOrCohost(Identity caller, UUID meetingId) {
    return meetings.membership(caller.tenant(), meetingId, caller.userId()).compose(m -> {
      if (!m.exists()) {
        return Future.failedFuture(ParleyException.notFound("meeting not found"));
      }
      if (!m.runsRoom(caller.userId())) {
        return Future.failedFuture(ParleyException.forbidden("only the host or a co-host can do that"));
      }
      return Future.succeededFuture(m);
    });
  }

  /** As {@link #requireHostOrCohost}, and the meeting is not over (409). */
  public Future<Membership> requireRunningRoom(Identity caller, UUID meetingId) {
    return requireHostOrCohost(caller, meetingId).compose(m -> m.ended()
      ? Future.failedFuture(ParleyException.conflict("meeting has ended")) : Future.succeededFuture(m));
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
