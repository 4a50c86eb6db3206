package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The built-in PII detector")
class BuiltInPiiDetectionTest {

  private final PiiDetector detector = new PiiDetector();

  /** The one finding in {@code text}, checked to be of {@code type} and to cover exactly {@code expected}. */
  private void assertSingle(PiiType type, String text, String expected) {
    List<PiiFinding> found = detector.detect(text);
    assertEquals(1, found.size(), () -> "findings in '" + text + "': " + found);
    PiiFinding f = found.get(0);
    assertEquals(type, f.type(), text);
    assertEquals(expected, text.substring(f.start(), f.end()), "span in '" + text + "'");
  }

  @Test
  @DisplayName("finds e-mail addresses and reports their exact span")
  void emails() {
    assertSingle(PiiType.EMAIL, "Send it to jane.doe@example.com, thanks", "jane.doe@example.com");
    assertSingle(PiiType.EMAIL, "bob+parley@corp.co.uk.", "bob+parley@corp.co.uk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ping @channel now", "user@localhost", "foo@bar", "a @ b.com", "see @maria.lopez"})
  @DisplayName("does not take mentions or host-less addresses for e-mail")
  void notEmails(String text) {
    assertTrue(detector.detect(text).isEmpty(), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("finds international and national phone numbers in several regions")
  void phones() {
    assertSingle(PiiType.PHONE, "Call me on +44 20 7946 0958 after lunch", "+44 20 7946 0958");
    assertSingle(PiiType.PHONE, "ring (212) 736-5000 now", "(212) 736-5000");
    assertSingle(PiiType.PHONE, "Berlin: +49 30 901820", "+49 30 901820");
    assertSingle(PiiType.PHONE, "al +34 912 345 678 mañana", "+34 912 345 678");
    assertSingle(PiiType.PHONE, "His number is +91 98765 43210.", "+91 98765 43210");
    assertSingle(PiiType.PHONE, "Mobile 07911 123456", "07911 123456");
  }

  @ParameterizedTest
  @ValueSource(strings = {"The meeting is at 10:30 in room 305", "Released on 2024-05-12", "Due 12.05.2024",
    "Order 8827361 shipped", "Dial extension 4521", "Reference 666-45-6789 is on the PO", "mask 255.255.255.0",
    "We upgraded to version 2.14.1", "Revenue grew 12.5% to 3.4 million"})
  @DisplayName("does not take dates, times, versions or reference numbers for phone numbers")
  void notPhones(String text) {
    assertTrue(detector.detect(text).isEmpty(), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("finds payment cards of 13 to 19 digits that pass the Luhn check, with spaces or dashes")
  void cards() {
    assertSingle(PiiType.CARD, "card 4111 1111 1111 1111, exp 12/27", "4111 1111 1111 1111");
    assertSingle(PiiType.CARD, "use 5500-0000-0000-0004 please", "5500-0000-0000-0004");
    assertSingle(PiiType.CARD, "amex 3782 822463 10005", "3782 822463 10005");
    assertSingle(PiiType.CARD, "6011111111111117", "6011111111111117");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ticket 4111 1111 1111 1112 closed", "Order 1234 5678 9012 3456 shipped",
    "0000 0000 0000 0000", "4111 1111-1111 1111", "id 41111111111111110000 overflow",
    "Tracking 9400 1000 0000 0000 0000 00"})
  @DisplayName("rejects card-shaped numbers that fail Luhn, mix separators, or are part of longer numbers")
  void notCards(String text) {
    assertTrue(detector.detect(text).stream().noneMatch(f -> f.type() == PiiType.CARD), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("finds US social security numbers with valid area, group and serial")
  void ssns() {
    assertSingle(PiiType.SSN, "My SSN is 078-05-1120.", "078-05-1120");
    assertSingle(PiiType.SSN, "ssn: 401 23 4567", "401 23 4567");
    assertSingle(PiiType.SSN, "SSN 123456789 on the W-2", "123456789");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Invoice 000-12-3456", "Ref 666-45-6789", "Part 912-34-5678", "Code 123-00-4567",
    "Batch 123-45-0000", "Order 123456789 is late"})
  @DisplayName("rejects SSN-shaped numbers with an impossible area, group or serial, and bare nine digits without context")
  void notSsns(String text) {
    assertTrue(detector.detect(text).isEmpty(), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("finds IBANs with the right length for their country and a valid mod-97 check, spaced or not")
  void ibans() {
    assertSingle(PiiType.IBAN, "wire to DE89 3704 0044 0532 0130 00.", "DE89 3704 0044 0532 0130 00");
    assertSingle(PiiType.IBAN, "IBAN GB82WEST12345698765432 ok", "GB82WEST12345698765432");
    assertSingle(PiiType.IBAN, "pay FR14 2004 1010 0505 0001 3M02 606 thanks", "FR14 2004 1010 0505 0001 3M02 606");
    assertSingle(PiiType.IBAN, "to gb82west12345698765432 please", "gb82west12345698765432");
    assertSingle(PiiType.IBAN, "Account NL91ABNA0417164300 THANKS", "NL91ABNA0417164300");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DE89 3704 0044 0532 0130 01", "DE89 3704 0044 0532 0130", "XX89 3704 0044 0532 0130 00",
    "GB82WEST1234569876543200", "Gb82west12345698765432"})
  @DisplayName("rejects IBANs with a wrong check digit, wrong length, unknown country or mixed case")
  void notIbans(String text) {
    assertTrue(detector.detect(text).stream().noneMatch(f -> f.type() == PiiType.IBAN), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("finds IPv4 and IPv6 addresses, including compressed and IPv4-mapped forms")
  void ips() {
    assertSingle(PiiType.IP, "The database is at 192.168.1.20.", "192.168.1.20");
    assertSingle(PiiType.IP, "ssh 10.0.0.5 now", "10.0.0.5");
    assertSingle(PiiType.IP, "server 2001:db8::1 is up", "2001:db8::1");
    assertSingle(PiiType.IP, "link fe80::1ff:fe23:4567:890a%eth0 here", "fe80::1ff:fe23:4567:890a%eth0");
    assertSingle(PiiType.IP, "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334");
    assertSingle(PiiType.IP, "mapped ::ffff:192.0.2.128.", "::ffff:192.0.2.128");
  }

  @ParameterizedTest
  @ValueSource(strings = {"999.12.1.1", "256.1.1.1", "firmware version 1.2.3.4", "v1.2.3.4", "1.2.3.4.5",
    "at 10:30:45", "std::vector", "MAC 00:1A:2B:3C:4D:5E", "a:b:c", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "12:30"})
  @DisplayName("rejects invalid octets, versions, times, MAC addresses and C++ scopes")
  void notIps(String text) {
    assertTrue(detector.detect(text).stream().noneMatch(f -> f.type() == PiiType.IP), () -> text + " -> " + detector.detect(text));
  }

  @Test
  @DisplayName("reports several kinds in one text, sorted, without a phone overlapping a checked number")
  void severalKinds() {
    String text = "Mail a@example.com, card 4111-1111-1111-1111, IBAN DE89370400440532013000, call +49 30 901820, ip 8.8.8.8";
    List<PiiFinding> found = detector.detect(text);
    assertEquals(List.of(PiiType.EMAIL, PiiType.CARD, PiiType.IBAN, PiiType.PHONE, PiiType.IP),
      found.stream().map(PiiFinding::type).toList(), found::toString);
    for (int i = 1; i < found.size(); i++) {
      assertTrue(found.get(i - 1).end() <= found.get(i).start(), "sorted and disjoint: " + found);
    }
  }

  @Test
  @DisplayName("checksums are implemented as specified")
  void checksums() {
    assertTrue(PiiDetector.luhn("79927398713"));
    assertFalse(PiiDetector.luhn("79927398710"));
    assertTrue(PiiDetector.mod97("GB82WEST12345698765432"));
    assertFalse(PiiDetector.mod97("GB83WEST12345698765432"));
    assertTrue(PiiDetector.validSsn("078", "05", "1120"));
    assertFalse(PiiDetector.validSsn("900", "05", "1120"));
  }

  @Test
  @DisplayName("stays fast on adversarial input: long runs of digits, dots, colons and address characters")
  void linearOnAdversarialInput() {
    String[] inputs = {
      "1".repeat(20_000), "1.".repeat(10_000), "a".repeat(20_000) + "@", "a.".repeat(10_000) + "@x",
      "f:".repeat(10_000), "DE89".repeat(5_000), "1 ".repeat(10_000), "1-".repeat(10_000),
      ("x@" + "a".repeat(60) + ".").repeat(300)};
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (String input : inputs) {
        detector.detect(input);
      }
    });
  }

  @Test
  @DisplayName("hands libphonenumber a bounded number of characters, however long the digit noise (its cost is per character)")
  void phoneScanIsBounded() {
    // The timing this bounds is measured by bench/safety.sh (bench/results/safety.json), not here.
    String[] noise = {"1 ", "1.", "12 ", "555-123-4567 x ", "1234567890"};
    for (String unit : noise) {
      String text = unit.repeat(4_000 / unit.length());
      String tenTimes = unit.repeat(40_000 / unit.length());
      int scanned = detector.phoneScanCharacters(text);
      // the budget (480 characters of windows) plus each window's two characters of context
      assertTrue(scanned <= 2 * 480, () -> "'" + unit + "...' sent " + scanned + " characters to libphonenumber");
      assertEquals(scanned, detector.phoneScanCharacters(tenTimes), "ten times the text costs no more: '" + unit + "'");
    }
    assertTrue(detector.phoneScanCharacters("call 020 7946 0958 now") > 0, "a real number is scanned");
    assertEquals(0, detector.phoneScanCharacters("no digits at all here"));
  }

  @Test
  @DisplayName("finds phone numbers among other numbers, and many in one text, but not glued to letters")
  void phoneWindows() {
    String text = "Invoice 2024-0042 for 1.250,00 EUR, ref 88 12 7, call +44 20 7946 0958 or (415) 555-2671 by 12/05/2024.";
    List<PiiFinding> found = detector.detect(text);
    assertEquals(List.of("+44 20 7946 0958", "(415) 555-2671"), found.stream().map(f -> text.substring(f.start(), f.end())).toList());
    String list = "call 020 7946 0958 now, ".repeat(15);
    assertEquals(15, detector.detect(list).size(), "a list of fifteen numbers");
    assertEquals(List.of(), detector.detect("order abc4155552671 and 4155552671xyz"));
    assertSingle(PiiType.PHONE, "Ruf an: 030 12345678!", "030 12345678");
  }
}
