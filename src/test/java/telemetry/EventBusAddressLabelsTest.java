package telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("Event-bus address labels: per-meeting and per-socket addresses folded into their pattern, others kept")
class EventBusAddressLabelsTest {

  static final String ID = UUID.randomUUID().toString();

  @Test
  @DisplayName("every per-meeting form, the bridge's fan-out addresses; service addresses, near misses and other meters unchanged")
  void folds() {
    assertEquals("meeting.{id}", EventBusAddressLabels.alias("meeting." + ID));
    assertEquals("meeting.{id}.chat", EventBusAddressLabels.alias("meeting." + ID + ".chat"));
    assertEquals("meeting.{id}.captions", EventBusAddressLabels.alias("meeting." + ID + ".captions"));
    assertEquals("meeting.{id}.media", EventBusAddressLabels.alias("meeting." + ID + ".media"));
    assertEquals("meeting.{id}.signal.{participant}", EventBusAddressLabels.alias("meeting." + ID + ".signal.u-1"));
    assertEquals("meeting.{id}.lobby.{participant}", EventBusAddressLabels.alias("meeting." + ID + ".lobby.u-1"));
    assertEquals("parley.fanout.{address}", EventBusAddressLabels.alias("parley.fanout.meeting." + ID + ".chat.7"));
    assertNull(EventBusAddressLabels.alias("chat.send"));
    assertNull(EventBusAddressLabels.alias("parley.meeting.join"));
    assertNull(EventBusAddressLabels.alias("meeting.not-a-meeting-id"));
    assertNull(EventBusAddressLabels.alias("meeting." + ID.toUpperCase(java.util.Locale.ROOT) + ".chat"), "the regex it replaces was lower case");
    assertNull(EventBusAddressLabels.alias("meeting." + ID + ".signal."), "a participant is needed");
    assertNull(EventBusAddressLabels.alias("meeting." + ID + ".other"));
    assertNull(EventBusAddressLabels.alias("parley.fanout."));
  }

  @Test
  @DisplayName("in a registry: two meetings' counters are one meter labelled meeting.{id}.chat; a non-event-bus meter keeps its label")
  void inARegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.config().meterFilter(new EventBusAddressLabels());
    Counter.builder("vertx.eventbus.published").tag("address", "meeting." + ID + ".chat").register(registry).increment();
    Counter.builder("vertx.eventbus.published").tag("address", "meeting." + UUID.randomUUID() + ".chat").register(registry).increment();
    Counter.builder("parley.other").tag("address", "meeting." + ID).register(registry).increment();
    assertEquals(2.0, registry.get("vertx.eventbus.published").tag("address", "meeting.{id}.chat").counter().count());
    assertEquals(1, registry.find("vertx.eventbus.published").counters().size());
    assertEquals(1.0, registry.get("parley.other").tag("address", "meeting." + ID).counter().count());
  }
}
