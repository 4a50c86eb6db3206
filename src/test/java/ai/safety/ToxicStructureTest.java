package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Toxicity by structure: threats, dehumanisation and profanity")
class ToxicStructureTest {

  private final ToxicityDetector detector = new ToxicityDetector();

  private int severity(String text, ToxicCategory category) {
    return detector.detect(text).stream().filter(f -> f.category() == category).mapToInt(ToxicFinding::severity).max().orElse(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"I'll rearrange your face", "We'll burn your house down", "I'm going to put you in the hospital",
    "I will make you pay.", "you'll end up in a body bag", "I'll take a hammer to your head"})
  @DisplayName("a first-person intent to harm the addressee is a high-severity threat, whatever the verb")
  void threats(String text) {
    assertEquals(ToxicFinding.HIGH, severity(text, ToxicCategory.VIOLENCE), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"I will never hurt you", "I'll make you pay for lunch", "I'll destroy you at chess",
    "Sorry, I'm going to break your build", "I'll find you a slot", "I'm going to cut you some slack",
    "We'll kill the job and restart it", "Well, stick your hand up if you have a question"})
  @DisplayName("the same words without harm to a person are not threats")
  void notThreats(String text) {
    assertEquals(List.of(), detector.detect(text), text);
  }

  @Test
  @DisplayName("a protected group equated with vermin is hate; the same about 'you' is an insult; a team called animals is neither")
  void dehumanisation() {
    assertEquals(ToxicFinding.HIGH, severity("Asylum seekers are dirty rats", ToxicCategory.HATE));
    assertEquals(ToxicFinding.HIGH, severity("Jews aren't even people", ToxicCategory.HATE));
    assertEquals(ToxicFinding.MEDIUM, severity("you are a filthy maggot", ToxicCategory.INSULT));
    assertEquals(List.of(), detector.detect("The sales team are animals when it comes to closing deals"));
    assertEquals(List.of(), detector.detect("Immigrants are not people to be used as pawns"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fuck", "f u c k", "F.U.C.K.", "f-u-c-k", "fuuuuuck", "fvck", "sh1t", "$hit", "s h i t"})
  @DisplayName("everyday profanity and its disguises are a low-severity insult covering just the word")
  void profanity(String word) {
    String text = "oh " + word + ", the build broke";
    List<ToxicFinding> found = detector.detect(text);
    assertEquals(1, found.size(), found::toString);
    assertEquals(ToxicCategory.INSULT, found.get(0).category());
    assertEquals(ToxicFinding.LOW, found.get(0).severity());
    assertEquals(word.replaceAll("\\.$", ""), text.substring(found.get(0).start(), found.get(0).end()));
  }

  @Test
  @DisplayName("self-masked swearing, place names and letters that spell nothing are left alone")
  void notProfanity() {
    for (String text : List.of("sh*t happens", "Scunthorpe and Shitterton", "the U S A office", "plan a b c",
      "Kuntz from procurement", "Cockfosters station")) {
      assertEquals(List.of(), detector.detect(text), text);
    }
    assertTrue(detector.detect("I want to fuck you").stream().noneMatch(f -> f.category() == ToxicCategory.INSULT),
      "a sexual wish is sexual, not also swearing");
  }
}
