package ai.safety;

import ai.safety.SafetyReport.PiiFinding;
import ai.safety.SafetyReport.PiiType;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Personal data in free text, with checksums where the format has one so that ordinary numbers
 * (dates, versions, order numbers) are not mistaken for it: payment cards pass Luhn, IBANs pass
 * mod-97 with their country's length, SSNs respect the issuing rules, IP octets are in range, and
 * phone numbers are validated by libphonenumber against their region's numbering plan.
 */
final class PiiDetector {

  private static final Pattern EMAIL = Pattern.compile(
    "(?<![\\w.+%-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-])");
  private static final Pattern IBAN = Pattern.compile("\\b([A-Z]{2})(\\d{2})((?: ?[A-Z0-9]){11,30})\\b");
  private static final Pattern IPV4 = Pattern.compile("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w]|\\.\\d)");
  private static final Pattern IPV6 = Pattern.compile("(?i)(?<![0-9a-z:.])(?=[0-9a-f:]*:[0-9a-f:]*:)[0-9a-f:]{2,39}(?![0-9a-z:])");
  private static final Pattern SSN_SHAPE = Pattern.compile("\\d{3}[- ]\\d{2}[- ]\\d{4}");
  private static final String[] PHONE_REGIONS = {"US", "GB", "DE", "ES", "FR", "IN"};
  private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
    Map.entry("AD", 24), Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21),
    Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20),
    Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27),
    Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IS", 26), Map.entry("IT", 27),
    Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27),
    Map.entry("MT", 31), Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25),
    Map.entry("RO", 24), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27),
    Map.entry("TR", 26), Map.entry("AE", 23), Map.entry("SA", 24), Map.entry("BR", 29), Map.entry("IL", 23));

  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

  List<PiiFinding> find(String text) {
    List<PiiFinding> out = new ArrayList<>();
    addAll(out, EMAIL.matcher(text), PiiType.EMAIL, m -> true);
    addAll(out, IBAN.matcher(text), PiiType.IBAN, PiiDetector::validIban);
    addAll(out, SSN.matcher(text), PiiType.SSN, PiiDetector::validSsn);
    addAll(out, CARD.matcher(text), PiiType.CARD, m -> luhn(m.group().replaceAll("[ -]", "")));
    addAll(out, IPV4.matcher(text), PiiType.IP, PiiDetector::validIpv4);
    addAll(out, IPV6.matcher(text), PiiType.IP, m -> validIpv6(m.group()));
    for (String region : PHONE_REGIONS) {
      for (PhoneNumberMatch match : phones.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
        if (!SSN_SHAPE.matcher(match.rawString()).matches()) { // an SSN that failed its rules is no phone either
          add(out, new PiiFinding(PiiType.PHONE, match.start(), match.end()));
        }
      }
    }
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  private static void addAll(List<PiiFinding> out, Matcher m, PiiType type, java.util.function.Predicate<Matcher> valid) {
    while (m.find()) {
      if (valid.test(m)) {
        add(out, new PiiFinding(type, m.start(), m.end()));
      }
    }
  }

  /** Keeps the first finding for any overlapping span (emails before cards before phones). */
  private static void add(List<PiiFinding> out, PiiFinding f) {
    for (PiiFinding existing : out) {
      if (f.start() < existing.end() && existing.start() < f.end()) {
        return;
      }
    }
    out.add(f);
  }

  static boolean luhn(String digits) {
    if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() == 1) {
      return false;
    }
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  private static boolean validSsn(Matcher m) {
    int area = Integer.parseInt(m.group(1));
    return area != 0 && area != 666 && area < 900 && !m.group(3).equals("00") && !m.group(4).equals("0000");
  }

  private static boolean validIban(Matcher m) {
    String iban = (m.group(1) + m.group(2) + m.group(3)).replace(" ", "");
    Integer length = IBAN_LENGTHS.get(m.group(1));
    if (length == null || iban.length() != length) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (char c : rearranged.toCharArray()) {
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
    }
    return remainder == 1;
  }

  private static boolean validIpv4(Matcher m) {
    for (int g = 1; g <= 4; g++) {
      String octet = m.group(g);
      if (Integer.parseInt(octet) > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
        return false;
      }
    }
    return true;
  }

  static boolean validIpv6(String candidate) {
    String s = candidate.toLowerCase();
    int doubleColon = s.indexOf("::");
    if (doubleColon != s.lastIndexOf("::")) {
      return false;
    }
    String[] groups = doubleColon >= 0
      ? (s.substring(0, doubleColon) + ":x:" + s.substring(doubleColon + 2)).split(":", -1)
      : s.split(":", -1);
    int count = 0;
    boolean hasHexLetterOrZeroCompression = doubleColon >= 0;
    for (String g : groups) {
      if (g.equals("x")) {
        continue;
      }
      if (g.isEmpty()) {
        if (doubleColon < 0) {
          return false;
        }
        continue;
      }
      if (g.length() > 4 || !g.matches("[0-9a-f]+")) {
        return false;
      }
      if (g.matches(".*[a-f].*")) {
        hasHexLetterOrZeroCompression = true;
      }
      count++;
    }
    // Eight groups, or two to seven with "::"; "10:30:45"-like times have neither.
    return doubleColon >= 0 ? count >= 2 && count <= 7 && hasHexLetterOrZeroCompression : count == 8;
  }
}
