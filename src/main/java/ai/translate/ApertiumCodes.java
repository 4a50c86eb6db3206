package ai.translate;

import java.util.Map;

/** Apertium's three-letter codes for our two-letter ones. */
final class ApertiumCodes {

  private static final Map<String, String> TO = Map.ofEntries(
    Map.entry("en", "eng"), Map.entry("es", "spa"), Map.entry("ca", "cat"), Map.entry("fr", "fra"), Map.entry("pt", "por"),
    Map.entry("it", "ita"), Map.entry("gl", "glg"), Map.entry("eo", "epo"), Map.entry("oc", "oci"), Map.entry("eu", "eus"),
    Map.entry("ro", "ron"), Map.entry("de", "deu"), Map.entry("nl", "nld"), Map.entry("nb", "nob"), Map.entry("sv", "swe"),
    Map.entry("da", "dan"));

  private ApertiumCodes() {
  }

  static String toApertium(String twoLetter) {
    return TO.getOrDefault(twoLetter, twoLetter);
  }

  static String fromApertium(String code) {
    String primary = code.split("_")[0];
    for (Map.Entry<String, String> e : TO.entrySet()) {
      if (e.getValue().equals(primary)) {
        return e.getKey();
      }
    }
    return primary;
  }
}
