package translation;

import ai.TranslationRoute;
import ai.translate.ApertiumProcess;
import ai.translate.ApertiumTranslator;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import support.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every language this server translates into from English (and out of, into English), each with a
 * known sentence, through a real APy running the Debian pairs; routes through Spanish where Debian
 * has no pair with English. The sentences are in {@code src/test/resources/translation/known-sentences.tsv}.
 */
@DisplayName("Languages through real Apertium: a known sentence per language, direct or through Spanish, with no marks")
class ApertiumLanguagesTest {

  record Row(String from, String to, List<String> route, String source, String expected) {
    @Override
    public String toString() {
      return from + " -> " + to + " (" + String.join(" > ", route) + ")";
    }
  }

  static Vertx vertx;
  static ApertiumProcess apy;
  static ApertiumTranslator translator;

  @BeforeAll
  static void startApertium() {
    if (!ApertiumProcess.isInstalled(null)) {
      System.out.println("[languages] SKIPPED: Apertium APy is not installed (apt-get install apertium-apy and the pairs; .ci/run does)");
    }
    Assumptions.assumeTrue(ApertiumProcess.isInstalled(null), "apertium-apy is not installed");
    vertx = Vertx.vertx();
    int port = TestServer.freePort();
    apy = ApertiumProcess.start(vertx, null, null, port).await();
    translator = new ApertiumTranslator(vertx, "http://127.0.0.1:" + port, 10_000, "es", apy);
  }

  @AfterAll
  static void stop() {
    if (translator != null) {
      translator.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  static List<Row> rows() throws IOException {
    try (InputStream in = ApertiumLanguagesTest.class.getResourceAsStream("/translation/known-sentences.tsv")) {
      List<Row> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Row(f[0], f[1], List.of(f[2].split(">")), f[3], f[4]));
      }
      return out;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @DisplayName("the known sentence comes out as expected, by the route listed")
  void knownSentence(Row row) {
    Map<String, TranslationRoute> routes = translator.routes(row.from()).await().stream()
      .collect(Collectors.toMap(TranslationRoute::to, r -> r));
    TranslationRoute route = routes.get(row.to());
    if (route == null) {
      System.out.println("[languages] SKIPPED " + row + ": the Apertium pair is not installed (.ci/run installs every pair)");
    }
    Assumptions.assumeTrue(route != null, "no route " + row);
    assertEquals(row.route(), route.path(), "the route of " + row);
    String out = translator.translate(row.source(), row.from(), List.of(row.to())).await().get(row.to());
    System.out.println("[languages] " + row + ": " + row.source() + " => " + out);
    assertEquals(row.expected(), out, row.toString());
  }

  @Test
  @DisplayName("every language reachable from English, and every one that reaches English, has a known sentence")
  void everyLanguageIsChecked() throws IOException {
    List<Row> rows = rows();
    Set<String> checkedTargets = rows.stream().filter(r -> r.from().equals("en")).map(Row::to).collect(Collectors.toCollection(TreeSet::new));
    Set<String> reachable = translator.routes("en").await().stream().map(TranslationRoute::to)
      .collect(Collectors.toCollection(TreeSet::new));
    System.out.println("[languages] from English: " + reachable);
    assertTrue(checkedTargets.containsAll(reachable), "a known sentence for each of " + reachable + ", have " + checkedTargets);
    Set<String> checkedSources = rows.stream().filter(r -> r.to().equals("en")).map(Row::from).collect(Collectors.toSet());
    for (String source : common.Languages.catalogue()) {
      boolean reachesEnglish = translator.routes(source).await().stream().anyMatch(r -> r.to().equals("en"));
      if (reachesEnglish && !Set.of("hr", "bs").contains(source)) { // Croatian and Bosnian share Serbian's hbs->eng pair
        assertTrue(checkedSources.contains(source), source + " translates into English: it needs a known sentence");
      }
    }
  }

  @Test
  @DisplayName("Apertium's marks (*unknown, @untransferred, #ungenerated) never come out; one the source had stays")
  void noMarks() {
    String[][] cases = {
      {"sr", "The meeting is over."},
      {"es", "please ping the kubernetes folks about the flaky deploy"},
      {"es", "the studio migration is planned for saturday night"},
      {"fr", "please ping the kubernetes folks about the flaky deploy"},
    };
    for (String[] c : cases) {
      String out = translator.translate(c[1], "en", List.of(c[0])).await().get(c[0]);
      System.out.println("[languages] marks: en -> " + c[0] + ": " + c[1] + " => " + out);
      assertFalse(out.matches("(?s).*[*@#].*"), "no marks in " + out);
      assertFalse(out.isBlank(), "a translation came back");
    }
    String kept = translator.translate("please post it in #general", "en", List.of("es")).await().get("es");
    assertTrue(kept.contains("#general"), "the source's own #general stays: " + kept);
  }
}
