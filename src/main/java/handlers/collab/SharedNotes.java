package handlers.collab;

import common.ParleyException;
import data.NotesRepository;
import data.NotesRepository.Update;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A meeting's shared notes as an Automerge document (the {@code org.automerge:automerge} Java
 * bindings of the Rust implementation; the web client runs the same Rust code compiled to wasm, so
 * both read and write the same changes). Every meeting's document starts from {@link #GENESIS}, one
 * fixed change that makes the root key {@code text} an empty text object; the document is that
 * change followed by every stored update in {@code seq} order. An update is one or more Automerge
 * changes, concatenated as Automerge encodes them.
 *
 * <p>An update is accepted only when it adds something the document did not have (garbage, a
 * repeat, or changes that depend on changes the server never saw leave the heads as they were) and
 * leaves the document a notes document: the root holds {@code text} and nothing else, still the
 * genesis text object (nobody can swap the notes for another object), at most {@code
 * maxTextLength} characters long. To check that, the update is applied to a copy of the document
 * kept per meeting ({@link #accept}); that copy is touched only on the event loop of the verticle
 * that owns this object, caught up from the database before each check, and dropped (freed) when an
 * update it took was then not stored, or when more than {@code cachedMeetings} meetings are cached.
 * What clients load ({@link #load}) and what the meeting's end exports is always rebuilt from the
 * database, on a worker thread. Public only to be made by the verticle; its handlers use it.
 */
public final class SharedNotes {

  /**
   * The first change of every meeting's notes: actor {@code parley-notes}, sequence 1, {@code
   * text} = a new text object (made once with these bindings; constant so that every server and
   * every meeting agree on the text object's id, {@link #TEXT_ID}).
   */
  static final byte[] GENESIS = Base64.getDecoder().decode("hW9Kg0reC7UBKwAMcGFybGV5LW5vdGVzAQEAAAAFFQY0AUICVgJwAn8EdGV4dAF/BH8AfwA=");
  /** The notes' text object: operation 1 of actor {@code parley-notes} (hex). */
  static final String TEXT_ID = "1@7061726c65792d6e6f746573";
  private static final int PAGE = 5000;
  private static final String AUTOMERGE_ERROR = "org.automerge.AutomergeException";

  /** The {@code collab.notes} settings that bound a document. */
  public record Limits(int maxUpdateBytes, int maxTextLength, int cachedMeetings) {
  }

  /** A document as of {@code seq} (every update up to it applied). */
  record Loaded(long seq, byte[] state, String text) {
  }

  private static final class Cached {
    final Document doc;
    long seq;
    boolean freed;

    Cached(Document doc, long seq) {
      this.doc = doc;
      this.seq = seq;
    }
  }

  private final Vertx vertx;
  private final NotesRepository repository;
  private final Limits limits;
  private final Map<UUID, Future<Cached>> cache = new LinkedHashMap<>(16, 0.75f, true);

  public SharedNotes(Vertx vertx, NotesRepository repository, Limits limits) {
    this.vertx = vertx;
    this.repository = repository;
    this.limits = limits;
  }

  Limits limits() {
    return limits;
  }

  /**
   * Checks that {@code changes} is a good update of the meeting's notes as stored now, and takes it
   * into the cached copy (400 not Automerge changes, nothing new, or not the notes any more; 413
   * the text would grow past the limit). The caller then stores it, and calls {@link #stored} or,
   * when storing failed, {@link #forget}.
   */
  Future<Void> accept(String tenant, UUID meetingId, byte[] changes) {
    return caughtUp(tenant, meetingId).compose(cached -> {
      if (cached.freed) {
        return accept(tenant, meetingId, changes);
      }
      ChangeHash[] before = cached.doc.getHeads();
      try {
        cached.doc.applyEncodedChanges(changes);
        if (Arrays.equals(before, cached.doc.getHeads())) {
          throw ParleyException.badRequest("update adds nothing to the notes (not Automerge changes, a repeat,"
            + " or changes that depend on ones the server has not seen)");
        }
        check(cached.doc, limits.maxTextLength());
        return Future.<Void>succeededFuture();
      } catch (ParleyException e) {
        forget(meetingId);
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        forget(meetingId);
        // the bindings' AutomergeException is not public: what they refuse to parse
        return Future.failedFuture(AUTOMERGE_ERROR.equals(e.getClass().getName())
          ? ParleyException.badRequest("update is not a list of Automerge changes: " + e.getMessage()) : e);
      }
    });
  }

  /** The update at {@code seq} is stored (and was taken by {@link #accept}). */
  void stored(UUID meetingId, long seq) {
    Future<Cached> entry = cache.get(meetingId);
    if (entry != null && entry.succeeded() && entry.result().seq == seq - 1) {
      entry.result().seq = seq;
    }
  }

  /** Drops (and frees) the cached copy: the next update rebuilds it from the database. */
  void forget(UUID meetingId) {
    Future<Cached> entry = cache.remove(meetingId);
    if (entry != null) {
      entry.onSuccess(SharedNotes::free);
    }
  }

  private static void free(Cached cached) {
    if (!cached.freed) {
      cached.freed = true;
      cached.doc.free();
    }
  }

  private Future<Cached> caughtUp(String tenant, UUID meetingId) {
    Future<Cached> entry = cache.get(meetingId);
    if (entry == null) {
      entry = updates(tenant, meetingId, 0).compose(updates -> vertx.executeBlocking(() -> {
        long seq = updates.isEmpty() ? 0 : updates.get(updates.size() - 1).seq();
        return new Cached(build(updates), seq);
      }, false));
      cache.put(meetingId, entry);
      Future<Cached> mine = entry;
      entry.onFailure(err -> cache.remove(meetingId, mine));
      while (cache.size() > limits.cachedMeetings()) {
        UUID eldest = cache.keySet().iterator().next();
        forget(eldest);
      }
      return entry;
    }
    return entry.compose(cached -> updates(tenant, meetingId, cached.seq).map(updates -> {
      if (!cached.freed) {
        for (Update u : updates) {
          cached.doc.applyEncodedChanges(u.changes());
        }
        if (!updates.isEmpty()) {
          cached.seq = Math.max(cached.seq, updates.get(updates.size() - 1).seq());
        }
      }
      return cached;
    }));
  }

  /** The notes as stored now, rebuilt from the database on a worker thread. */
  Future<Loaded> load(String tenant, UUID meetingId) {
    return updates(tenant, meetingId, 0).compose(updates -> vertx.executeBlocking(() -> {
      Document doc = build(updates);
      try {
        return new Loaded(updates.isEmpty() ? 0 : updates.get(updates.size() - 1).seq(), doc.save(), text(doc));
      } finally {
        doc.free();
      }
    }, false));
  }

  /** Every update with {@code seq > after}, in order. */
  Future<List<Update>> updates(String tenant, UUID meetingId, long after) {
    return page(tenant, meetingId, after, new ArrayList<>());
  }

  private Future<List<Update>> page(String tenant, UUID meetingId, long after, List<Update> into) {
    return repository.history(tenant, meetingId, after, PAGE).compose(page -> {
      into.addAll(page);
      return page.size() < PAGE ? Future.succeededFuture(into)
        : page(tenant, meetingId, page.get(page.size() - 1).seq(), into);
    });
  }

  /** The genesis and then {@code updates}, applied at once (blocking: a worker's job for a long history). */
  static Document build(List<Update> updates) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(GENESIS);
    updates.forEach(u -> all.writeBytes(u.changes()));
    Document doc = new Document();
    doc.applyEncodedChanges(all.toByteArray());
    return doc;
  }

  /** The notes' text. */
  static String text(Document doc) {
    return doc.text(textId(doc)).orElse("");
  }

  private static ObjectId textId(Document doc) {
    return doc.get(ObjectId.ROOT, "text").filter(v -> v instanceof AmValue.Text)
      .map(v -> ((AmValue.Text) v).getId()).orElseThrow(() -> ParleyException.badRequest("the notes must stay one text"));
  }

  /** 400 when {@code doc} is no longer a notes document; 413 when its text is longer than {@code maxTextLength}. */
  static void check(Document doc, int maxTextLength) {
    String[] keys = doc.keys(ObjectId.ROOT).orElse(new String[0]);
    if (keys.length != 1 || !"text".equals(keys[0])) {
      throw ParleyException.badRequest("an update may change the notes' text only");
    }
    ObjectId id = textId(doc);
    if (!TEXT_ID.equals(id.toString())) {
      throw ParleyException.badRequest("an update may not replace the notes' text");
    }
    if (doc.length(id) > maxTextLength) {
      throw ParleyException.tooLarge("the notes hold at most " + maxTextLength + " characters");
    }
  }
}
