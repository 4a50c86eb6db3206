package data.blob;

import common.ParleyException;
import data.blob.BlobKey.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Blob keys")
class BlobKeyTest {

  @ParameterizedTest(name = "segment {0} is refused")
  @ValueSource(strings = {"", ".", "..", "...", ".hidden", "..%2F", "%2e%2e", "%2E%2E", "a%2Fb", "%2F", "a/b", "a\\b",
      "\\", "..\\..", "a\u0000b", "\u0000", "-lead", "_lead", "a b", " a", "a\n", "a.b", "ａｂｃ", "аbc", "a\u2215b",
      "a\u2044b", "\uff0e\uff0e", "C:", "a:b", "~root", "a*", "a?", "é",
      "0123456789012345678901234567890123456789012345678901234567890123456789"})
  @DisplayName("Segments outside [A-Za-z0-9][A-Za-z0-9_-]{0,63} are refused with 400, wherever they appear")
  void refusesHostileSegments(String bad) {
    for (int position = 0; position < 3; position++) {
      String[] parts = {"acme", "m1", "f1"};
      parts[position] = bad;
      int p = position;
      ParleyException e = assertThrows(ParleyException.class,
          () -> new BlobKey(parts[0], parts[1], Kind.FILES, parts[2]), "position " + p);
      assertEquals(400, e.status());
    }
    ParleyException parsed = assertThrows(ParleyException.class, () -> BlobKey.parse("acme/m1/files/" + bad));
    assertEquals(400, parsed.status());
  }

  @Test
  @DisplayName("Paths with traversal, extra or missing segments, or an unknown kind do not parse")
  void refusesBadPaths() {
    for (String path : new String[]{"acme/m1/files/../x", "../acme/m1/files/x", "acme/m1/files/x/", "/acme/m1/files/x",
        "acme/m1/files", "acme//files/x", "acme/m1/secrets/x", "acme/m1/Files/x", "acme/m1/..%2Ffiles/x",
        "acme\\m1\\files\\x", null}) {
      assertEquals(400, assertThrows(ParleyException.class, () -> BlobKey.parse(path), path).status(), path);
    }
  }

  @Test
  @DisplayName("A valid key round-trips through its path, and generated ids are valid and distinct")
  void roundTrip() {
    BlobKey key = new BlobKey("acme", "3f1c2b9e-1111-4c4c-8888-000000000001", Kind.RECORDINGS, "r_1-A");
    assertEquals("acme/3f1c2b9e-1111-4c4c-8888-000000000001/recordings/r_1-A", key.path());
    assertEquals(key, BlobKey.parse(key.path()));
    assertEquals(key, BlobKey.of("acme", "3f1c2b9e-1111-4c4c-8888-000000000001", "recordings", "r_1-A"));
    for (String kind : new String[]{"secrets", "Files", "..", "files/", "", null}) {
      assertEquals(400, assertThrows(ParleyException.class, () -> BlobKey.of("acme", "m1", kind, "x"), kind).status());
    }
    BlobKey a = BlobKey.generate("acme", "m1", Kind.TRANSCRIPTS);
    BlobKey b = BlobKey.generate("acme", "m1", Kind.TRANSCRIPTS);
    assertTrue(BlobKey.isValidSegment(a.id()));
    assertTrue(!a.equals(b));
    assertEquals("transcripts", a.kind().segment());
  }

  @Test
  @DisplayName("The error message escapes what it quotes (no raw NUL or control characters in logs)")
  void escapesMessage() {
    ParleyException e = assertThrows(ParleyException.class, () -> new BlobKey("a\u0000\n", "m", Kind.FILES, "x"));
    assertTrue(e.getMessage().contains("\\u0000\\u000a"), e.getMessage());
  }
}
