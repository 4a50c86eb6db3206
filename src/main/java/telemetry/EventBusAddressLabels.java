package telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.micrometer.MetricsDomain;

/**
 * Folds per-meeting and per-socket event-bus addresses into their pattern in Vert.x's event-bus
 * meters' {@code address} label, so that no label carries a meeting id: {@code meeting.<id>} is
 * {@code meeting.{id}}; {@code meeting.<id>.chat}, {@code .captions}, {@code .media} keep their
 * suffix; {@code meeting.<id>.signal.<participant>} and {@code .lobby.<participant>} become
 * {@code meeting.{id}.signal.{participant}} and {@code meeting.{id}.lobby.{participant}}; the
 * bridge's per-socket {@code parley.fanout.<address>} is {@code parley.fanout.{address}}.
 *
 * <p>One filter with a few character comparisons instead of Vert.x's label matches (a regular
 * expression each, all tried on every event-bus message): Micrometer caches a meter by the id it
 * was first created with, so every other meeting's address is mapped again on each message.
 */
public final class EventBusAddressLabels implements MeterFilter {

  private static final String PREFIX = MetricsDomain.EVENT_BUS.getPrefix();
  private static final int UUID_LENGTH = 36;
  private static final String MEETING = "meeting.";
  private static final String FANOUT = "parley.fanout.";

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(PREFIX)) {
      return id;
    }
    String address = id.getTag("address");
    if (address == null) {
      return id;
    }
    String alias = alias(address);
    return alias == null ? id : id.withTag(Tag.of("address", alias));
  }

  /** The address's pattern, or null to keep it as it is. */
  static String alias(String address) {
    if (address.startsWith(FANOUT) && address.length() > FANOUT.length()) {
      return "parley.fanout.{address}";
    }
    if (!address.startsWith(MEETING) || address.length() < MEETING.length() + UUID_LENGTH
      || !isUuidChars(address, MEETING.length())) {
      return null;
    }
    String rest = address.substring(MEETING.length() + UUID_LENGTH);
    return switch (rest) {
      case "" -> "meeting.{id}";
      case ".chat", ".captions", ".media" -> "meeting.{id}" + rest;
      default -> {
        if (rest.startsWith(".signal.") && rest.length() > ".signal.".length()) {
          yield "meeting.{id}.signal.{participant}";
        }
        if (rest.startsWith(".lobby.") && rest.length() > ".lobby.".length()) {
          yield "meeting.{id}.lobby.{participant}";
        }
        yield null;
      }
    };
  }

  /** {@code [0-9a-f-]{36}} from {@code from}. */
  private static boolean isUuidChars(String s, int from) {
    for (int i = from; i < from + UUID_LENGTH; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
