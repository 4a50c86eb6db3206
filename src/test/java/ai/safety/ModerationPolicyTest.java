package ai.safety;

import common.ParleyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Moderation policy: tenant thresholds turn findings into allow, redact or block")
class ModerationPolicyTest {

  final BuiltInContentSafety safety = new BuiltInContentSafety();

  ModerationDecision decide(ModerationPolicy policy, String text) {
    return policy.decide(text, safety.analyzeNow(text));
  }

  @Test
  @DisplayName("by default PII is replaced by its type and the rest of the text is kept")
  void redactsPii() {
    ModerationDecision d = decide(ModerationPolicy.defaults(), "mail jane@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111");
    assertEquals("redact", d.action());
    assertEquals("mail [EMAIL] or call [PHONE], card [CARD]", d.text());
    assertEquals(List.of("pii.email", "pii.card", "pii.phone"), d.categories().stream().sorted((a, b) -> {
      List<String> order = List.of("pii.email", "pii.card", "pii.phone");
      return Integer.compare(order.indexOf(a), order.indexOf(b));
    }).toList());
  }

  @Test
  @DisplayName("a threat is blocked with a reason; a mild insult is masked; ordinary work talk passes untouched")
  void toxicity() {
    ModerationDecision threat = decide(ModerationPolicy.defaults(), "I will kill you tomorrow");
    assertEquals("block", threat.action());
    assertNotNull(threat.reason());
    assertTrue(threat.reason().contains("threat"));
    ModerationDecision insult = decide(ModerationPolicy.defaults(), "shut up please");
    assertEquals("redact", insult.action());
    assertEquals("******* please", insult.text(), "the same length as \"shut up\"");
    ModerationDecision work = decide(ModerationPolicy.defaults(), "let's kill the stuck process in Scunthorpe");
    assertEquals("allow", work.action());
    assertTrue(work.categories().isEmpty());
  }

  @Test
  @DisplayName("a tenant can block PII or allow a category; the parsed policy round-trips")
  void tenantPolicy() {
    ModerationPolicy strict = ModerationPolicy.parse(new JsonObject().put("pii", "block"));
    ModerationDecision d = decide(strict, "my SSN is 123-45-6789");
    assertEquals("block", d.action());
    assertTrue(d.reason().contains("personal data"));
    ModerationPolicy lax = ModerationPolicy.parse(new JsonObject().put("categories",
      new JsonObject().put("insult", new JsonObject().put("redactAt", null).put("blockAt", null))));
    assertEquals("allow", decide(lax, "you are an idiot").action());
    assertEquals(strict.toJson(), ModerationPolicy.parse(strict.toJson()).toJson());
  }

  @Test
  @DisplayName("bad policies are refused with a message naming the field")
  void badPolicies() {
    assertTrue(assertThrows(ParleyException.class, () -> ModerationPolicy.parse(new JsonObject().put("pii", "maybe")))
      .getMessage().contains("moderation.pii"));
    assertTrue(assertThrows(ParleyException.class, () -> ModerationPolicy.parse(new JsonObject().put("categories",
      new JsonObject().put("rudeness", new JsonObject())))).getMessage().contains("rudeness"));
    assertTrue(assertThrows(ParleyException.class, () -> ModerationPolicy.parse(new JsonObject().put("categories",
      new JsonObject().put("hate", new JsonObject().put("blockAt", 3))))).getMessage().contains("hate.blockAt"));
    assertFalse(ModerationPolicy.defaults().toJson().isEmpty());
  }
}
