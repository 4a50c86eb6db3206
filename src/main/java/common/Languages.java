package common;


import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Language codes in one place: BCP-47, ISO 639-1 and 639-2/3 in, the lower-case two-letter code
 * out ({@code en-US}, {@code eng} and {@code EN_gb} are all {@code en}; a language without a
 * two-letter code keeps its three letters: {@code ast}). The catalogue names every language some
 * provider here may offer, with its English name and Apertium's code for it (Serbian, Croatian and
 * Bosnian are the variants of Apertium's Serbo-Croatian, {@code hbs_SR}, {@code hbs_HR},
 * {@code hbs_BS}). Whether this server supports one is {@code ai.SupportedLanguages}'s question.
 */
public final class Languages {

  private record Entry(String name, String apertium) {
  }

  private static final Map<String, Entry> CATALOGUE = new LinkedHashMap<>();

  static {
    add("an", "Aragonese", "arg");
    add("ar", "Arabic", "ara");
    add("ast", "Asturian", "ast");
    add("bs", "Bosnian", "hbs_BS");
    add("ca", "Catalan", "cat");
    add("da", "Danish", "dan");
    add("de", "German", "deu");
    add("en", "English", "eng");
    add("eo", "Esperanto", "epo");
    add("es", "Spanish", "spa");
    add("eu", "Basque", "eus");
    add("fi", "Finnish", "fin");
    add("fr", "French", "fra");
    add("gl", "Galician", "glg");
    add("hi", "Hindi", "hin");
    add("hr", "Croatian", "hbs_HR");
    add("is", "Icelandic", "isl");
    add("it", "Italian", "ita");
    add("ja", "Japanese", "jpn");
    add("mk", "Macedonian", "mkd");
    add("nb", "Norwegian Bokmål", "nob");
    add("nl", "Dutch", "nld");
    add("oc", "Occitan", "oci");
    add("pl", "Polish", "pol");
    add("pt", "Portuguese", "por");
    add("ro", "Romanian", "ron");
    add("ru", "Russian", "rus");
    add("sr", "Serbian", "hbs_SR");
    add("sv", "Swedish", "swe");
    add("uk", "Ukrainian", "ukr");
    add("zh", "Chinese", "zho");
  }

  /** Three-letter codes (terminological and bibliographic) to the catalogue's code. */
  private static final Map<String, String> THREE_LETTER = Map.ofEntries(
    Map.entry("eng", "en"), Map.entry("spa", "es"), Map.entry("cat", "ca"), Map.entry("fra", "fr"), Map.entry("fre", "fr"),
    Map.entry("deu", "de"), Map.entry("ger", "de"), Map.entry("por", "pt"), Map.entry("ita", "it"), Map.entry("glg", "gl"),
    Map.entry("epo", "eo"), Map.entry("nld", "nl"), Map.entry("dut", "nl"), Map.entry("oci", "oc"), Map.entry("eus", "eu"),
    Map.entry("baq", "eu"), Map.entry("ron", "ro"), Map.entry("rum", "ro"), Map.entry("pol", "pl"), Map.entry("rus", "ru"),
    Map.entry("ukr", "uk"), Map.entry("jpn", "ja"), Map.entry("zho", "zh"), Map.entry("chi", "zh"), Map.entry("ara", "ar"),
    Map.entry("hin", "hi"), Map.entry("swe", "sv"), Map.entry("dan", "da"), Map.entry("nob", "nb"), Map.entry("fin", "fi"),
    Map.entry("arg", "an"), Map.entry("ast", "ast"), Map.entry("isl", "is"), Map.entry("ice", "is"), Map.entry("mkd", "mk"),
    Map.entry("mac", "mk"), Map.entry("srp", "sr"), Map.entry("hrv", "hr"), Map.entry("bos", "bs"));

  private static void add(String code, String name, String apertium) {
    CATALOGUE.put(code, new Entry(name, apertium));
  }

  private Languages() {
  }

  /** Every code in the catalogue, in alphabetical order. */
  public static Set<String> catalogue() {
    return CATALOGUE.keySet();
  }

  /** The English name of a catalogued code, else the code itself. */
  public static String name(String code) {
    Entry e = CATALOGUE.get(code);
    return e == null ? code : e.name();
  }

  /** Apertium's name for a code ({@code en} -> {@code eng}, {@code sr} -> {@code hbs_SR}). */
  public static String toApertium(String code) {
    Entry e = CATALOGUE.get(code);
    return e == null ? code : e.apertium();
  }

  /**
   * The catalogue's code for one of Apertium's language names, or null for a variant the catalogue
   * does not offer ({@code cat_valencia}, {@code eng_US}, {@code por_BR}).
   */
  public static String fromApertium(String apertium) {
    for (Map.Entry<String, Entry> e : CATALOGUE.entrySet()) {
      if (e.getValue().apertium().equals(apertium)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** @throws ParleyException 400 for anything that is not a language code */
  public static String normalise(String code) {
    if (code == null || !code.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*")) {
      throw ParleyException.badRequest("unknown language code '" + code + "'");
    }
    String primary = code.split("[-_]")[0].toLowerCase(Locale.ROOT);
    if (primary.length() == 3) {
      String known = THREE_LETTER.get(primary);
      if (known == null) {
        throw ParleyException.badRequest("unknown language code '" + code + "'");
      }
      return known;
    }
    return primary;
  }
}
