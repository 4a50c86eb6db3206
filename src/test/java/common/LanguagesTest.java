package common;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Language codes: one normal form for BCP-47, ISO 639-1 and 639-2/3")
class LanguagesTest {

  @Test
  @DisplayName("en, eng, en-US and EN_gb are all en; spa and es-ES are es; ast stays ast; Apertium gets its own codes")
  void normalises() {
    for (String code : new String[]{"en", "eng", "en-US", "EN_gb"}) {
      assertEquals("en", Languages.normalise(code));
    }
    assertEquals("es", Languages.normalise("spa"));
    assertEquals("es", Languages.normalise("es-ES"));
    assertEquals("fr", Languages.normalise("fre"));
    assertEquals("de", Languages.normalise("ger"));
    assertEquals("ast", Languages.normalise("ast"));
    assertEquals("an", Languages.normalise("arg"));
    assertEquals("is", Languages.normalise("ice"));
    assertEquals("eng", Languages.toApertium("en"));
    assertEquals("spa", Languages.toApertium("es"));
    assertEquals("fra", Languages.toApertium("fr"));
    assertEquals("hbs_SR", Languages.toApertium("sr"));
    assertEquals("sr", Languages.fromApertium("hbs_SR"));
    assertEquals(null, Languages.fromApertium("cat_valencia"), "a variant the catalogue does not offer");
    assertEquals("French", Languages.name("fr"));
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
