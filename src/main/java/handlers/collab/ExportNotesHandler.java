package handlers.collab;

import handlers.storage.ExportAtMeetingEnd;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.UUID;

/**
 * {@code parley.meeting.ended}: the shared notes' text, rebuilt from every stored update on a worker
 * thread, written as {@code notes.md} (the text as typed: people write Markdown there) and listed
 * with the meeting's files ({@code kind: notes}). Nothing is written when nobody wrote anything.
 */
public final class ExportNotesHandler extends ExportAtMeetingEnd {

  private final SharedNotes notes;

  public ExportNotesHandler(SharedNotes notes, MeetingExports exports) {
    super(exports, "notes");
    this.notes = notes;
  }

  @Override
  protected Future<Integer> export(String tenant, UUID meetingId) {
    notes.forget(meetingId);
    return notes.load(tenant, meetingId).compose(loaded -> {
      if (loaded.seq() == 0 || loaded.text().isBlank()) {
        return Future.succeededFuture(0);
      }
      String text = loaded.text().endsWith("\n") ? loaded.text() : loaded.text() + "\n";
      return exports.put(tenant, meetingId, "notes", "notes.md", "text/markdown", Buffer.buffer(text))
        .map(stored -> (int) loaded.seq());
    });
  }
}
