package common;


import java.util.Locale;
import java.util.Map;

/**
 * Language codes in one place: BCP-47, ISO 639-1 and 639-2/3 in, the lower-case two-letter code
 * out ({@code en-US}, {@code eng} and {@code EN_gb} are all {@code en}).
 */
public final class Languages {

  private static final Map<String, String> THREE_LETTER = Map.ofEntries(
    Map.entry("eng", "en"), Map.entry("spa", "es"), Map.entry("cat", "ca"), Map.entry("fra", "fr"), Map.entry("fre", "fr"),
    Map.entry("deu", "de"), Map.entry("ger", "de"), Map.entry("por", "pt"), Map.entry("ita", "it"), Map.entry("glg", "gl"),
    Map.entry("epo", "eo"), Map.entry("nld", "nl"), Map.entry("dut", "nl"), Map.entry("oci", "oc"), Map.entry("eus", "eu"),
    Map.entry("baq", "eu"), Map.entry("ron", "ro"), Map.entry("rum", "ro"), Map.entry("pol", "pl"), Map.entry("rus", "ru"),
    Map.entry("ukr", "uk"), Map.entry("jpn", "ja"), Map.entry("zho", "zh"), Map.entry("chi", "zh"), Map.entry("ara", "ar"),
    Map.entry("hin", "hi"), Map.entry("swe", "sv"), Map.entry("dan", "da"), Map.entry("nob", "nb"), Map.entry("fin", "fi"));

  private Languages() {
  }

  /** Apertium's three-letter name for a two-letter code ({@code en} -> {@code eng}). */
  public static String toThreeLetter(String twoLetter) {
    for (Map.Entry<String, String> e : THREE_LETTER.entrySet()) {
      if (e.getValue().equals(twoLetter) && !PREFERRED_BIBLIOGRAPHIC.contains(e.getKey())) {
        return e.getKey();
      }
    }
    return twoLetter;
  }

  /** Bibliographic variants we accept but never emit (Apertium uses the terminological ones). */
  private static final java.util.Set<String> PREFERRED_BIBLIOGRAPHIC = java.util.Set.of("fre", "ger", "dut", "baq", "rum", "chi");

  /** @throws ParleyException 400 for anything that is not a language code */
  public static String normalise(String code) {
    if (code == null || !code.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*")) {
      throw ParleyException.badRequest("unknown language code '" + code + "'");
    }
    String primary = code.split("[-_]")[0].toLowerCase(Locale.ROOT);
    if (primary.length() == 3) {
      String two = THREE_LETTER.get(primary);
      if (two == null) {
        throw ParleyException.badRequest("unknown language code '" + code + "'");
      }
      return two;
    }
    return primary;
  }
}
