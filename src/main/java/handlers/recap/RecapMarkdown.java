package handlers.recap;

import ai.summary.Recap;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A recap as the {@code recap.md} exported with the meeting's transcript. */
final class RecapMarkdown {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private RecapMarkdown() {
  }

  static String render(String title, Recap recap) {
    StringBuilder md = new StringBuilder("# Recap: ").append(line(title == null || title.isBlank() ? "Meeting" : title))
      .append("\n\n");
    if (recap.isEmpty()) {
      return md.append("Nothing was said or written in this meeting, so there is nothing to recap.\n").toString();
    }
    if (!recap.keyPoints().isEmpty()) {
      md.append("## Key points\n\n");
      recap.keyPoints().forEach(p -> md.append("- ").append(line(p.text())).append(who(p.speaker(), p.at())).append('\n'));
      md.append('\n');
    }
    if (!recap.decisions().isEmpty()) {
      md.append("## Decisions\n\n");
      recap.decisions().forEach(p -> md.append("- ").append(line(p.text())).append(who(p.speaker(), p.at())).append('\n'));
      md.append('\n');
    }
    if (!recap.actionItems().isEmpty()) {
      md.append("## Action items\n\n| who | what | by when |\n| --- | --- | --- |\n");
      for (Recap.ActionItem a : recap.actionItems()) {
        String due = a.dueDate() != null ? a.dueDate() + (a.due() == null ? "" : " (" + a.due() + ")") : a.due() == null ? "" : a.due();
        md.append("| ").append(cell(a.owner() == null ? "(nobody yet)" : a.owner())).append(" | ").append(cell(a.task()))
          .append(a.context() == null ? "" : " (" + cell(a.context()) + ")").append(" | ").append(cell(due)).append(" |\n");
      }
      md.append('\n');
    }
    if (!recap.keywords().isEmpty()) {
      md.append("## Keywords\n\n").append(line(String.join(", ", recap.keywords()))).append("\n\n");
    }
    return md.append("_Written by the ").append(recap.provider()).append(" summarizer._\n").toString();
  }

  private static String who(String speaker, Instant at) {
    if (speaker == null && at == null) {
      return "";
    }
    return " (" + (speaker == null ? "" : line(speaker)) + (speaker != null && at != null ? ", " : "")
      + (at == null ? "" : CLOCK.format(at) + " UTC") + ")";
  }

  /** One line of text: no line breaks from what people said, no markup at the start. */
  private static String line(String text) {
    return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").replaceAll("^[#>\\-*+|]+\\s*", "").strip();
  }

  private static String cell(String text) {
    return line(text).replace("|", "\\|");
  }
}
