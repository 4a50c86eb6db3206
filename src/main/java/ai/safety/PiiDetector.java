package ai.safety;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data with precompiled, linear-time patterns and checksums: e-mail addresses,
 * phone numbers (libphonenumber, leniency VALID), payment cards (Luhn), US social security numbers,
 * IBANs (country length and mod-97) and IPv4/IPv6 addresses.
 *
 * <p>Thread-safe and stateless after construction; cheap enough to run on an event loop for chat
 * messages and captions. Each pattern is anchored on a token boundary by a look-behind so that no
 * pattern restarts inside a run it has already rejected.
 */
public final class PiiDetector {

  private static final Pattern EMAIL = Pattern.compile(
    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}+@[A-Za-z0-9-]{1,63}+(?:\\.[A-Za-z0-9-]{1,63}+){1,8}+");

  /** 13 to 19 digits, optionally separated by single spaces or dashes, not inside a longer number. */
  private static final Pattern CARD = Pattern.compile(
    "(?<![\\d.,/:-])(?<!\\d[ -])[2-6](?:[ -]?\\d){12,18}(?![ -]?\\d)(?![.,/:]\\d)");

  private static final Pattern SSN = Pattern.compile(
    "(?<![\\d.,/:-])(?<!\\d[ -])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![ -]?\\d)(?![.,/:]\\d)");

  /** A bare nine-digit SSN only counts right after a word that says it is one. */
  private static final Pattern SSN_BARE = Pattern.compile(
    "(?i)\\b(?:ssn|social security(?: number| no\\.?| #)?|social insurance number)\\s*(?:is|:|#|no\\.?)?\\s*(\\d{3})(\\d{2})(\\d{4})(?![\\d-])");

  private static final Pattern IBAN_START = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?=[ ]?[A-Za-z0-9])");

  private static final Pattern IPV4 = Pattern.compile(
    "(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w]|\\.\\d)");

  /** Words that make a dotted quad a version, not an address. */
  private static final Pattern VERSION_BEFORE = Pattern.compile("(?i)(?:\\bv|\\bversion\\s?|\\bver\\.?\\s?|\\brelease\\s|\\bbuild\\s|\\bfirmware\\s)$");

  private static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}+(?:%\\w{1,15}+)?+");

  private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths();

  private static final String[] PHONE_REGIONS = {"US", "GB", "DE", "ES", "FR", "IN"};

  /** A run of digits and the punctuation phone numbers are written with; possessive, so linear. */
  private static final Pattern PHONE_RUN = Pattern.compile("[+(]?+\\p{Nd}[\\p{Nd}()./\\- \\t\\u00A0]*+");
  private static final int PHONE_WINDOW_CHARS = 32;
  private static final int PHONE_SCAN_BUDGET = 480;
  private static final int PHONE_MIN_DIGITS = 6;

  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

  public PiiDetector() {
    // Loads the regions' metadata now (from the classpath) rather than on the first message.
    for (String region : PHONE_REGIONS) {
      phones.getExampleNumber(region);
    }
  }

  /** All findings, sorted by start; overlapping findings are resolved in favour of the stronger check. */
  public List<PiiFinding> detect(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<PiiFinding> found = new ArrayList<>();
    boolean digits = countDigits(text) >= 7;
    if (digits) {
      cards(text, found);
      ibans(text, found);
      ssns(text, found);
    }
    if (text.indexOf('@') >= 0) {
      emails(text, found);
    }
    if (text.indexOf('.') >= 0) {
      ipv4(text, found);
    }
    if (text.indexOf(':') >= 0) {
      ipv6(text, found);
    }
    if (digits) {
      phoneNumbers(text, found);
    }
    return resolveOverlaps(found);
  }

  private void emails(String text, List<PiiFinding> out) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String match = m.group();
      int lastDot = match.lastIndexOf('.');
      String tld = match.substring(lastDot + 1);
      if (tld.length() >= 2 && tld.length() <= 24 && tld.chars().allMatch(Character::isLetter)) {
        out.add(new PiiFinding(PiiType.EMAIL, m.start(), m.end()));
      }
    }
  }

  private void cards(String text, List<PiiFinding> out) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (consistentSeparators(m.group()) && luhn(digits) && !allSame(digits)) {
        out.add(new PiiFinding(PiiType.CARD, m.start(), m.end()));
      }
    }
  }

  /** A card number uses one kind of separator, or none. */
  private static boolean consistentSeparators(String s) {
    return !(s.indexOf(' ') >= 0 && s.indexOf('-') >= 0);
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  private static boolean allSame(String digits) {
    return digits.chars().allMatch(c -> c == digits.charAt(0));
  }

  private void ssns(String text, List<PiiFinding> out) {
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      if (validSsn(m.group(1), m.group(3), m.group(4))) {
        out.add(new PiiFinding(PiiType.SSN, m.start(), m.end()));
      }
    }
    Matcher bare = SSN_BARE.matcher(text);
    while (bare.find()) {
      if (validSsn(bare.group(1), bare.group(2), bare.group(3))) {
        out.add(new PiiFinding(PiiType.SSN, bare.start(1), bare.end(3)));
      }
    }
  }

  static boolean validSsn(String area, String group, String serial) {
    return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9'
      && !group.equals("00") && !serial.equals("0000");
  }

  private void ibans(String text, List<PiiFinding> out) {
    Matcher m = IBAN_START.matcher(text);
    while (m.find()) {
      String start = m.group().toUpperCase(java.util.Locale.ROOT);
      Integer length = IBAN_LENGTHS.get(start.substring(0, 2));
      // Either all upper case ("DE89 3704 ...") or all lower case ("de89370400..."), not a mixed-case word.
      boolean lower = Character.isLowerCase(m.group().charAt(0));
      if (length == null || lower != Character.isLowerCase(m.group().charAt(1))) {
        continue;
      }
      StringBuilder iban = new StringBuilder(start);
      int i = m.end();
      while (iban.length() < length && i < text.length()) {
        char c = text.charAt(i);
        if (isIbanChar(c, lower)) {
          iban.append(Character.toUpperCase(c));
          i++;
        } else if (c == ' ' && i + 1 < text.length() && isIbanChar(text.charAt(i + 1), lower)) {
          i++;
        } else {
          break;
        }
      }
      boolean endsCleanly = i >= text.length() || !Character.isLetterOrDigit(text.charAt(i));
      if (iban.length() == length && endsCleanly && mod97(iban)) {
        out.add(new PiiFinding(PiiType.IBAN, m.start(), i));
      }
    }
  }

  private static boolean isIbanChar(char c, boolean lower) {
    return (c >= '0' && c <= '9') || (lower ? c >= 'a' && c <= 'z' : c >= 'A' && c <= 'Z');
  }

  static boolean mod97(CharSequence iban) {
    String rearranged = iban.subSequence(4, iban.length()).toString() + iban.subSequence(0, 4);
    int remainder = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
    }
    return remainder == 1;
  }

  private void ipv4(String text, List<PiiFinding> out) {
    Matcher m = IPV4.matcher(text);
    while (m.find()) {
      String before = text.substring(Math.max(0, m.start() - 12), m.start());
      // 255.x.x.x are netmasks and broadcast, 0.x.x.x "this network": not anybody's address.
      boolean notAnAddress = m.group().startsWith("255.") || m.group().startsWith("0.");
      if (!notAnAddress && !VERSION_BEFORE.matcher(before).find()) {
        out.add(new PiiFinding(PiiType.IP, m.start(), m.end()));
      }
    }
  }

  private void ipv6(String text, List<PiiFinding> out) {
    Matcher m = IPV6_CANDIDATE.matcher(text);
    while (m.find()) {
      String candidate = m.group();
      int end = m.end();
      while (candidate.endsWith(".") || (candidate.endsWith(":") && !candidate.endsWith("::"))) {
        candidate = candidate.substring(0, candidate.length() - 1);
        end--;
      }
      if (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
        continue;
      }
      if (validIpv6(candidate)) {
        out.add(new PiiFinding(PiiType.IP, m.start(), end));
      }
    }
  }

  static boolean validIpv6(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') < 0 || s.indexOf(":::") >= 0) {
      return false;
    }
    int compress = s.indexOf("::");
    if (compress >= 0 && s.indexOf("::", compress + 1) >= 0) {
      return false;
    }
    String[] groups = s.split(":", -1);
    int count = 0;
    boolean hasHex = false;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.isEmpty()) {
        continue;
      }
      if (i == groups.length - 1 && g.indexOf('.') >= 0) {
        if (!IPV4.matcher(g).matches()) {
          return false;
        }
        count += 2;
        hasHex = true;
        continue;
      }
      if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      count++;
      hasHex = true;
    }
    if (!hasHex) {
      return false;
    }
    if (compress < 0) {
      return count == 8 && !s.startsWith(":") && !s.endsWith(":");
    }
    // "::" must stand for at least one group, and a lone leading/trailing colon is malformed.
    boolean badEdge = (s.startsWith(":") && !s.startsWith("::")) || (s.endsWith(":") && !s.endsWith("::"));
    return count <= 7 && !badEdge;
  }

  /**
   * libphonenumber's matcher costs about 5 microseconds per character and region on digit-heavy
   * text, so it is not run over the whole text: a linear pre-scan finds runs of digits and phone
   * punctuation, cut at white space into windows of at most {@value #PHONE_WINDOW_CHARS} characters.
   * Windows with fewer than {@value #PHONE_MIN_DIGITS} digits, or with more than two single-digit
   * groups ("1 1 1 1", "1.2.3.4.5"; real numbers have at most "+1" and "(0)"), are dropped; the rest go
   * through {@code findNumbers} with one character of context on each side (so that libphonenumber
   * still rejects numbers glued to letters), until {@value #PHONE_SCAN_BUDGET} characters per text
   * have been scanned. That bounds the worst case (a 4,000-character message of digit noise) to a
   * few milliseconds; about twenty phone numbers in one text are found, those beyond are missed.
   */
  private int phoneNumbers(String text, List<PiiFinding> out) {
    List<PiiFinding> phonesFound = new ArrayList<>();
    int scanned = 0;
    int budget = PHONE_SCAN_BUDGET;
    Matcher run = PHONE_RUN.matcher(text);
    while (run.find() && budget > 0) {
      int runEnd = run.end();
      while (runEnd > run.start() && !Character.isDigit(text.charAt(runEnd - 1)) && text.charAt(runEnd - 1) != ')') {
        runEnd--;
      }
      int start = run.start();
      while (start < runEnd && budget > 0) {
        int end = windowEnd(text, start, runEnd);
        if (phoneShaped(text, start, end)) {
          budget -= end - start;
          scanned += Math.min(text.length(), end + 1) - Math.max(0, start - 1);
          scanWindow(text, start, end, phonesFound);
        }
        start = end;
        while (start < runEnd && Character.isWhitespace(text.charAt(start))) {
          start++;
        }
      }
    }
    out.addAll(phonesFound);
    return scanned;
  }

  /**
   * How many characters the phone scan hands to libphonenumber for this text (each is then matched
   * once per region): the deterministic measure of its cost, bounded whatever the text's length.
   */
  int phoneScanCharacters(String text) {
    return phoneNumbers(text, new ArrayList<>());
  }

  /** The end of the window that starts at {@code start}: the run's end, or the last white space within the window size. */
  private static int windowEnd(String text, int start, int runEnd) {
    if (runEnd - start <= PHONE_WINDOW_CHARS) {
      return runEnd;
    }
    for (int i = start + PHONE_WINDOW_CHARS; i > start; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return start + PHONE_WINDOW_CHARS;
  }

  private void scanWindow(String text, int start, int end, List<PiiFinding> found) {
    int from = Math.max(0, start - 1);
    String window = text.substring(from, Math.min(text.length(), end + 1));
    for (String region : PHONE_REGIONS) {
      for (PhoneNumberMatch match : phones.findNumbers(window, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
        int matchStart = from + match.start();
        int matchEnd = from + match.end();
        boolean known = found.stream().anyMatch(f -> f.start() < matchEnd && matchStart < f.end());
        if (!known && !notAPhoneShape(match.rawString())) {
          found.add(new PiiFinding(PiiType.PHONE, matchStart, matchEnd));
        }
      }
    }
  }

  /** At least {@value #PHONE_MIN_DIGITS} digits and at most two single-digit groups. */
  private static boolean phoneShaped(String text, int start, int end) {
    int digits = 0;
    int singleDigitGroups = 0;
    int group = 0;
    for (int i = start; i <= end; i++) {
      if (i < end && Character.isDigit(text.charAt(i))) {
        digits++;
        group++;
      } else {
        if (group == 1) {
          singleDigitGroups++;
        }
        group = 0;
      }
    }
    return digits >= PHONE_MIN_DIGITS && singleDigitGroups <= 2;
  }

  /** Dates, times, dotted quads (netmasks) and the SSN shape 3-2-4 with dashes, which no region in use writes phone numbers in. */
  private static final Pattern NOT_A_PHONE = Pattern.compile(
    "\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4}|\\d{1,2}:\\d{2}(?::\\d{2})?|\\d{3}-\\d{2}-\\d{4}|\\d{1,3}(?:\\.\\d{1,3}){3}");

  private static boolean notAPhoneShape(String raw) {
    return NOT_A_PHONE.matcher(raw.strip()).matches();
  }

  /** Checked types (card, IBAN, SSN, IP, e-mail) win over phone numbers; then longer spans win. */
  private static List<PiiFinding> resolveOverlaps(List<PiiFinding> found) {
    if (found.size() < 2) {
      return found;
    }
    List<PiiFinding> ranked = new ArrayList<>(found);
    ranked.sort(Comparator.comparing((PiiFinding f) -> f.type() == PiiType.PHONE)
      .thenComparing(f -> -(f.end() - f.start())));
    List<PiiFinding> kept = new ArrayList<>();
    for (PiiFinding f : ranked) {
      if (kept.stream().noneMatch(k -> k.start() < f.end() && f.start() < k.end())) {
        kept.add(f);
      }
    }
    kept.sort(Comparator.comparingInt(PiiFinding::start));
    return kept;
  }

  private static int countDigits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  private static Map<String, Integer> ibanLengths() {
    String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 "
      + "EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 "
      + "JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 "
      + "PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 "
      + "VG24 XK20";
    Map<String, Integer> lengths = new java.util.HashMap<>();
    for (String entry : table.split(" ")) {
      lengths.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
    }
    return Map.copyOf(lengths);
  }
}
