package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.StoredObject;
import data.StoredObjectRepository;
import data.blob.BlobKey;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import security.Identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

/**
 * Who may touch a stored object, and the small parsing rules shared by the storage routes. An
 * object is readable by the participants of its meeting (now or earlier); another tenant's object,
 * an unknown id and a malformed id are all 404, so ids cannot be probed.
 */
public final class ObjectAccess {

  /** The object kinds served by {@code /recordings/{rid}}. */
  public static final Set<String> RECORDINGS = Set.of("recording");
  /**
   * The object kinds served by {@code /files/{fid}}: shared files, and what a meeting's end exports
   * (transcripts, poll results, the whiteboard, the shared notes).
   */
  public static final Set<String> FILES = Set.of("file", "transcript", "polls", "whiteboard", "notes");

  private static final int MAX_NAME = 200;

  private final MeetingAccess meetings;
  private final StoredObjectRepository objects;

  public ObjectAccess(MeetingAccess meetings, StoredObjectRepository objects) {
    this.meetings = meetings;
    this.objects = objects;
  }

  public StoredObjectRepository objects() {
    return objects;
  }

  public MeetingAccess meetings() {
    return meetings;
  }

  /** The object, when it is of one of {@code kinds} and the caller is a participant of its meeting. */
  public Future<StoredObject> requireReadable(Identity caller, UUID id, Set<String> kinds) {
    return objects.find(caller.tenant(), id).compose(found -> {
      if (found.isEmpty() || !kinds.contains(found.get().kind())) {
        return Future.failedFuture(ParleyException.notFound(noun(kinds) + " not found"));
      }
      StoredObject o = found.get();
      return meetings.requireMember(caller, o.meetingId()).map(m -> o);
    });
  }

  /** A path id: anything but a canonical UUID is 404 (no such object can exist). */
  public static UUID id(String raw, Set<String> kinds) {
    UUID id = canonical(raw);
    if (id == null) {
      throw ParleyException.notFound(noun(kinds) + " not found");
    }
    return id;
  }

  /** The meeting id of a path: anything but a canonical UUID is 404. */
  public static UUID meetingId(String raw) {
    UUID id = canonical(raw);
    if (id == null) {
      throw ParleyException.notFound("meeting not found");
    }
    return id;
  }

  private static UUID canonical(String raw) {
    try {
      UUID id = UUID.fromString(raw);
      return id.toString().equals(raw) ? id : null;
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /**
   * A display name from a client ({@code X-File-Name}, percent-encoded UTF-8 allowed): only its last
   * path segment, without control characters or leading dots, at most 200 characters. It is shown
   * to people and put in {@code Content-Disposition}; it never names anything in the store, whose
   * keys the server generates ({@link BlobKey}).
   */
  public static String displayName(String raw, String fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = raw;
    }
    int cut = Math.max(decoded.lastIndexOf('/'), decoded.lastIndexOf('\\'));
    String last = decoded.substring(cut + 1);
    StringBuilder sb = new StringBuilder();
    last.codePoints().filter(cp -> !Character.isISOControl(cp) && cp != '"' && Character.getType(cp) != Character.FORMAT
        && Character.getType(cp) != Character.SURROGATE)
      .forEach(sb::appendCodePoint);
    String name = sb.toString().strip();
    while (name.startsWith(".")) {
      name = name.substring(1);
    }
    name = name.strip();
    if (name.codePointCount(0, name.length()) > MAX_NAME) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
    }
    return name.isEmpty() ? fallback : name;
  }

  /** The store's key segment for an object kind. */
  public static BlobKey.Kind blobKind(String kind) {
    return switch (kind) {
      case "recording" -> BlobKey.Kind.RECORDINGS;
      case "file", "polls", "whiteboard", "notes" -> BlobKey.Kind.FILES;
      case "transcript" -> BlobKey.Kind.TRANSCRIPTS;
      default -> throw new IllegalArgumentException("unknown object kind " + kind);
    };
  }

  private static String noun(Set<String> kinds) {
    return kinds.equals(RECORDINGS) ? "recording" : "file";
  }
}
