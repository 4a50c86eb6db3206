package data.blob;

import common.ParleyException;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an upload is from its first bytes, so a spoofed {@code Content-Type} cannot pass:
 * the routes read the first {@link #HEAD_BYTES} bytes, then call {@link #checkRecording} or
 * {@link #checkSharedFile}, which fail with 415 when the bytes are not an allowed type or do not
 * match the declared one, and return the type to store.
 */
public final class ContentSniffer {

  /** How many leading bytes detection looks at (fewer is fine for a shorter body). */
  public static final int HEAD_BYTES = 4096;

  public static final String WEBM = "video/webm";
  public static final String MATROSKA = "video/x-matroska";
  public static final String MP4 = "video/mp4";
  public static final String PDF = "application/pdf";
  public static final String PNG = "image/png";
  public static final String JPEG = "image/jpeg";
  public static final String GIF = "image/gif";
  public static final String ZIP = "application/zip";
  public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  public static final String ODT = "application/vnd.oasis.opendocument.text";
  public static final String ODS = "application/vnd.oasis.opendocument.spreadsheet";
  public static final String ODP = "application/vnd.oasis.opendocument.presentation";
  public static final String TEXT = "text/plain";

  private static final Set<String> RECORDINGS = Set.of(WEBM, MP4);
  private static final Set<String> SHARED = Set.of(PDF, PNG, JPEG, GIF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT, WEBM, MP4);
  private static final Set<String> OFFICE = Set.of(DOCX, XLSX, PPTX, ODT, ODS, ODP);

  /** Declared types that a detected type answers for (beyond itself). */
  private static final Map<String, Set<String>> ALIASES = Map.of(
      WEBM, Set.of("video/webm", "audio/webm"),
      MP4, Set.of("video/mp4", "audio/mp4", "application/mp4"),
      JPEG, Set.of("image/jpeg", "image/jpg", "image/pjpeg"),
      TEXT, Set.of("text/plain", "text/csv", "text/markdown", "text/vtt", "application/json"),
      DOCX, Set.of(DOCX, ZIP), XLSX, Set.of(XLSX, ZIP), PPTX, Set.of(PPTX, ZIP));

  private ContentSniffer() {
  }

  /** The type the bytes are, or empty when they are none of the known ones (or there are none). */
  public static Optional<String> detect(Buffer head) {
    byte[] b = head == null ? new byte[0] : head.getBytes(0, Math.min(head.length(), HEAD_BYTES));
    if (b.length == 0) {
      return Optional.empty();
    }
    if (startsWith(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      // EBML header: its DocType element (0x42 0x82) says webm or matroska.
      int at = indexOf(b, new byte[]{0x42, (byte) 0x82}, 4, Math.min(b.length, 64));
      if (at >= 0 && at + 3 < b.length) {
        int len = (b[at + 2] & 0xFF) & 0x7F; // one-byte EBML size (0x84 -> 4)
        if (at + 3 + len <= b.length
            && new String(b, at + 3, len, StandardCharsets.US_ASCII).equals("webm")) {
          return Optional.of(WEBM);
        }
      }
      return Optional.of(MATROSKA);
    }
    if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return Optional.of(MP4);
    }
    if (startsWith(b, 0, '%', 'P', 'D', 'F', '-')) {
      return Optional.of(PDF);
    }
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return Optional.of(GIF);
    }
    if (startsWith(b, 0, 'P', 'K', 0x03, 0x04)) {
      return Optional.of(zipKind(b));
    }
    if (isText(b)) {
      return Optional.of(TEXT);
    }
    return Optional.empty();
  }

  /**
   * Checks a recording: the bytes must be WebM or MP4 and the declared type (parameters such
   * as {@code codecs=} ignored) must agree with them. Returns the type to store; 415 otherwise.
   */
  public static String checkRecording(String declaredContentType, Buffer head) {
    return check(declaredContentType, head, RECORDINGS, "recordings must be video/webm or video/mp4");
  }

  /**
   * Checks a shared file: PDF, images (PNG, JPEG, GIF), office documents (OOXML, ODF), plain
   * text, WebM or MP4, with a declared type that agrees ({@code application/octet-stream} or none
   * takes the detected one). Returns the type to store; 415 otherwise.
   */
  public static String checkSharedFile(String declaredContentType, Buffer head) {
    return check(declaredContentType, head, SHARED, "this file type cannot be shared");
  }

  /** True for the types a recording may have: {@code video/webm} and {@code video/mp4} (parameters ignored). */
  public static boolean allowedRecording(String type) {
    return RECORDINGS.contains(baseType(type));
  }

  /**
   * True for the types a shared file may have: PDF, PNG, JPEG, GIF, OOXML and ODF documents,
   * plain text (also declared as CSV, Markdown, VTT or JSON), WebM and MP4. A bare
   * {@code application/zip} is not allowed: an archive can carry anything.
   */
  public static boolean allowedFile(String type) {
    String base = baseType(type);
    if (base.equals(ZIP)) {
      return false;
    }
    return SHARED.contains(base) || SHARED.stream().anyMatch(t -> ALIASES.getOrDefault(t, Set.of()).contains(base));
  }

  private static String check(String declared, Buffer head, Set<String> allowed, String refusal) {
    String detected = detect(head).orElseThrow(() -> ParleyException.unsupportedType(refusal
        + " (the content is of no known type)"));
    if (detected.equals(ZIP) && allowed.containsAll(OFFICE) && OFFICE.contains(baseType(declared))) {
      // A ZIP whose first 4 KiB do not name its parts: an office document is taken at its word.
      return baseType(declared);
    }
    if (!allowed.contains(detected)) {
      throw ParleyException.unsupportedType(refusal + " (the content is " + detected + ")");
    }
    String base = baseType(declared);
    if (base.isEmpty() || base.equals("application/octet-stream")) {
      return detected;
    }
    if (!base.equals(detected) && !ALIASES.getOrDefault(detected, Set.of()).contains(base)) {
      throw ParleyException.unsupportedType("the content is " + detected + " but was declared as " + base);
    }
    return detected.equals(TEXT) ? base + "; charset=utf-8" : detected;
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static String zipKind(byte[] b) {
    // ODF puts an uncompressed "mimetype" entry first; OOXML names its parts in the local headers.
    String ascii = new String(b, StandardCharsets.ISO_8859_1);
    if (ascii.startsWith("mimetype", 30)) {
      if (ascii.startsWith(ODT, 38)) {
        return ODT;
      }
      if (ascii.startsWith(ODS, 38)) {
        return ODS;
      }
      if (ascii.startsWith(ODP, 38)) {
        return ODP;
      }
    }
    if (ascii.contains("word/")) {
      return DOCX;
    }
    if (ascii.contains("xl/")) {
      return XLSX;
    }
    if (ascii.contains("ppt/")) {
      return PPTX;
    }
    return ZIP;
  }

  /** Valid UTF-8 (a sequence cut at the end of the head is fine), no NUL, few control characters. */
  private static boolean isText(byte[] b) {
    int i = 0;
    int controls = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (c == 0) {
          return false;
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
          controls++;
        }
        i++;
        continue;
      }
      int extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? (c <= 0xEF ? 2 : -1) : c >= 0xC2 && c <= 0xDF ? 1 : -1;
      if (extra < 0) {
        return false;
      }
      for (int k = 1; k <= extra; k++) {
        if (i + k >= b.length) {
          return true; // cut at the end of the head
        }
        if ((b[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += extra + 1;
    }
    return controls * 100 <= b.length; // at most 1% control characters
  }

  private static boolean startsWith(byte[] b, int offset, int... expected) {
    if (b.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[offset + i] & 0xFF) != (expected[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, byte[] needle, int from, int to) {
    for (int i = from; i + needle.length <= to; i++) {
      boolean hit = true;
      for (int k = 0; k < needle.length && hit; k++) {
        hit = b[i + k] == needle[k];
      }
      if (hit) {
        return i;
      }
    }
    return -1;
  }
}
