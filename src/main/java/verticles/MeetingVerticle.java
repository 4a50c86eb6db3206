package verticles;

import common.Addresses;
import config.Section;
import handlers.MeetingAccess;
import handlers.meeting.CheckMembershipHandler;
import handlers.meeting.CreateMeetingHandler;
import handlers.meeting.EndMeetingHandler;
import handlers.meeting.GetMeetingHandler;
import handlers.meeting.JoinMeetingHandler;
import handlers.meeting.LeaveMeetingHandler;
import handlers.meeting.ListMeetingsHandler;
import handlers.meeting.ListParticipantsHandler;
import handlers.meeting.MeetingEvents;
import handlers.meeting.PingPresenceHandler;
import handlers.meeting.RaiseHandHandler;
import handlers.meeting.SendSignalHandler;
import handlers.meeting.TrackBridgeSocketsHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;

/** Meetings, membership, presence, hands and signaling: wires event-bus addresses to handlers. */
public final class MeetingVerticle extends VerticleBase {

  private final Services services;

  public MeetingVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    var meetings = services.meetings();
    var presence = services.presence();
    MeetingAccess access = new MeetingAccess(meetings);
    MeetingEvents events = new MeetingEvents(eb, presence);
    TrackBridgeSocketsHandler sockets = new TrackBridgeSocketsHandler(vertx, presence, events,
      Section.of(services.config(), "presence").longValue("graceSeconds", 0, 3_600) * 1000);

    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.add(eb.consumer(Addresses.MEETING_CREATE, new CreateMeetingHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_LIST, new ListMeetingsHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_GET, new GetMeetingHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_JOIN, new JoinMeetingHandler(meetings, presence, events)));
    consumers.add(eb.consumer(Addresses.MEETING_LEAVE, new LeaveMeetingHandler(meetings, presence, events)));
    consumers.add(eb.consumer(Addresses.MEETING_END, new EndMeetingHandler(meetings, presence, events, services.metrics(), eb)));
    consumers.add(eb.consumer(Addresses.MEETING_PARTICIPANTS, new ListParticipantsHandler(access, presence)));
    consumers.add(eb.consumer(Addresses.MEETING_MEMBERSHIP, new CheckMembershipHandler(meetings)));
    consumers.add(eb.consumer(Addresses.PRESENCE_PING, new PingPresenceHandler(access, presence, events)));
    consumers.add(eb.consumer(Addresses.PRESENCE_CONNECTED, sockets.connected()));
    consumers.add(eb.consumer(Addresses.PRESENCE_DISCONNECTED, sockets.disconnected()));
    consumers.add(eb.consumer(Addresses.MEETING_HAND, new RaiseHandHandler(access, presence, events)));
    consumers.add(eb.consumer(Addresses.SIGNAL_SEND, new SendSignalHandler(access, meetings, eb)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
