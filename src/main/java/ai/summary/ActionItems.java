package ai.summary;

import ai.summary.DueDates.Due;
import ai.summary.Recap.ActionItem;
import ai.summary.Sentences.Sentence;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Action items from what was said, by the phrases people commit and ask with (English):
 * <ul>
 *   <li>a speaker's own commitment: "I'll update the roadmap today", "I can own the rotation work";</li>
 *   <li>a request to a participant by name: "Ben, can you review it", "Tom, please check ...",
 *       "Olu will draft the emails", "Bruno, you're in charge of the network";</li>
 *   <li>a request to nobody in particular ("can someone export the screens") taken by whoever
 *       answers "I can do that"; in a meeting of two, "can you ..." is for the other person.</li>
 * </ul>
 * An answer to a request ("Sure, I'll have it done by tomorrow") joins the request: one item, the
 * request's task, the first due date said. Questions about the call itself ("can you see my
 * screen"), "I'll be honest", "I'll be out on Friday" and offers on a condition ("I can also add a
 * metric if that helps") are not tasks. Owners are the meeting's participants.
 */
final class ActionItems {

  private static final String LEAD = "(?:(?:and|so|ok|okay|perfect|great|good|right|then|also|thanks|thank you|yes|yeah"
    + "|alright|well|now|oh|cool|nice|fine)[ ,]+)*";

  private static final Pattern SELF = Pattern.compile("(?:^|[ ,;:.])(i'll|i will|i'm going to|i am going to|i'm gonna|i am gonna"
    + "|im gonna|i can|let me|i shall|i'm happy to|i am happy to|happy to|put me down for|next steps? for me(?: is| are)?:?"
    + "|to do for me:?|my action(?: item)? is:?|i've got|i'll take care of|i'm on)[ ,]+(.+)$", Pattern.CASE_INSENSITIVE);

  /** How a request to "you" starts, the longer forms first. */
  private static final String REQUEST_CUE = "(?:would|do) you mind|(?:are|were) you able to|would you be able to"
    + "|could i ask you to|can i ask you to|do you have time to|(?:can|could|would|will) you(?: please)?|please";

  private static final Pattern ANON_REQUEST = Pattern.compile("^" + LEAD + "(?:(?:\\w+(?:'\\w+)? ){0,3}?)"
    + "(who can|who could|who wants to|who's going to|who will|anyone want to|someone needs to|somebody needs to"
    + "|we need someone to|i need someone to|i need you to|i'd like you to|i would like you to|(?:can|could|would) "
    + "(?:someone|anyone|somebody|one of you)(?: please)?|" + REQUEST_CUE + ")[ ,]+(.+)$", Pattern.CASE_INSENSITIVE);

  private static final Pattern AFFIRMATIVE = Pattern.compile("^(?:yes|yeah|yep|sure|ok|okay|will do|fine|no problem|of course"
    + "|absolutely|on it|happy to|consider it done|sounds good|got it|i can do that|i'll do it|i'll do that|i will do that"
    + "|i'll take it|i'll take that|i can take that|i can take it|me|mine|that's on me|that one's mine|that's mine"
    + "|leave it with me|i'm on it|i've got it|i've got this|count me in|i'll handle it)\\b", Pattern.CASE_INSENSITIVE);

  /** What "I'll ..." is followed by when it is not a task. */
  private static final Pattern NOT_A_TASK = Pattern.compile("^(?:be|say|admit|guess|bet|see|hear|tell you|need|think|stop sharing"
    + "|share my screen|mute|unmute|leave it|let you go|pass|go now|have to go|skip|hang up|drop off|jump off|wait)\\b",
    Pattern.CASE_INSENSITIVE);

  /** What "can you ..." is followed by when it is about the call, not a task. */
  private static final Pattern NOT_A_REQUEST = Pattern.compile("^(?:(?:all|both|guys|everyone) )?(?:see|hear|read me|repeat|say|share (?:your |my |the )?screen"
    + "|share the \\w+ again|unmute|mute|speak|hold|wait|give me a (?:second|minute|moment)|remind me|tell me|confirm|go back"
    + "|scroll|zoom|turn|switch|move on|stop sharing|type|spell)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern CONDITIONAL_OFFER = Pattern.compile("\\bif (?:that helps|it helps|you want|you like|you'd like"
    + "|needed|necessary|anyone|you need|useful)\\b", Pattern.CASE_INSENSITIVE);

  /** A task that only points back ("do that", "schedule it", "draft them"). */
  private static final Pattern ANAPHORIC = Pattern.compile("^(?:\\w+ ){0,1}?(?:it|that|this|them|those|these|the same)\\b",
    Pattern.CASE_INSENSITIVE);

  private static final Pattern PRONOUN = Pattern.compile("\\b(?:it|them|that|this|those|these)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern FILLER_START = Pattern.compile("^(?:(?:please|also|just|go ahead and|make sure (?:to|that)"
    + "|then|definitely|actually|quickly)[ ,]+)+", Pattern.CASE_INSENSITIVE);

  private static final Pattern FILLER_END = Pattern.compile("(?:[ ,]+(?:please|if possible|for me|for us|thanks|thank you"
    + "|as well|too|ok|okay|right))+$", Pattern.CASE_INSENSITIVE);

  /** One candidate: a request (owner known or not) or a commitment. */
  private static final class Candidate {
    final Sentence sentence;
    final int index;
    String owner;
    String task;
    Due due;
    final boolean request;
    final boolean open;
    boolean answered;
    int answeredIn = -1;
    boolean merged;
    String context;
    String extra;

    Candidate(Sentence sentence, int index, String owner, String task, boolean request, boolean open) {
      this.sentence = sentence;
      this.index = index;
      this.owner = owner;
      this.task = task;
      this.request = request;
      this.open = open;
    }
  }

  private final Map<String, String> byName = new HashMap<>();
  private final Pattern names;
  private final List<String> participants;

  ActionItems(List<String> participants) {
    this.participants = participants;
    Map<String, Integer> firstNames = new HashMap<>();
    for (String p : participants) {
      firstNames.merge(first(p), 1, Integer::sum);
    }
    for (String p : participants) {
      byName.put(p.toLowerCase(Locale.ROOT), p);
      if (firstNames.get(first(p)) == 1) {
        byName.put(first(p), p);
      }
    }
    String alternation = byName.keySet().stream().sorted((a, b) -> b.length() - a.length()).map(Pattern::quote)
      .collect(Collectors.joining("|"));
    names = alternation.isEmpty() ? null : Pattern.compile(alternation, Pattern.CASE_INSENSITIVE);
  }

  private static String first(String name) {
    return name.toLowerCase(Locale.ROOT).strip().split("\\s+")[0];
  }

  private String participant(String said) {
    return said == null ? null : byName.get(said.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip());
  }

  /** The participant a speaker is, by display name or first name; the name as is when unknown. */
  private String speaker(String speaker) {
    String p = participant(speaker);
    return p != null ? p : speaker;
  }

  private LocalDate day;

  List<ActionItem> find(List<Sentence> sentences, LocalDate meetingDay) {
    this.day = meetingDay;
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      Sentence s = sentences.get(i);
      Candidate request = request(s, i);
      if (request != null) {
        candidates.add(request);
        continue;
      }
      Candidate commitment = commitment(s, i);
      if (commitment != null) {
        commitment.due = DueDates.find(commitment.task, day).orElse(null);
        candidates.add(commitment);
        // An answer joins its request: the commitment that follows a request for its speaker (or for anyone).
        answer(candidates, s, i, commitment);
      } else if (AFFIRMATIVE.matcher(s.text()).find()) {
        answer(candidates, s, i, null);
      }
    }
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : candidates) {
      if (c.merged) {
        continue;
      }
      if (c.request && c.owner == null) {
        // Nobody took it: in a meeting of two, "can you ..." is for the other one.
        if (!c.open && participants.size() == 2) {
          String other = participants.stream().filter(p -> !p.equals(speaker(c.sentence.speaker()))).findFirst().orElse(null);
          c.owner = other;
        }
        if (c.owner == null) {
          continue;
        }
      }
      kept.add(c);
    }
    List<Candidate> joined = joinSameUtterance(kept);
    List<ActionItem> out = new ArrayList<>();
    for (Candidate c : joined) {
      String task = clean(c.task, c.due);
      // "I'll fix it", or a task without its verb ("you own the duplicates investigation"): say what it is about
      if (c.context == null && (PRONOUN.matcher(task).find() || task.matches("(?i)^(?:the|a|an|our|this|that) .*"))) {
        c.context = context(sentences, c.index);
      }
      if (c.extra != null) {
        String extra = clean(c.extra, DueDates.find(c.extra, day).orElse(null));
        Set<String> have = new HashSet<>(Sentences.contentWords(task));
        long added = Sentences.contentWords(extra).stream().filter(w -> !have.contains(w)).count();
        if (added >= 2) {
          task = task + "; " + extra;
        }
      }
      if (task.isBlank()) {
        continue;
      }
      out.add(new ActionItem(c.owner, task, c.due == null ? null : c.due.phrase(), c.due == null ? null : c.due.date(),
        c.context, speaker(c.sentence.speaker()), c.sentence.at(), c.sentence.source()));
    }
    return out;
  }

  /** A request to a named participant, or to whoever takes it. */
  private Candidate request(Sentence s, int index) {
    String text = s.text().replaceAll("[?.!]+$", "");
    if (names != null) {
      String n = "(" + names.pattern() + ")";
      Matcher m;
      m = Pattern.compile("^" + LEAD + n + "[ ,]+(?:" + REQUEST_CUE + "|you will|you'll"
        + "|you are going to|you're going to|you're gonna)[ ,]+(.+)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), m.group(2));
      }
      m = Pattern.compile("^" + LEAD + n + "[ ,]+(?:you're|you are|is) (in charge of|responsible for|on|the owner of"
        + "|taking|handling|owning) (.+)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), "be " + m.group(2) + " " + m.group(3));
      }
      m = Pattern.compile("^" + LEAD + n + "[ ,]+(?:you own|you'll own|you take|you'll take|you handle|you'll handle"
        + "|you're doing|you'll do|you do) (.+)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), m.group(2));
      }
      // "Ravi, the legal review of the new terms, that one's yours."
      m = Pattern.compile("^" + LEAD + n + "[ ,]+(.+?)[ ,]+(?:that one's yours|that's yours|that one is yours|that is yours"
        + "|over to you|that's on you|that one's on you|all yours)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), m.group(2));
      }
      m = Pattern.compile("^" + LEAD + "(?:(?:let's|let us) have|action item(?: for)?|(?:can|could|would) we (?:get|have|ask))"
        + "[ ,:]+" + n + "[ ,:]+(?:to )?(.+)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), m.group(2));
      }
      m = Pattern.compile("^" + LEAD + n + " (?:will|is going to|'s going to|is gonna|can|could|should) (.+)$",
        Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find() && !NOT_A_TASK.matcher(m.group(2)).find()) {
        return named(s, index, m.group(1), m.group(2));
      }
      m = Pattern.compile("^" + LEAD + "(?:can|could|would) " + n + " (?:please )?(.+)$", Pattern.CASE_INSENSITIVE).matcher(text);
      if (m.find()) {
        return named(s, index, m.group(1), m.group(2));
      }
    }
    Matcher anon = ANON_REQUEST.matcher(text);
    if (anon.find() && !NOT_A_REQUEST.matcher(anon.group(2)).find() && !anon.group(2).toLowerCase(Locale.ROOT).startsWith("you ")) {
      // "Would you mind writing up the comparison, Ola?": the name at the end says whose it is.
      if (names != null) {
        Matcher last = Pattern.compile("^(.+?)[ ,]+(" + names.pattern() + ")$", Pattern.CASE_INSENSITIVE).matcher(anon.group(2));
        if (last.find()) {
          return named(s, index, last.group(2), last.group(1));
        }
      }
      boolean open = anon.group(1).toLowerCase(Locale.ROOT).matches(".*(?:someone|anyone|somebody|one of you|who).*");
      Candidate c = new Candidate(s, index, null, anon.group(2), true, open);
      c.due = DueDates.find(c.task, day).orElse(null);
      return c;
    }
    return null;
  }

  private Candidate named(Sentence s, int index, String name, String task) {
    if (NOT_A_REQUEST.matcher(task).find()) {
      return null;
    }
    Candidate c = new Candidate(s, index, participant(name), task, true, false);
    c.due = DueDates.find(task, day).orElse(null);
    return c;
  }

  /** "I'll ..." and its kin, when what follows is a task. */
  private Candidate commitment(Sentence s, int index) {
    Matcher m = SELF.matcher(s.text().replaceAll("[?.!]+$", ""));
    if (!m.find()) {
      return null;
    }
    String cue = m.group(1).toLowerCase(Locale.ROOT);
    String task = m.group(2).strip();
    if (NOT_A_TASK.matcher(task).find() || Sentences.isQuestion(s.text()) && !s.text().strip().endsWith(".")) {
      return null;
    }
    if ((cue.equals("i can") || cue.equals("let me") || cue.startsWith("happy") || cue.contains("happy"))
      && CONDITIONAL_OFFER.matcher(task).find()) {
      return null;
    }
    if (cue.equals("i can") && task.toLowerCase(Locale.ROOT).matches("^(?:also )?(?:see|hear|do it|try)\\b.*") && !task.matches("(?i)^do it\\b.*")) {
      return null;
    }
    return new Candidate(s, index, speaker(s.speaker()), task, false, false);
  }

  /**
   * Joins an answer (a commitment, or a bare "sure" when {@code commitment} is null) by the
   * sentence's speaker to the latest request within three sentences before it that is theirs or
   * anyone's and not answered yet.
   */
  private void answer(List<Candidate> candidates, Sentence s, int index, Candidate commitment) {
    String who = speaker(s.speaker());
    for (int k = candidates.size() - 1; k >= 0; k--) {
      Candidate r = candidates.get(k);
      if (r == commitment) {
        continue;
      }
      if (r.index >= index || index - r.index > 3) {
        if (r.index < index) {
          break;
        }
        continue;
      }
      // a bare "Happy to." then "I'll reach out tomorrow" in the same breath: one answer
      boolean sameAnswer = r.answered && who.equals(r.owner) && r.answeredIn == s.utterance() && commitment != null;
      if (!r.request || r.answered && !sameAnswer || who.equals(speaker(r.sentence.speaker()))) {
        continue;
      }
      if (r.owner != null && !r.owner.equals(who)) {
        continue;
      }
      r.owner = who;
      r.answered = true;
      r.answeredIn = s.utterance();
      if (commitment != null) {
        commitment.merged = true;
        if (r.due == null) {
          r.due = commitment.due;
        }
        if (!ANAPHORIC.matcher(commitment.task).find()) {
          r.extra = commitment.task;
        }
      }
      return;
    }
  }

  /** Several commitments by one speaker in one utterance are one item. */
  private static List<Candidate> joinSameUtterance(List<Candidate> kept) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : kept) {
      Candidate last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && !c.request && !last.request && last.sentence.utterance() == c.sentence.utterance()
        && last.owner != null && last.owner.equals(c.owner)) {
        last.task = last.task + "; " + c.task;
        if (last.due == null) {
          last.due = c.due;
        }
        continue;
      }
      out.add(c);
    }
    return out;
  }

  /** The statement a task with "it" or "that" most likely points back to. */
  private static String context(List<Sentence> sentences, int index) {
    for (int k = index - 1; k >= Math.max(0, index - 4); k--) {
      String t = sentences.get(k).text();
      if (Sentences.words(t) >= 4 && !t.matches("(?i)^(?:it|that|this|they|he|she|yes|no|ok|okay|sure|thanks|how|why|what)\\b.*")) {
        return t;
      }
    }
    return null;
  }

  /** The task without its due phrase, fillers and end punctuation. */
  private static String clean(String task, Due due) {
    String t = task;
    if (due != null) {
      Optional<Due> again = Optional.of(due);
      int at = t.toLowerCase(Locale.ROOT).indexOf(again.get().phrase().toLowerCase(Locale.ROOT));
      if (at >= 0) {
        t = (t.substring(0, at) + " " + t.substring(at + again.get().phrase().length())).replaceAll("\\s+", " ");
      }
    }
    t = t.replaceAll("[\\s,;:.!?]+$", "").strip();
    t = FILLER_START.matcher(t).replaceFirst("");
    t = FILLER_END.matcher(t).replaceFirst("");
    return t.replaceAll("\\s+([,;])", "$1").replaceAll("[\\s,;]+$", "").strip();
  }

  /** Content words of a labelled or predicted task reduced to a rough root, for comparing tasks. */
  static Set<String> words(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : Sentences.contentWords(text)) {
      out.add(Sentences.root(w));
    }
    return out;
  }
}
