package ai.summary;

import ai.summary.MeetingText.Utterance;
import ai.summary.Recap.ActionItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline summarizer's action items on the labelled meetings of {@code src/test/resources/recap}
 * (see its README for the format and the matching rule). Prints precision and recall, due dates and
 * decisions, and every miss; fails when precision or recall of action items is under 0.8.
 */
@DisplayName("Recap action items on the labelled meetings")
class RecapEvaluationTest {

  record Labelled(String owner, String task, LocalDate due) {
  }

  record Meeting(String file, MeetingText text, List<Labelled> actions, List<String> decisions) {
  }

  /** The scores on one set of meetings. */
  static final class Score {
    int truePositives;
    int predicted;
    int labelled;
    int duesRight;
    int duesLabelled;
    int decisionsFound;
    int decisionsLabelled;
    int decisionsPredicted;

    double precision() {
      return predicted == 0 ? 0 : (double) truePositives / predicted;
    }

    double recall() {
      return labelled == 0 ? 0 : (double) truePositives / labelled;
    }
  }

  private static Score gated;

  @BeforeAll
  static void evaluate() throws IOException, URISyntaxException {
    Path dir = Path.of(RecapEvaluationTest.class.getResource("/recap/README.md").toURI()).getParent();
    StringBuilder report = new StringBuilder();
    gated = score("the twelve labelled meetings (gated)", meetings(dir), report);
    score("the meetings written after the summarizer (reported only)", meetings(dir.resolve("after")), report);
    System.out.println(report);
  }

  private static List<Meeting> meetings(Path dir) throws IOException {
    List<Meeting> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
        out.add(parse(f));
      }
    }
    return out;
  }

  private static Score score(String name, List<Meeting> meetings, StringBuilder report) {
    Score sc = new Score();
    ExtractiveSummarizer summarizer = new ExtractiveSummarizer(null, 5, 8);
    report.append("\nRecap action items on ").append(name).append(", ").append(meetings.size()).append(" meetings\n");
    for (Meeting m : meetings) {
      Recap recap = summarizer.summarizeNow(m.text());
      List<ActionItem> left = new ArrayList<>(recap.actionItems());
      sc.predicted += left.size();
      sc.labelled += m.actions().size();
      for (Labelled gold : m.actions()) {
        ActionItem hit = left.stream().filter(p -> matches(gold, p)).findFirst().orElse(null);
        if (hit == null) {
          report.append("  missed  ").append(m.file()).append(": ").append(gold.owner()).append(" | ").append(gold.task()).append('\n');
          continue;
        }
        left.remove(hit);
        sc.truePositives++;
        if (gold.due() != null) {
          sc.duesLabelled++;
          if (gold.due().equals(hit.dueDate())) {
            sc.duesRight++;
          } else {
            report.append("  due     ").append(m.file()).append(": ").append(gold.task()).append(" expected ").append(gold.due())
              .append(" got ").append(hit.dueDate()).append(" (").append(hit.due()).append(")\n");
          }
        }
      }
      for (ActionItem extra : left) {
        report.append("  extra   ").append(m.file()).append(": ").append(extra.owner()).append(" | ").append(extra.task())
          .append(extra.context() == null ? "" : " [" + extra.context() + "]").append('\n');
      }
      sc.decisionsLabelled += m.decisions().size();
      sc.decisionsPredicted += recap.decisions().size();
      for (String d : m.decisions()) {
        Set<String> words = ActionItems.words(d);
        if (recap.decisions().stream().anyMatch(p -> overlap(words, ActionItems.words(p.text())) >= 0.5)) {
          sc.decisionsFound++;
        } else {
          report.append("  missed decision ").append(m.file()).append(": ").append(d).append('\n');
        }
      }
    }
    report.append(String.format("action items: %d labelled, %d found, %d right: precision %.2f recall %.2f%n", sc.labelled,
      sc.predicted, sc.truePositives, sc.precision(), sc.recall()));
    report.append(String.format("due dates right on matched items: %d of %d%n", sc.duesRight, sc.duesLabelled));
    report.append(String.format("decisions: %d labelled, %d found, %d right%n", sc.decisionsLabelled, sc.decisionsPredicted,
      sc.decisionsFound));
    return sc;
  }

  static boolean matches(Labelled gold, ActionItem p) {
    if (p.owner() == null || !p.owner().equalsIgnoreCase(gold.owner())) {
      return false;
    }
    Set<String> shown = ActionItems.words(p.task() + (p.context() == null ? "" : " " + p.context()));
    return overlap(ActionItems.words(gold.task()), shown) >= 0.5;
  }

  private static double overlap(Set<String> gold, Set<String> shown) {
    if (gold.isEmpty()) {
      return 0;
    }
    return gold.stream().filter(shown::contains).count() / (double) gold.size();
  }

  @Test
  @DisplayName("precision and recall of action items are at least 0.8")
  void actionItems() {
    assertTrue(gated.labelled >= 40, "only " + gated.labelled + " labelled action items");
    assertTrue(gated.precision() >= 0.8 && gated.recall() >= 0.8,
      String.format("precision %.2f recall %.2f (minimum 0.8)", gated.precision(), gated.recall()));
  }

  static Meeting parse(Path file) throws IOException {
    String title = null;
    LocalDate day = null;
    List<String> participants = new ArrayList<>();
    List<Utterance> utterances = new ArrayList<>();
    List<Labelled> actions = new ArrayList<>();
    List<String> decisions = new ArrayList<>();
    String section = "";
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("title: ")) {
        title = line.substring(7).strip();
      } else if (line.startsWith("date: ")) {
        day = LocalDate.parse(line.substring(6).strip());
      } else if (line.startsWith("participants: ")) {
        for (String p : line.substring(14).split(";")) {
          participants.add(p.strip());
        }
      } else if (line.equals("transcript:") || line.equals("chat:") || line.equals("labels:")) {
        section = line.substring(0, line.length() - 1);
      } else if (section.equals("labels")) {
        String[] parts = line.split("\\|", -1);
        if (parts[0].strip().equals("action")) {
          String due = parts.length > 3 ? parts[3].strip() : "";
          actions.add(new Labelled(parts[1].strip(), parts[2].strip(), due.isEmpty() ? null : LocalDate.parse(due)));
        } else {
          decisions.add(parts[1].strip());
        }
      } else {
        int colon = line.indexOf(':');
        Instant at = day.atTime(10, 0).toInstant(ZoneOffset.UTC).plusSeconds(30L * n++);
        utterances.add(new Utterance(line.substring(0, colon).strip(), line.substring(colon + 1).strip(), at,
          section.equals("chat") ? "chat" : "transcript"));
      }
    }
    return new Meeting(file.getFileName().toString(), new MeetingText(title, day, participants, utterances, "en"), actions, decisions);
  }

}
