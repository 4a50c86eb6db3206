package verticles;

import data.RecapRepository;
import handlers.AiUsage;
import handlers.recap.WriteRecapHandler;
import handlers.storage.MeetingExports;
import common.Addresses;
import config.Section;
import data.PollRepository;
import data.NotesRepository;
import data.WhiteboardRepository;
import data.TranscriptRepository;
import handlers.MeetingAccess;
import handlers.captions.ExportTranscriptHandler;
import handlers.collab.ClosePollHandler;
import handlers.collab.CreatePollHandler;
import handlers.collab.DrawOnWhiteboardHandler;
import handlers.collab.EditNotesHandler;
import handlers.collab.ExportNotesHandler;
import handlers.collab.ListNotesHandler;
import handlers.collab.LoadNotesHandler;
import handlers.collab.SharedNotes;
import handlers.collab.ExportPollsHandler;
import handlers.collab.ExportWhiteboardHandler;
import handlers.collab.GetPollHandler;
import handlers.collab.ListPollsHandler;
import handlers.collab.ListWhiteboardHandler;
import handlers.collab.MovePointerHandler;
import handlers.collab.VotePollHandler;
import handlers.storage.CompleteRecordingHandler;
import handlers.storage.FinishRecordingsHandler;
import handlers.storage.ListObjectsHandler;
import handlers.storage.ObjectAccess;
import handlers.storage.StartRecordingHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Recordings, shared files and exported transcripts: starting and completing chunked recordings,
 * listing, and what happens to a meeting's objects when it ends (recordings completed; transcript,
 * recap, poll results, whiteboard and notes written and exported); polls, the whiteboard and the shared notes. The byte streams themselves go
 * through the gateway's routes straight to the blob store (a body cannot cross the event bus).
 */
public final class CollaborationVerticle extends VerticleBase {

  /** The {@code collab} settings. */
  record Settings(int maxOptions, int maxQuestionLength, int maxOptionLength, int boardWidth, int boardHeight,
                  int maxPoints, int maxBoardText, int boardPageMax, SharedNotes.Limits notes, int notesPageMax) {

    static Settings parse(JsonObject config) {
      Section polls = Section.of(config, "collab").section("polls");
      Section board = Section.of(config, "collab").section("whiteboard");
      Section notes = Section.of(config, "collab").section("notes");
      return new Settings(polls.integer("maxOptions", 2, 100), polls.integer("maxQuestionLength", 1, 10_000),
        polls.integer("maxOptionLength", 1, 10_000), board.integer("width", 16, 8192), board.integer("height", 16, 8192),
        board.integer("maxPoints", 1, 100_000), board.integer("maxTextLength", 1, 100_000),
        board.integer("historyPageMax", 1, 100_000),
        new SharedNotes.Limits(notes.integer("maxUpdateBytes", 64, 8 << 20), notes.integer("maxTextLength", 1, 10_000_000),
          notes.integer("cachedMeetings", 1, 100_000)),
        notes.integer("historyPageMax", 1, 100_000));
    }
  }

  private final Services services;

  public CollaborationVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Settings settings = Settings.parse(services.config());
    EventBus eb = vertx.eventBus();
    Storage storage = services.storage();
    MeetingAccess meetings = new MeetingAccess(services.meetings());
    ObjectAccess access = new ObjectAccess(meetings, storage.objects());
    MeetingExports exports = new MeetingExports(vertx, access, storage.store());
    WriteRecapHandler recap = new WriteRecapHandler(new RecapRepository(services.db()), services.ai().summarizer(),
      services.ai().offlineSummarizer(), new AiUsage(eb), services.metrics(), exports);
    PollRepository polls = new PollRepository(services.db());
    WhiteboardRepository board = new WhiteboardRepository(services.db());
    NotesRepository noteUpdates = new NotesRepository(services.db());
    SharedNotes notes = new SharedNotes(vertx, noteUpdates, settings.notes());
    return Future.all(List.of(
      eb.consumer(Addresses.WHITEBOARD_DRAW, new DrawOnWhiteboardHandler(meetings, board, eb, settings.boardWidth(),
        settings.boardHeight(), settings.maxPoints(), settings.maxBoardText())).completion(),
      eb.consumer(Addresses.WHITEBOARD_POINTER, new MovePointerHandler(eb, settings.boardWidth(), settings.boardHeight())).completion(),
      eb.consumer(Addresses.WHITEBOARD_HISTORY, new ListWhiteboardHandler(meetings, board, settings.boardPageMax())).completion(),
      eb.consumer(Addresses.NOTES_UPDATE, new EditNotesHandler(meetings, noteUpdates, notes, eb)).completion(),
      eb.consumer(Addresses.NOTES_HISTORY, new ListNotesHandler(meetings, noteUpdates, settings.notesPageMax())).completion(),
      eb.consumer(Addresses.NOTES_STATE, new LoadNotesHandler(meetings, notes)).completion(),
      eb.consumer(Addresses.POLL_CREATE, new CreatePollHandler(meetings, polls, eb, settings.maxOptions(),
        settings.maxQuestionLength(), settings.maxOptionLength())).completion(),
      eb.consumer(Addresses.POLL_VOTE, new VotePollHandler(meetings, polls, eb)).completion(),
      eb.consumer(Addresses.POLL_CLOSE, new ClosePollHandler(meetings, polls, eb)).completion(),
      eb.consumer(Addresses.POLL_GET, new GetPollHandler(meetings, polls, eb)).completion(),
      eb.consumer(Addresses.POLL_LIST, new ListPollsHandler(meetings, polls)).completion(),
      eb.consumer(Addresses.RECORDING_START, new StartRecordingHandler(access, eb)).completion(),
      eb.consumer(Addresses.RECORDING_COMPLETE, new CompleteRecordingHandler(access, storage.store(), eb)).completion(),
      eb.consumer(Addresses.OBJECTS_LIST, new ListObjectsHandler(access, new data.ServerRecordingRepository(services.db()))).completion(),
      eb.consumer(Addresses.MEETING_ENDED, all(new FinishRecordingsHandler(access, storage.store(), eb),
        new ExportTranscriptHandler(exports, new TranscriptRepository(services.db()), eb), recap,
        new ExportPollsHandler(polls, exports),
        new ExportWhiteboardHandler(board, exports, settings.boardWidth(), settings.boardHeight()),
        new ExportNotesHandler(notes, exports))).completion()));
  }

  /**
   * A meeting's end is sent to one instance of this verticle, which finishes its recordings and
   * writes and exports its transcript, recap, poll results, whiteboard and notes.
   */
  @SafeVarargs
  private static Handler<Message<Object>> all(Handler<Message<Object>>... handlers) {
    return message -> {
      for (Handler<Message<Object>> handler : handlers) {
        handler.handle(message);
      }
    };
  }
}
