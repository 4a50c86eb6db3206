package ai.summary;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What a meeting's recap is made from: its title, the day it was held (for "by Friday"), who took
 * part (display names: the possible owners of action items), and what was said and written, in
 * order.
 *
 * @param lang the language the meeting was held in (two letters)
 */
public record MeetingText(String title, LocalDate day, List<String> participants, List<Utterance> utterances, String lang) {

  /** One final caption ({@code transcript}) or chat message ({@code chat}). */
  public record Utterance(String speaker, String text, Instant at, String source) {
  }

  public MeetingText {
    participants = List.copyOf(participants);
    utterances = List.copyOf(utterances);
    if (day == null) {
      day = utterances.isEmpty() ? LocalDate.now(ZoneOffset.UTC) : utterances.get(0).at().atZone(ZoneOffset.UTC).toLocalDate();
    }
  }

  public boolean isEmpty() {
    return utterances.stream().allMatch(u -> u.text() == null || u.text().isBlank());
  }

  /** Characters of text, what the offline provider meters. */
  public long characters() {
    return utterances.stream().mapToLong(u -> u.text() == null ? 0 : u.text().length()).sum();
  }
}
