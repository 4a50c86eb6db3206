package ai.safety;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The built-in toxicity detector")
class ToxicityDetectionTest {

  private final ToxicityDetector detector = new ToxicityDetector();

  private int severity(String text, ToxicCategory category) {
    return detector.detect(text).stream().filter(f -> f.category() == category)
      .mapToInt(ToxicFinding::severity).max().orElse(0);
  }

  private void assertFlagged(String text, ToxicCategory category, int minSeverity) {
    int severity = severity(text, category);
    assertTrue(severity >= minSeverity,
      () -> "'" + text + "' should be " + category + " >= " + minSeverity + ", got " + detector.detect(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "Let's kill the stuck process", "This bug is killing me", "let's shoot for Friday", "execute the script",
    "the build died", "we need to hit the deadline", "abort the job", "I grew up in Scunthorpe", "Essex and Middlesex",
    "Penistone station", "Cockburn Street", "Dick Smith joins at 3", "Assassin's Creed is on sale",
    "I'll shoot you an email", "you killed it in the demo", "It won't hurt you to add a test",
    "It wouldn't kill you to update the docs", "I'll beat you to it", "did you fat finger the config?",
    "summa cum laude", "a chink in the armour", "blue tits in the garden", "total cock-up, sorry",
    "winners and losers of the reorg", "this printer is so stupid", "the kill switch is in the admin panel",
    "terminate the instance", "the OOM killer got it", "we'll attack the backlog", "Hit me up later",
    "I'm dying to see it", "that demo was drop dead gorgeous", "our Muslim and Jewish colleagues", "women in tech meetup",
    "sexual harassment training is mandatory", "suicide prevention resources", "the therapist said", "grape juice",
    "shiitake mushrooms", "analysis of the class", "no stupid questions", "you're dead right", "idiot-proof installer",
    "I could just die of embarrassment", "I'm such an idiot, wrong branch", "I feel like an idiot today", "what an idiot I am",
    "we will end her contract in May", "I hate you had to deal with that", "sh*t happens", "5*3 = 15", "*bold* text",
    "we want to have sex ed in schools"})
  @DisplayName("leaves ordinary workplace phrases, place names and idioms alone")
  void workplaceNegatives(String text) {
    assertEquals(List.of(), detector.detect(text), text);
  }

  @Test
  @DisplayName("flags threats as violence, high when there is intent")
  void threats() {
    assertEquals(ToxicFinding.HIGH, severity("I will kill you", ToxicCategory.VIOLENCE));
    assertEquals(ToxicFinding.HIGH, severity("I'm going to stab you", ToxicCategory.VIOLENCE));
    assertEquals(ToxicFinding.HIGH, severity("i'll fucking kill him", ToxicCategory.VIOLENCE));
    assertEquals(ToxicFinding.MEDIUM, severity("kill you", ToxicCategory.VIOLENCE));
    assertFlagged("You should die", ToxicCategory.VIOLENCE, ToxicFinding.MEDIUM);
    assertFlagged("I know where you live", ToxicCategory.VIOLENCE, ToxicFinding.MEDIUM);
    assertFlagged("someone should bomb the office", ToxicCategory.VIOLENCE, ToxicFinding.HIGH);
  }

  @Test
  @DisplayName("flags self-harm, high for stated intent, and encouragement to self-harm")
  void selfHarm() {
    assertEquals(ToxicFinding.HIGH, severity("I want to kill myself", ToxicCategory.SELF_HARM));
    assertEquals(ToxicFinding.HIGH, severity("I don't want to live anymore", ToxicCategory.SELF_HARM));
    assertEquals(ToxicFinding.HIGH, severity("just kill yourself", ToxicCategory.SELF_HARM));
    assertEquals(ToxicFinding.HIGH, severity("kys", ToxicCategory.SELF_HARM));
    assertEquals(ToxicFinding.MEDIUM, severity("the article was about how people commit suicide", ToxicCategory.SELF_HARM));
    assertEquals(0, severity("please don't hurt yourself lifting that", ToxicCategory.SELF_HARM));
  }

  @Test
  @DisplayName("flags hate: dehumanising phrases about protected groups and slurs")
  void hate() {
    assertEquals(ToxicFinding.HIGH, severity("all immigrants are vermin", ToxicCategory.HATE));
    assertEquals(ToxicFinding.HIGH, severity("Muslims should be deported", ToxicCategory.HATE));
    assertFlagged("go back to your own country", ToxicCategory.HATE, ToxicFinding.MEDIUM);
    assertFlagged("I hate those gay people", ToxicCategory.HATE, ToxicFinding.MEDIUM);
    // A slur, spelled here in ROT13 as in the lexicon so that the test source stays readable.
    String slur = Lexicon.rot13("snttbg");
    assertEquals(ToxicFinding.HIGH, severity("you " + slur, ToxicCategory.HATE));
    assertEquals(ToxicFinding.HIGH, severity("what a " + slur.toUpperCase() + "!!", ToxicCategory.HATE));
    assertEquals(0, severity("immigrants are welcome here", ToxicCategory.HATE));
  }

  @Test
  @DisplayName("flags sexual content")
  void sexual() {
    assertFlagged("send me nudes", ToxicCategory.SEXUAL, ToxicFinding.MEDIUM);
    assertFlagged("show me your tits", ToxicCategory.SEXUAL, ToxicFinding.MEDIUM);
    assertEquals(ToxicFinding.HIGH, severity("I want to fuck you", ToxicCategory.SEXUAL));
    assertEquals(0, severity("I want to fuck you", ToxicCategory.INSULT), "a sexual wish is not also an insult");
  }

  @Test
  @DisplayName("flags insults aimed at a person, and strong insulting nouns on their own")
  void insults() {
    assertEquals(ToxicFinding.MEDIUM, severity("You are an idiot.", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("you're such a moron", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.HIGH, severity("you stupid cunt", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("fuck you", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("what an asshole", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.LOW, severity("what an idiot", ToxicCategory.INSULT));
    assertEquals(0, severity("the losers bracket starts at noon", ToxicCategory.INSULT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"You are an 1d10t", "you are an IDIOOOOOT", "y0u are a m0r0n", "you're an id1ot!!!",
    "You’re an idiot", "YOU ARE AN IDIOT", "you  are\tan   idiot"})
  @DisplayName("sees through case, leetspeak, elongation, curly apostrophes and extra white space")
  void normalisation(String text) {
    assertFlagged(text, ToxicCategory.INSULT, ToxicFinding.MEDIUM);
  }

  @Test
  @DisplayName("elongation collapses to the word the rules know: kiiiill is kill, asssss is ass")
  void elongation() {
    assertEquals(ToxicFinding.HIGH, severity("i will kiiiiill you", ToxicCategory.VIOLENCE));
    assertFlagged("kiss my asssss", ToxicCategory.INSULT, ToxicFinding.MEDIUM);
    assertEquals(0, severity("I was sooooo happy", ToxicCategory.INSULT));
  }

  @Test
  @DisplayName("reports spans in the original text, covering just the offending words")
  void spans() {
    String text = "Morning all. Honestly Bob, you are an 1d10t!! Anyway, agenda?";
    List<ToxicFinding> found = detector.detect(text);
    assertEquals(1, found.size(), found::toString);
    assertEquals("you are an 1d10t", text.substring(found.get(0).start(), found.get(0).end()));
  }

  @Test
  @DisplayName("does not join words across a sentence break")
  void sentenceBreaks() {
    assertEquals(0, severity("The tests kill. You know what I mean", ToxicCategory.VIOLENCE));
    assertEquals(ToxicFinding.HIGH, severity("Stop. I will kill you.", ToxicCategory.VIOLENCE));
  }

  @Test
  @DisplayName("a harmless idiom does not hide a real threat elsewhere in the same message")
  void safePhraseOnlyMasksItsOwnSpan() {
    String text = "I'll shoot you an email, and then I will kill you";
    List<ToxicFinding> found = detector.detect(text);
    assertEquals(1, found.size(), found::toString);
    assertEquals("I will kill you", text.substring(found.get(0).start(), found.get(0).end()));
  }

  @Test
  @DisplayName("can be limited to some categories, as the Azure provider does for insults")
  void limitedCategories() {
    String text = "you idiot, I will kill you";
    List<ToxicFinding> found = detector.detect(text, EnumSet.of(ToxicCategory.INSULT));
    assertTrue(!found.isEmpty() && found.stream().allMatch(f -> f.category() == ToxicCategory.INSULT), found::toString);
  }

  @Test
  @DisplayName("reads long and adversarial input correctly: repeated abuse flagged, a wall of 'kill' or symbols not")
  void longAndAdversarial() {
    String chat = "you are such a total complete absolute fucking ".repeat(400) + "x";
    List<ToxicFinding> abuse = detector.detect(chat);
    assertTrue(!abuse.isEmpty() && abuse.stream().allMatch(f -> f.category() == ToxicCategory.INSULT),
      () -> "repeated directed profanity is an insult, got " + abuse.subList(0, Math.min(3, abuse.size())));
    assertTrue(abuse.stream().allMatch(f -> chat.substring(f.start(), f.end()).equals("fucking")),
      "each finding spans the offending word");
    assertEquals(List.of(), detector.detect("kill ".repeat(4000)), "a word with no target is not a threat");
    assertEquals(List.of(), detector.detect("@$!".repeat(5000) + "a".repeat(10_000)),
      "symbol noise and elongation alone are not profanity");
    assertEquals(List.of(), detector.detect("Can everyone see my screen? I think the build is broken again, let's kill the job 7"));
  }

  @Test
  @DisplayName("reads masking stars as the offensive word they hide: f*ck, a**hole, f***ing")
  void maskingStars() {
    assertEquals(ToxicFinding.MEDIUM, severity("f*ck you", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("what an a**hole", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("you are a f***ing idiot", ToxicCategory.INSULT));
    assertEquals(List.of(), detector.detect("the f***ing build is red again"), "undirected profanity stays allowed");
  }

  @Test
  @DisplayName("flags hostility aimed at a person but not at oneself: I hate you, I will end you, but I'm such an idiot")
  void directedHostility() {
    assertEquals(ToxicFinding.LOW, severity("I hate you", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.LOW, severity("honestly I can't stand you guys", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.HIGH, severity("I will end you", ToxicCategory.VIOLENCE));
    assertEquals(ToxicFinding.MEDIUM, severity("I'm such an idiot, you moron", ToxicCategory.INSULT));
    assertEquals(ToxicFinding.MEDIUM, severity("what an idiot you are", ToxicCategory.INSULT));
    assertFlagged("let's have sex", ToxicCategory.SEXUAL, ToxicFinding.MEDIUM);
  }
}
