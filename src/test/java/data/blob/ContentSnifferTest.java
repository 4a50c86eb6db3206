package data.blob;

import common.ParleyException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static data.blob.ContentSniffer.detect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Content sniffing")
class ContentSnifferTest {

  static Buffer bytes(int... b) {
    Buffer out = Buffer.buffer();
    for (int x : b) {
      out.appendByte((byte) x);
    }
    return out;
  }

  /** An EBML header as MediaRecorder writes it, with the given DocType. */
  static Buffer ebml(String docType) {
    Buffer b = bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81,
        0x04, 0x42, 0xF3, 0x81, 0x08, 0x42, 0x82, 0x80 | docType.length());
    return b.appendString(docType).appendBytes(new byte[]{0x42, (byte) 0x87, (byte) 0x81, 0x04, 0x18, 0x53, (byte) 0x80, 0x67});
  }

  static Buffer mp4() {
    return bytes(0, 0, 0, 0x20).appendString("ftypisom").appendBytes(new byte[20]);
  }

  static Buffer zipEntry(String name) {
    Buffer b = bytes('P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        name.length(), 0, 0, 0);
    return b.appendString(name, "ISO-8859-1");
  }

  @Test
  @DisplayName("Known formats are recognised from their first bytes")
  void recognises() {
    assertEquals(Optional.of("video/webm"), detect(ebml("webm")));
    assertEquals(Optional.of("video/x-matroska"), detect(ebml("matroska")));
    assertEquals(Optional.of("video/mp4"), detect(mp4()));
    assertEquals(Optional.of("application/pdf"), detect(Buffer.buffer("%PDF-1.7\n%\u00e2\u00e3")));
    assertEquals(Optional.of("image/png"), detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13)));
    assertEquals(Optional.of("image/jpeg"), detect(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F')));
    assertEquals(Optional.of("image/gif"), detect(Buffer.buffer("GIF89a\u0001\u0000")));
    assertEquals(Optional.of(ContentSniffer.DOCX), detect(zipEntry("word/document.xml")));
    assertEquals(Optional.of(ContentSniffer.XLSX), detect(zipEntry("xl/workbook.xml")));
    assertEquals(Optional.of(ContentSniffer.PPTX), detect(zipEntry("ppt/presentation.xml")));
    assertEquals(Optional.of(ContentSniffer.ODT), detect(zipEntry("mimetype").appendString(ContentSniffer.ODT)));
    assertEquals(Optional.of("application/zip"), detect(zipEntry("evil.exe")));
    assertEquals(Optional.of("text/plain"), detect(Buffer.buffer("Minutes of the meeting\nÜbersicht — 会议纪要\n")));
  }

  @Test
  @DisplayName("Binary, empty and malformed UTF-8 content is not taken for text")
  void notText() {
    assertEquals(Optional.empty(), detect(Buffer.buffer()));
    assertEquals(Optional.empty(), detect(bytes('M', 'Z', 0x90, 0, 3, 0)));
    assertEquals(Optional.empty(), detect(bytes('a', 'b', 0xC3, 0x28)));
    assertEquals(Optional.empty(), detect(bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0)));
    // A multi-byte character cut by the end of the head is still text.
    Buffer cut = Buffer.buffer("caf").appendBytes(new byte[]{(byte) 0xC3});
    assertEquals(Optional.of("text/plain"), detect(cut));
  }

  @Test
  @DisplayName("Recordings must be WebM or MP4 in fact, whatever their Content-Type says")
  void recordings() {
    assertEquals("video/webm", ContentSniffer.checkRecording("video/webm;codecs=vp8,opus", ebml("webm")));
    assertEquals("video/webm", ContentSniffer.checkRecording("audio/webm", ebml("webm")));
    assertEquals("video/mp4", ContentSniffer.checkRecording("video/mp4", mp4()));
    assertEquals("video/webm", ContentSniffer.checkRecording(null, ebml("webm")));
    ParleyException spoofed = assertThrows(ParleyException.class,
        () -> ContentSniffer.checkRecording("video/webm", Buffer.buffer("%PDF-1.4")));
    assertEquals(415, spoofed.status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkRecording("video/webm", mp4())).status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkRecording("video/x-matroska", ebml("matroska"))).status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkRecording("video/webm", Buffer.buffer("hello"))).status());
  }

  @Test
  @DisplayName("Shared files pass the allow-list only when the bytes agree with the declared type")
  void sharedFiles() {
    assertEquals("application/pdf", ContentSniffer.checkSharedFile("application/pdf", Buffer.buffer("%PDF-1.4")));
    assertEquals("application/pdf", ContentSniffer.checkSharedFile("application/octet-stream", Buffer.buffer("%PDF-1.4")));
    assertEquals("text/csv; charset=utf-8", ContentSniffer.checkSharedFile("text/csv", Buffer.buffer("a,b\n1,2\n")));
    assertEquals(ContentSniffer.DOCX, ContentSniffer.checkSharedFile(ContentSniffer.DOCX, zipEntry("word/x.xml")));
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkSharedFile("image/png", Buffer.buffer("%PDF-1.4"))).status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkSharedFile("text/html", Buffer.buffer("<script>alert(1)</script>"))).status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkSharedFile("application/zip", zipEntry("evil.exe"))).status());
    assertEquals(ContentSniffer.XLSX, ContentSniffer.checkSharedFile(ContentSniffer.XLSX, zipEntry("[Content_Types].xml")));
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkSharedFile("application/pdf", bytes('M', 'Z', 0x90, 0))).status());
    assertEquals(415, assertThrows(ParleyException.class,
        () -> ContentSniffer.checkSharedFile("text/plain", Buffer.buffer("x".getBytes(StandardCharsets.UTF_8))
            .appendBytes(new byte[]{0, 0, 0}))).status());
  }

  @Test
  @DisplayName("Recordings allow only WebM and MP4; shared files follow the allow-list, which has no bare ZIP or HTML")
  void allowLists() {
    assertTrue(ContentSniffer.allowedRecording("video/webm"));
    assertTrue(ContentSniffer.allowedRecording("video/webm; codecs=vp9,opus"));
    assertTrue(ContentSniffer.allowedRecording("video/mp4"));
    for (String no : new String[]{"video/x-matroska", "application/pdf", "text/plain", "", null}) {
      assertFalse(ContentSniffer.allowedRecording(no), no);
    }
    for (String yes : new String[]{"application/pdf", "image/png", "image/jpeg", "image/gif", ContentSniffer.DOCX,
        ContentSniffer.ODS, "text/plain; charset=utf-8", "text/csv", "video/webm", "video/mp4"}) {
      assertTrue(ContentSniffer.allowedFile(yes), yes);
    }
    for (String no : new String[]{"application/zip", "text/html", "image/svg+xml", "application/x-msdownload",
        "application/javascript", "application/octet-stream", "", null}) {
      assertFalse(ContentSniffer.allowedFile(no), no);
    }
  }
}
