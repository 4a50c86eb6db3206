package common;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Language codes: one normal form for BCP-47, ISO 639-1 and 639-2/3")
class LanguagesTest {

  @Test
  @DisplayName("en, eng, en-US and EN_gb are all en; spa and es-ES are es; Apertium gets three letters")
  void normalises() {
    for (String code : new String[]{"en", "eng", "en-US", "EN_gb"}) {
      assertEquals("en", Languages.normalise(code));
    }
    assertEquals("es", Languages.normalise("spa"));
    assertEquals("es", Languages.normalise("es-ES"));
    assertEquals("fr", Languages.normalise("fre"));
    assertEquals("de", Languages.normalise("ger"));
    assertEquals("eng", Languages.toThreeLetter("en"));
    assertEquals("spa", Languages.toThreeLetter("es"));
    assertEquals("fra", Languages.toThreeLetter("fr"));
  }

  @Test
  @DisplayName("anything else is a 400 naming the code")
  void refuses() {
    for (String bad : new String[]{"", "e", "english", "xx-!!", "zzz", "../en"}) {
      ParleyException e = assertThrows(ParleyException.class, () -> Languages.normalise(bad));
      assertEquals(400, e.status());
      assertEquals("bad_request", e.code());
      assertTrue(e.getMessage().contains("'" + bad + "'"), "the message names '" + bad + "': " + e.getMessage());
    }
    ParleyException none = assertThrows(ParleyException.class, () -> Languages.normalise(null));
    assertEquals(400, none.status());
    assertTrue(none.getMessage().contains("'null'"), "the message says the code is missing: " + none.getMessage());
  }
}
