package handlers;

import ai.AiPricing;
import common.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Poll;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("AiUsage: free safety checks are sent as one message per kind and batch, priced calls at once, none lost")
class AiUsageTest {

  Vertx vertx;
  final List<JsonObject> sent = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.AI_USAGE, m -> sent.add(m.body()));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  static long calls(List<JsonObject> messages) {
    return messages.stream().mapToLong(m -> m.getInteger("calls", 1)).sum();
  }

  @Test
  @DisplayName("two threads record 20,000 free checks of two tenants: a few messages whose calls and units add up exactly")
  void gathersFreeChecks() throws Exception {
    AiUsage usage = new AiUsage(vertx, new AiPricing(new JsonObject()), 200);
    UUID meeting = UUID.randomUUID();
    CountDownLatch done = new CountDownLatch(2);
    for (String tenant : new String[] {"t1", "t2"}) {
      new Thread(() -> {
        for (int i = 0; i < 10_000; i++) {
          usage.record(tenant, i % 2 == 0 ? null : meeting, "safety", "builtin", 1, "checks");
        }
        done.countDown();
      }).start();
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    Poll.until(Duration.ofSeconds(10), () -> calls(sent) == 20_000, "every check is sent: " + sent.size() + " messages");
    Thread.sleep(500); // and nothing more comes
    assertEquals(20_000, calls(sent));
    assertEquals(20_000.0, sent.stream().mapToDouble(m -> m.getDouble("units")).sum());
    assertTrue(sent.size() < 200, "far fewer messages than checks: " + sent.size());
    for (String tenant : new String[] {"t1", "t2"}) {
      List<JsonObject> mine = sent.stream().filter(m -> tenant.equals(m.getString("tenant"))).toList();
      assertEquals(10_000, calls(mine), tenant);
      assertEquals(5_000, calls(mine.stream().filter(m -> meeting.toString().equals(m.getString("meetingId"))).toList()),
        "the meeting's checks are kept apart: " + tenant);
    }
    assertTrue(sent.stream().allMatch(m -> "safety".equals(m.getString("service")) && "builtin".equals(m.getString("provider"))
      && "checks".equals(m.getString("unit"))), sent.toString());
  }

  @Test
  @DisplayName("a priced safety provider, translation, and no batch time: each call is sent at once, alone")
  void sendsPricedCallsAtOnce() {
    AiUsage usage = new AiUsage(vertx, new AiPricing(new JsonObject().put("safety", new JsonObject().put("azure", 1.0))), 60_000);
    usage.record("t", null, "safety", "azure", 1, "checks");
    usage.record("t", null, "translation", "apertium", 42, "characters");
    Poll.until(Duration.ofSeconds(5), () -> sent.size() == 2, "both sent without waiting for the minute");
    assertFalse(sent.get(0).containsKey("calls"), "a single call: " + sent.get(0));
    AiUsage unbatched = new AiUsage(vertx, new AiPricing(new JsonObject()), 0);
    unbatched.record("t", null, "safety", "builtin", 1, "checks");
    Poll.until(Duration.ofSeconds(5), () -> sent.size() == 3, "with no batch time a free check is sent at once");
  }

  @Test
  @DisplayName("flush sends what a long batch gathered, at once")
  void flushes() throws InterruptedException {
    AiUsage usage = new AiUsage(vertx, new AiPricing(new JsonObject()), 60_000);
    for (int i = 0; i < 7; i++) {
      usage.record("t", null, "safety", "builtin", 1, "checks");
    }
    Thread.sleep(300);
    assertTrue(sent.isEmpty(), "gathered for the minute: " + sent);
    usage.flush();
    Poll.until(Duration.ofSeconds(5), () -> calls(sent) == 7, "flushed: " + sent);
    assertEquals(1, sent.size(), "as one message");
    assertEquals(7, sent.get(0).getInteger("calls"));
  }
}
