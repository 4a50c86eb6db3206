package verticles;

import common.Addresses;
import data.TranscriptRepository;
import handlers.MeetingAccess;
import handlers.captions.ExportTranscriptHandler;
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

/**
 * Recordings, shared files and exported transcripts: starting and completing chunked recordings,
 * listing, and what happens to a meeting's objects when it ends. The byte streams themselves go
 * through the gateway's routes straight to the blob store (a body cannot cross the event bus).
 */
public final class CollaborationVerticle extends VerticleBase {

  private final Services services;

  public CollaborationVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    EventBus eb = vertx.eventBus();
    Storage storage = services.storage();
    ObjectAccess access = new ObjectAccess(new MeetingAccess(services.meetings()), storage.objects());
    return Future.all(
      eb.consumer(Addresses.RECORDING_START, new StartRecordingHandler(access)).completion(),
      eb.consumer(Addresses.RECORDING_COMPLETE, new CompleteRecordingHandler(access, storage.store())).completion(),
      eb.consumer(Addresses.OBJECTS_LIST, new ListObjectsHandler(access)).completion(),
      eb.consumer(Addresses.MEETING_ENDED, both(new FinishRecordingsHandler(access, storage.store()),
        new ExportTranscriptHandler(vertx, access, new TranscriptRepository(services.db()), storage.store()))).completion());
  }

  /** A meeting's end is sent to one instance of this verticle, which finishes both its recordings and its transcript. */
  private static Handler<Message<Object>> both(Handler<Message<Object>> first, Handler<Message<Object>> second) {
    return message -> {
      first.handle(message);
      second.handle(message);
    };
  }
}
