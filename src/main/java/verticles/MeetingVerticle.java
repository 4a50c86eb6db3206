package verticles;

import common.Addresses;
import config.Section;
import data.RateCounter;
import data.RoomRepository;
import handlers.MeetingAccess;
import handlers.meeting.AnswerKnockHandler;
import handlers.meeting.AppendAuditHandler;
import handlers.meeting.ChangeRoleHandler;
import handlers.meeting.CheckMembershipHandler;
import handlers.meeting.CreateMeetingHandler;
import handlers.meeting.EndMeetingHandler;
import handlers.meeting.GetMeetingHandler;
import handlers.meeting.JoinMeetingHandler;
import handlers.meeting.LeaveMeetingHandler;
import handlers.meeting.ListAuditHandler;
import handlers.meeting.ListLobbyHandler;
import handlers.meeting.ListMeetingsHandler;
import handlers.meeting.ListParticipantsHandler;
import handlers.meeting.MeetingEvents;
import handlers.meeting.MuteEveryoneHandler;
import handlers.meeting.MuteParticipantHandler;
import handlers.meeting.PingPresenceHandler;
import handlers.meeting.RaiseHandHandler;
import handlers.meeting.RemoveParticipantHandler;
import handlers.meeting.ReportMediaStateHandler;
import handlers.meeting.SendReactionHandler;
import handlers.meeting.SendSignalHandler;
import handlers.meeting.TrackBridgeSocketsHandler;
import handlers.meeting.UpdateMeetingHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Meetings, membership, presence, hands, signaling, and the host's control of the room (lobby,
 * removals, mutes, roles, settings, audit): wires event-bus addresses to handlers.
 */
public final class MeetingVerticle extends VerticleBase {

  /** The {@code presence} and {@code lobby} settings. */
  record Settings(long graceMillis, JoinMeetingHandler.LobbyLimits lobby) {
    static Settings parse(JsonObject config) {
      Section lobby = Section.of(config, "lobby");
      return new Settings(Section.of(config, "presence").longValue("graceSeconds", 0, 3_600) * 1000,
        new JoinMeetingHandler.LobbyLimits(lobby.integer("maxWaiting", 1, 100_000), lobby.integer("knocksPerMinute", 1, 10_000)));
    }
  }

  private final Services services;

  public MeetingVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    var meetings = services.meetings();
    var presence = services.presence();
    MeetingAccess access = new MeetingAccess(meetings);
    RoomRepository room = new RoomRepository(services.db());
    MeetingEvents events = new MeetingEvents(eb, presence);
    TrackBridgeSocketsHandler sockets = new TrackBridgeSocketsHandler(vertx, presence, events, settings.graceMillis());

    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.add(eb.consumer(Addresses.MEETING_CREATE, new CreateMeetingHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_LIST, new ListMeetingsHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_GET, new GetMeetingHandler(meetings)));
    consumers.add(eb.consumer(Addresses.MEETING_JOIN, new JoinMeetingHandler(meetings, presence, events,
      new RateCounter(services.redis()), settings.lobby(), eb)));
    consumers.add(eb.consumer(Addresses.MEETING_LEAVE, new LeaveMeetingHandler(meetings, presence, events, eb)));
    consumers.add(eb.consumer(Addresses.MEETING_END, new EndMeetingHandler(meetings, presence, events, services.metrics(), eb)));
    consumers.add(eb.consumer(Addresses.MEETING_PARTICIPANTS, new ListParticipantsHandler(access, presence)));
    consumers.add(eb.consumer(Addresses.MEETING_MEMBERSHIP, new CheckMembershipHandler(meetings)));
    consumers.add(eb.consumer(Addresses.PRESENCE_PING, new PingPresenceHandler(access, presence, events)));
    consumers.add(eb.consumer(Addresses.PRESENCE_CONNECTED, sockets.connected()));
    consumers.add(eb.consumer(Addresses.PRESENCE_DISCONNECTED, sockets.disconnected()));
    consumers.add(eb.consumer(Addresses.MEETING_HAND, new RaiseHandHandler(access, presence, events)));
    consumers.add(eb.consumer(Addresses.MEETING_REACTION, new SendReactionHandler(access, events)));
    consumers.add(eb.consumer(Addresses.MEETING_MEDIA, new ReportMediaStateHandler(access, presence, events)));
    consumers.add(eb.consumer(Addresses.SIGNAL_SEND, new SendSignalHandler(access, meetings, eb)));
    // the host's control of the room
    consumers.add(eb.consumer(Addresses.MEETING_UPDATE, new UpdateMeetingHandler(access, room, events)));
    consumers.add(eb.consumer(Addresses.MEETING_LOBBY, new ListLobbyHandler(access, room)));
    consumers.add(eb.consumer(Addresses.MEETING_ADMIT, new AnswerKnockHandler(AnswerKnockHandler.Answer.ADMITTED, access, room, events)));
    consumers.add(eb.consumer(Addresses.MEETING_DENY, new AnswerKnockHandler(AnswerKnockHandler.Answer.DENIED, access, room, events)));
    consumers.add(eb.consumer(Addresses.MEETING_REMOVE, new RemoveParticipantHandler(access, room, presence, events, eb)));
    consumers.add(eb.consumer(Addresses.MEETING_MUTE, new MuteParticipantHandler(access, room, events, eb)));
    consumers.add(eb.consumer(Addresses.MEETING_MUTE_ALL, new MuteEveryoneHandler(access, room, events, eb)));
    consumers.add(eb.consumer(Addresses.MEETING_ROLE, new ChangeRoleHandler(access, room, events)));
    consumers.add(eb.consumer(Addresses.MEETING_AUDIT, new ListAuditHandler(meetings, room)));
    consumers.add(eb.consumer(Addresses.AUDIT_APPEND, new AppendAuditHandler(access, room)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
