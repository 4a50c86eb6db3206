package ai.summary;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a task is due, from what was said ("by Friday", "tomorrow", "on the fifteenth", "end of next
 * week"), resolved against the day of the meeting. English only. A weekday means the next such day
 * after the meeting; "next Friday" the Friday of the following calendar week; "this week" and "the
 * end of the week" its Friday; "next week" the following Friday.
 */
final class DueDates {

  /** The phrase as said and the day it means. */
  record Due(String phrase, LocalDate date, int start, int end) {
  }

  private DueDates() {
  }

  private static final String WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
  private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december)";

  private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth");

  private static final Map<String, Integer> TENS = Map.of("twenty", 20, "thirty", 30);

  private static final String ORDINAL = "((?:twenty|thirty)[ -]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    + "|twentieth|thirtieth|" + String.join("|", ORDINALS) + "|\\d{1,2}(?:st|nd|rd|th)?)";

  private static final Pattern END_OF_NEXT_WEEK = word("(?:by |before |until )?(?:the )?end of next week");
  private static final Pattern NEXT_WEEK = word("(?:by |before |until |sometime |early |later )?next week");
  private static final Pattern THIS_WEEK = word("(?:by |before |until )?(?:the )?end of (?:the|this) week|this week|before the weekend");
  private static final Pattern END_OF_MONTH = word("(?:by |before |until )?(?:the )?end of (?:the|this) month|this month");
  private static final Pattern NEXT_WEEKDAY = word("(?:by |on |before |until )?next " + WEEKDAY);
  private static final Pattern WEEKDAY_SAID = word("(?:by |on |before |until |this )?" + WEEKDAY + "(?: morning| afternoon| evening| night)?");
  private static final Pattern TOMORROW = word("(?:by |before |until )?tomorrow(?: morning| afternoon| evening)?");
  private static final Pattern TODAY = word("(?:by )?(?:today|tonight|this morning|this afternoon|this evening|right now|right away"
    + "|straight away|asap|as soon as possible|as soon as we hang up|as soon as this call ends"
    + "|right after (?:this|the) (?:call|meeting)|after (?:this|the) (?:call|meeting)|after this|after lunch|later today"
    + "|within the hour|(?:by )?(?:the )?end of (?:the )?day|eod)");
  private static final Pattern MONTH_DAY = word("(?:by |on |before |until )?" + MONTH + " (?:the )?" + ORDINAL);
  private static final Pattern DAY_MONTH = word("(?:by |on |before |until )?(?:the )?" + ORDINAL + " (?:of )?" + MONTH);
  private static final Pattern DAY_OF_MONTH = word("(?:by|on|before|until) the " + ORDINAL);
  private static final Pattern IN_N = word("in (a|one|two|three|four|five|six|\\d+) (day|days|week|weeks)");

  private static Pattern word(String regex) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + regex + ")(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);
  }

  /** The first due-date phrase in {@code text}, most specific kinds first. */
  static Optional<Due> find(String text, LocalDate day) {
    if (text == null || day == null) {
      return Optional.empty();
    }
    Matcher m;
    if ((m = END_OF_NEXT_WEEK.matcher(text)).find() || (m = NEXT_WEEK.matcher(text)).find()) {
      return due(text, m, day.with(DayOfWeek.MONDAY).plusWeeks(1).with(DayOfWeek.FRIDAY));
    }
    if ((m = NEXT_WEEKDAY.matcher(text)).find()) {
      return due(text, m, day.with(DayOfWeek.MONDAY).plusWeeks(1).with(weekday(m.group(1))));
    }
    if ((m = THIS_WEEK.matcher(text)).find()) {
      LocalDate friday = day.with(DayOfWeek.FRIDAY);
      return due(text, m, friday.isBefore(day) ? day : friday);
    }
    if ((m = END_OF_MONTH.matcher(text)).find()) {
      return due(text, m, day.with(TemporalAdjusters.lastDayOfMonth()));
    }
    if ((m = MONTH_DAY.matcher(text)).find()) {
      return date(text, m, day, month(m.group(1)), ordinal(m.group(2)));
    }
    if ((m = DAY_MONTH.matcher(text)).find()) {
      return date(text, m, day, month(m.group(2)), ordinal(m.group(1)));
    }
    if ((m = TOMORROW.matcher(text)).find()) {
      return due(text, m, day.plusDays(1));
    }
    if ((m = TODAY.matcher(text)).find()) {
      return due(text, m, day);
    }
    if ((m = WEEKDAY_SAID.matcher(text)).find()) {
      return due(text, m, day.with(TemporalAdjusters.next(weekday(m.group(1)))));
    }
    if ((m = DAY_OF_MONTH.matcher(text)).find()) {
      int dom = ordinal(m.group(1));
      if (dom < 1 || dom > 31) {
        return Optional.empty();
      }
      LocalDate candidate = day.withDayOfMonth(Math.min(dom, day.lengthOfMonth()));
      return due(text, m, candidate.isBefore(day) ? day.plusMonths(1).withDayOfMonth(Math.min(dom, day.plusMonths(1).lengthOfMonth())) : candidate);
    }
    if ((m = IN_N.matcher(text)).find()) {
      int n = number(m.group(1));
      return due(text, m, m.group(2).startsWith("week") ? day.plusWeeks(n) : day.plusDays(n));
    }
    return Optional.empty();
  }

  private static Optional<Due> due(String text, Matcher m, LocalDate date) {
    return Optional.of(new Due(text.substring(m.start(), m.end()), date, m.start(), m.end()));
  }

  private static Optional<Due> date(String text, Matcher m, LocalDate day, Month month, int dom) {
    if (dom < 1 || dom > month.length(true)) {
      return Optional.empty();
    }
    LocalDate candidate = LocalDate.of(day.getYear(), month, Math.min(dom, month.length(day.isLeapYear())));
    return due(text, m, candidate.isBefore(day) ? candidate.plusYears(1) : candidate);
  }

  private static DayOfWeek weekday(String name) {
    return DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static Month month(String name) {
    return Month.valueOf(name.toUpperCase(Locale.ROOT));
  }

  static int ordinal(String said) {
    String s = said.toLowerCase(Locale.ROOT).replace('-', ' ').trim();
    Matcher digits = Pattern.compile("(\\d{1,2})").matcher(s);
    if (digits.lookingAt()) {
      return Integer.parseInt(digits.group(1));
    }
    if (s.equals("thirtieth")) {
      return 30;
    }
    for (Map.Entry<String, Integer> tens : TENS.entrySet()) {
      if (s.startsWith(tens.getKey())) {
        String rest = s.substring(tens.getKey().length()).trim();
        return tens.getValue() + (rest.isEmpty() ? 0 : ORDINALS.indexOf(rest) + 1);
      }
    }
    return ORDINALS.indexOf(s) + 1;
  }

  private static int number(String said) {
    return switch (said.toLowerCase(Locale.ROOT)) {
      case "a", "one" -> 1;
      case "two" -> 2;
      case "three" -> 3;
      case "four" -> 4;
      case "five" -> 5;
      case "six" -> 6;
      default -> Integer.parseInt(said);
    };
  }
}
