package ai.summary;

import ai.Summarizer;
import ai.summary.Recap.ActionItem;
import ai.summary.Recap.Point;
import ai.summary.Sentences.Sentence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline recap: extractive, no model and no network. Key points are the sentences that carry
 * the meeting's most repeated content words (a frequency ranking, shown in the order they were
 * said); decisions are sentences with a decision phrase ("we decided", "we agreed to", "let's go
 * with"); action items come from {@link ActionItems}; keywords are the most repeated content words
 * and word pairs, participants' names left out. English phrasing; other languages get key points
 * and keywords only.
 *
 * <p>It runs on its own worker pool ({@code parley-summary}): an hour-long meeting is a few tens of
 * thousands of words, milliseconds of work, but not event-loop work.
 */
public final class ExtractiveSummarizer implements Summarizer {

  private static final Pattern DECISION = Pattern.compile("\\b(?:we(?:'ve| have)? decided|decided to|decided that|decision is"
    + "|we(?:'ve| have)? agreed|agreed to|agreed that|let's decide|let us decide|we're going (?:to go )?with|we will go with"
    + "|we'll go with|let's go with|final decision|we are going with)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern PAST = Pattern.compile("\\b(?:last (?:quarter|year|month|week|time)|never happened|used to"
    + "|back then|in the past)\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern CHATTER = Pattern.compile("^(?:good (?:morning|afternoon|evening)|hi|hello|hey|thanks|thank you"
    + "|welcome|see you|bye|okay so|can everyone|can you (?:see|hear)|do you want me to|no problem|sounds good)\\b",
    Pattern.CASE_INSENSITIVE);

  private static final Pattern LEAD = Pattern.compile("^(?:(?:so|ok|okay|and|right|well|then|alright|yes|good)[ ,:]+)+",
    Pattern.CASE_INSENSITIVE);

  private final WorkerExecutor worker;
  private final int maxKeyPoints;
  private final int maxKeywords;

  public ExtractiveSummarizer(Vertx vertx, int maxKeyPoints, int maxKeywords) {
    this.worker = vertx == null ? null : vertx.createSharedWorkerExecutor("parley-summary", 1);
    this.maxKeyPoints = maxKeyPoints;
    this.maxKeywords = maxKeywords;
  }

  @Override
  public String provider() {
    return "extractive";
  }

  @Override
  public Future<Recap> summarize(MeetingText meeting) {
    if (worker == null) {
      return Future.succeededFuture(summarizeNow(meeting));
    }
    return worker.executeBlocking(() -> summarizeNow(meeting), false);
  }

  /** The same, on the caller's thread. */
  public Recap summarizeNow(MeetingText meeting) {
    if (meeting.isEmpty()) {
      return Recap.empty(provider(), meeting.lang());
    }
    List<Sentence> sentences = Sentences.of(meeting.utterances());
    boolean english = meeting.lang() == null || meeting.lang().equals("en");
    List<ActionItem> actions = english ? new ActionItems(meeting.participants()).find(sentences, meeting.day()) : List.of();
    List<Point> decisions = english ? decisions(sentences) : List.of();
    Set<String> names = names(meeting.participants());
    Map<String, Integer> frequency = frequency(sentences, names);
    List<String> keywords = keywords(sentences, frequency, names);
    Set<String> used = new HashSet<>();
    actions.forEach(a -> used.add(a.at() + "|" + a.speaker()));
    List<Point> keyPoints = keyPoints(sentences, frequency, decisions, actions);
    return new Recap(keyPoints, decisions, actions, keywords, provider(), meeting.lang(), meeting.characters(), "characters");
  }

  private static List<Point> decisions(List<Sentence> sentences) {
    List<Point> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Sentence s : sentences) {
      if (!DECISION.matcher(s.text()).find() || PAST.matcher(s.text()).find() || Sentences.contentWords(s.text()).size() < 3
        || Sentences.isQuestion(s.text()) && s.text().endsWith("?")) {
        continue;
      }
      String text = LEAD.matcher(s.text().strip()).replaceFirst("");
      text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
      if (seen.add(String.join(" ", Sentences.contentWords(text)))) {
        out.add(new Point(text, s.speaker(), s.at()));
      }
    }
    return out;
  }

  private static Set<String> names(List<String> participants) {
    Set<String> out = new HashSet<>();
    for (String p : participants) {
      for (String part : Sentences.plain(p).split(" ")) {
        out.add(Sentences.stem(part));
      }
    }
    return out;
  }

  private static Map<String, Integer> frequency(List<Sentence> sentences, Set<String> names) {
    Map<String, Integer> tf = new HashMap<>();
    for (Sentence s : sentences) {
      for (String w : new HashSet<>(Sentences.contentWords(s.text()))) {
        if (!names.contains(w) && w.length() > 2 && !w.chars().allMatch(Character::isDigit)) {
          tf.merge(w, 1, Integer::sum);
        }
      }
    }
    return tf;
  }

  private List<String> keywords(List<Sentence> sentences, Map<String, Integer> tf, Set<String> names) {
    Map<String, Integer> pairs = new LinkedHashMap<>();
    for (Sentence s : sentences) {
      List<String> words = Sentences.contentWords(s.text());
      for (int i = 0; i + 1 < words.size(); i++) {
        if (!names.contains(words.get(i)) && !names.contains(words.get(i + 1)) && !words.get(i).equals(words.get(i + 1))) {
          pairs.merge(words.get(i) + " " + words.get(i + 1), 1, Integer::sum);
        }
      }
    }
    List<String> out = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    pairs.entrySet().stream().filter(e -> e.getValue() >= 2)
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
      .forEach(e -> {
        if (out.size() < maxKeywords / 2) {
          out.add(e.getKey());
          covered.addAll(List.of(e.getKey().split(" ")));
        }
      });
    tf.entrySet().stream().filter(e -> e.getValue() >= 2 && !covered.contains(e.getKey()))
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
      .forEach(e -> {
        if (out.size() < maxKeywords) {
          out.add(e.getKey());
        }
      });
    return out;
  }

  private List<Point> keyPoints(List<Sentence> sentences, Map<String, Integer> tf, List<Point> decisions, List<ActionItem> actions) {
    Set<String> taken = new HashSet<>();
    decisions.forEach(d -> taken.add(Sentences.plain(d.text())));
    record Scored(int order, Sentence sentence, double score) {
    }
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      Sentence s = sentences.get(i);
      String text = s.text();
      if (Sentences.words(text) < 6 || Sentences.isQuestion(text) || CHATTER.matcher(text).find()
        || taken.contains(Sentences.plain(LEAD.matcher(text).replaceFirst(""))) || DECISION.matcher(text).find()
        || isCommitment(text)) {
        continue;
      }
      List<String> words = Sentences.contentWords(text);
      double score = 0;
      for (String w : new HashSet<>(words)) {
        score += Math.max(0, tf.getOrDefault(w, 0) - 1);
      }
      scored.add(new Scored(i, s, score / Math.sqrt(Math.max(4, words.size()))));
    }
    return scored.stream().filter(x -> x.score() > 0).sorted(Comparator.comparingDouble(Scored::score).reversed())
      .limit(maxKeyPoints).sorted(Comparator.comparingInt(Scored::order))
      .map(x -> new Point(capitalised(LEAD.matcher(x.sentence().text().strip()).replaceFirst("")), x.sentence().speaker(),
        x.sentence().at())).toList();
  }

  private static final Pattern COMMITMENT = Pattern.compile("\\b(?:i'll|i will|i'm going to|can you|could you|please)\\b",
    Pattern.CASE_INSENSITIVE);

  private static boolean isCommitment(String text) {
    return COMMITMENT.matcher(text).find();
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  @Override
  public Future<Void> health() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
  }
}
