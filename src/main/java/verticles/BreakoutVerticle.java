package verticles;

import common.Addresses;
import config.Section;
import data.BreakoutRepository;
import handlers.MeetingAccess;
import handlers.collab.BroadcastToBreakoutsHandler;
import handlers.collab.CloseBreakoutsHandler;
import handlers.collab.CloseDueBreakoutsHandler;
import handlers.collab.ListBreakoutsHandler;
import handlers.collab.OpenBreakoutsHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Breakout rooms: opening, listing, broadcasting to and closing them, and their clock (timers and countdowns). */
public final class BreakoutVerticle extends VerticleBase {

  /** The {@code breakouts} settings. */
  record Settings(int maxRooms, int maxNameLength, int maxPeople, int maxDurationMinutes, int maxBroadcastLength,
                  int countdownSeconds, long sweepMs) {

    static Settings parse(JsonObject config) {
      Section s = Section.of(config, "breakouts");
      return new Settings(s.integer("maxRooms", 1, 1000), s.integer("maxNameLength", 1, 1000), s.integer("maxPeople", 1, 100_000),
        s.integer("maxDurationMinutes", 1, 10_080), s.integer("maxBroadcastLength", 1, 10_000), s.integer("countdownSeconds", 0, 3_600),
        s.longValue("sweepMs", 50, 60_000));
    }
  }

  private final Services services;

  public BreakoutVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    MeetingAccess access = new MeetingAccess(services.meetings());
    BreakoutRepository breakouts = new BreakoutRepository(services.db());
    vertx.setPeriodic(settings.sweepMs(), new CloseDueBreakoutsHandler(breakouts, services.presence(), eb, settings.countdownSeconds()));
    return Future.all(List.of(
      eb.consumer(Addresses.BREAKOUTS_OPEN, new OpenBreakoutsHandler(access, breakouts, services.meetings(), services.presence(), eb,
        settings.maxRooms(), settings.maxNameLength(), settings.maxPeople(), settings.maxDurationMinutes())).completion(),
      eb.consumer(Addresses.BREAKOUTS_LIST, new ListBreakoutsHandler(access, breakouts)).completion(),
      eb.consumer(Addresses.BREAKOUTS_BROADCAST, new BroadcastToBreakoutsHandler(access, breakouts, eb, settings.maxBroadcastLength())).completion(),
      eb.consumer(Addresses.BREAKOUTS_CLOSE, new CloseBreakoutsHandler(access, breakouts, eb, settings.countdownSeconds())).completion()));
  }
}
