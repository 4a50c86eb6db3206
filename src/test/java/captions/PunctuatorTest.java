package captions;

import ai.stt.Punctuator;
import ai.stt.Word;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The readable-captions step's rules, one behaviour at a time (the set is scored in ReadableCaptionsTest). */
@DisplayName("Readable captions: sentence case, end punctuation and names, with the words untouched")
class PunctuatorTest {

  static final Punctuator P = new Punctuator(250);

  /** Words 50 ms apart, except a pause of {@code pauseMs} after each word marked with a trailing '|'. */
  static List<Word> timed(String spoken, long pauseMs) {
    List<Word> out = new ArrayList<>();
    long t = 0;
    for (String w : spoken.split("\\s+")) {
      boolean pause = w.endsWith("|");
      String word = pause ? w.substring(0, w.length() - 1) : w;
      out.add(new Word(word, t, t + 300));
      t += 300 + (pause ? pauseMs : 50);
    }
    return out;
  }

  static String text(String spoken) {
    return spoken.replace("|", "");
  }

  @Test
  @DisplayName("a caption is one sentence: capitalised, with a full stop; I and its contractions are capitals")
  void statement() {
    assertEquals("I think i'm late.".replace("i'm", "I'm"), P.format("i think i'm late", List.of(), List.of()));
    assertEquals("We moved to the new one in December.", P.format("we moved to the new one in december", List.of(), List.of()));
    assertEquals("Let's meet on Monday.", P.format("let's meet on monday", List.of(), List.of()));
  }

  @Test
  @DisplayName("questions: inverted auxiliaries, wh-words with an auxiliary, why/who, openers and tags; not subordinate clauses")
  void questions() {
    for (String q : List.of("can you hear me", "is the build still failing", "do we have any questions", "have you talked to them",
      "what do you think", "where is the report", "how much is left", "which version are we using", "why not",
      "who is taking notes", "any questions", "anyone else", "so what do we do now", "okay can we start",
      "that works for you doesn't it", "does that work for you", "what time is it", "could you send the link")) {
      String out = P.format(q, List.of(), List.of());
      assertEquals('?', out.charAt(out.length() - 1), q + " -> " + out);
    }
    for (String s : List.of("when you are ready send it", "what i mean is simple", "have a good weekend", "do the dishes",
      "i will check", "how we do it matters", "may the best team win", "that is right")) {
      String out = P.format(s, List.of(), List.of());
      assertEquals('.', out.charAt(out.length() - 1), s + " -> " + out);
    }
  }

  @Test
  @DisplayName("a long pause ends a sentence; a short one, or one after 'the', does not")
  void pauses() {
    String spoken = "the report is almost done| i will send it on friday";
    assertEquals("The report is almost done. I will send it on Friday.", P.format(text(spoken), timed(spoken, 330), List.of()));
    assertEquals("The report is almost done i will send it on Friday.".replace(" i ", " I "),
      P.format(text(spoken), timed(spoken, 150), List.of()), "a comma's pause is not a sentence");
    String hesitant = "let us look at the| budget";
    assertEquals("Let us look at the budget.", P.format(text(hesitant), timed(hesitant, 400), List.of()));
    String question = "not yet| can you give me an hour";
    assertEquals("Not yet. Can you give me an hour?", P.format(text(question), timed(question, 300), List.of()));
  }

  @Test
  @DisplayName("timings that are not the text's words are ignored")
  void mismatchedTimings() {
    assertEquals("Good morning everyone can you hear me?",
      P.format("good morning everyone can you hear me", timed("good| morning", 500), List.of()));
  }

  @Test
  @DisplayName("participants' names as written, accents and inner capitals included; possessives too")
  void names() {
    List<String> people = List.of("María López", "Ian McKenzie", "deShawn Ray");
    assertEquals("Thank you María.", P.format("thank you maria", List.of(), people));
    assertEquals("McKenzie's slides are ready.", P.format("mckenzie's slides are ready", List.of(), people));
    assertEquals("Ask deShawn about it.", P.format("ask deshawn about it", List.of(), people));
    assertEquals("Ian and María will present.", P.format("ian and maria will present", List.of(), people));
  }

  @Test
  @DisplayName("a name that is also a word is a name only where it reads as one")
  void commonWordNames() {
    List<String> people = List.of("Will Turner", "Grace Kim", "Mark Davis");
    assertEquals("I will help you.", P.format("i will help you", List.of(), people));
    assertEquals("Thanks Will.", P.format("thanks will", List.of(), people));
    assertEquals("Will did you finish the slides?", P.format("will did you finish the slides", List.of(), people));
    assertEquals("Will you send it?", P.format("will you send it", List.of(), people));
    assertEquals("Mark have you talked to the customer?", P.format("mark have you talked to the customer", List.of(), people));
    assertEquals("Please mark it as done.", P.format("please mark it as done", List.of(), people));
    assertEquals("Will Turner and Grace Kim are here.", P.format("will turner and grace kim are here", List.of(), people));
    assertEquals("By his grace we survived.", P.format("by his grace we survived", List.of(), people));
  }

  @Test
  @DisplayName("already punctuated or cased text (another provider's, or made readable before) is left as it is")
  void idempotent() {
    for (String done : List.of("The cat is black.", "Hello, world", "ok Google")) {
      assertEquals(done, P.format(done, List.of(), List.of("Sarah")));
    }
    String once = P.format("is it ready", List.of(), List.of());
    assertEquals(once, P.format(once, List.of(), List.of()));
  }

  @Test
  @DisplayName("the words are never changed, added or dropped: only case and end marks")
  void wordsUnchanged() {
    List<String> people = List.of("María López", "Will Turner");
    for (String s : List.of("thanks maria| will did you| finish the slides| i will| check it on friday", "i| i| i",
      "um| so| what| do| we| do", "a| the| and| of")) {
      String out = P.format(text(s), timed(s, 400), people);
      assertEquals(support.Readability.words(text(s)), support.Readability.words(out), s + " -> " + out);
    }
  }
}
