package data.blob;

import common.ParleyException;

/** Turns whatever a provider throws into the contract's statuses; once, here. */
final class Errors {

  private Errors() {
  }

  /** A ParleyException passes through; anything else means the store is not working: 503. */
  static ParleyException unavailable(Throwable err) {
    if (err instanceof ParleyException pe) {
      return pe;
    }
    return new ParleyException(503, "unavailable", "blob store unavailable: " + rootMessage(err), err);
  }

  static ParleyException rangeNotSatisfiable(String message) {
    return new ParleyException(416, "range_not_satisfiable", message);
  }

  static ParleyException archived(BlobKey key) {
    return ParleyException.conflict("blob " + key + " is archived; rehydration started, try again later");
  }

  static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static boolean hasCause(Throwable err, Class<? extends Throwable> type) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The byte range {@code [start, end]} that a read serves, after the checks of {@link BlobStore#read}. */
  record Range(long start, long length) {
    static Range of(BlobKey key, long size, long start, long endInclusive) {
      if (start < 0) {
        throw ParleyException.badRequest("range start must not be negative");
      }
      if (size == 0 && start == 0) {
        return new Range(0, 0);
      }
      if (start >= size) {
        throw rangeNotSatisfiable("range starts at " + start + " but " + key + " has " + size + " bytes");
      }
      long end = endInclusive < 0 || endInclusive >= size ? size - 1 : endInclusive;
      if (end < start) {
        throw ParleyException.badRequest("range end " + endInclusive + " is before its start " + start);
      }
      return new Range(start, end - start + 1);
    }
  }
}
