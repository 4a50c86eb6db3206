package ai.safety;

import common.ParleyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A tenant's moderation policy")
class ModerationPolicyTest {

  private final BuiltInContentSafety safety = new BuiltInContentSafety();

  private ModerationDecision decide(ModerationPolicy policy, String text) {
    return policy.decide(text, safety.analyzeNow(text));
  }

  private static ParleyException rejected(String json) {
    return assertThrows(ParleyException.class, () -> ModerationPolicy.parse(new JsonObject(json)));
  }

  @Test
  @DisplayName("defaults redact PII and set thresholds for every category")
  void defaults() {
    ModerationPolicy policy = ModerationPolicy.defaults();
    assertEquals(ModerationPolicy.PiiAction.REDACT, policy.pii());
    // the defaults the README documents, one per category; a category added without defaults fails here
    Map<ToxicCategory, ModerationPolicy.Thresholds> documented = Map.of(
      ToxicCategory.HATE, new ModerationPolicy.Thresholds(2, 4),
      ToxicCategory.VIOLENCE, new ModerationPolicy.Thresholds(4, 6),
      ToxicCategory.SELF_HARM, new ModerationPolicy.Thresholds(4, 6),
      ToxicCategory.SEXUAL, new ModerationPolicy.Thresholds(2, 4),
      ToxicCategory.INSULT, new ModerationPolicy.Thresholds(2, 6));
    assertEquals(EnumSet.allOf(ToxicCategory.class), EnumSet.copyOf(documented.keySet()), "every category is listed here");
    for (ToxicCategory category : ToxicCategory.values()) {
      assertEquals(documented.get(category), policy.thresholds(category), category.policyKey());
    }
    assertEquals(policy, ModerationPolicy.parse(null));
    assertEquals(policy, ModerationPolicy.parse(new JsonObject()));
    assertEquals(policy, ModerationPolicy.parse(new JsonObject("{\"pii\":\"redact\",\"categories\":{}}")),
      "the server's tenantDefaults shape is the default policy");
  }

  @Test
  @DisplayName("parses a policy: missing categories take defaults, absent or null thresholds mean never, and it normalises back to JSON")
  void parsesAndNormalises() {
    ModerationPolicy policy = ModerationPolicy.parse(new JsonObject(
      "{\"pii\":\"block\",\"categories\":{\"insult\":{\"redactAt\":4},\"selfHarm\":{\"redactAt\":null,\"blockAt\":null},"
        + "\"sexual\":{\"redactAt\":0,\"blockAt\":\"never\"}}}"));
    assertEquals(ModerationPolicy.PiiAction.BLOCK, policy.pii());
    assertEquals(new ModerationPolicy.Thresholds(4, ModerationPolicy.NEVER), policy.thresholds(ToxicCategory.INSULT));
    assertEquals(new ModerationPolicy.Thresholds(ModerationPolicy.NEVER, ModerationPolicy.NEVER), policy.thresholds(ToxicCategory.SELF_HARM));
    assertEquals(new ModerationPolicy.Thresholds(0, ModerationPolicy.NEVER), policy.thresholds(ToxicCategory.SEXUAL));
    assertEquals(new ModerationPolicy.Thresholds(2, 4), policy.thresholds(ToxicCategory.HATE), "a missing category takes its defaults");
    JsonObject json = policy.toJson();
    assertEquals("block", json.getString("pii"));
    JsonObject selfHarm = json.getJsonObject("categories").getJsonObject("selfHarm");
    assertTrue(selfHarm.containsKey("redactAt") && selfHarm.containsKey("blockAt"), "never is written as an explicit null");
    assertNull(selfHarm.getValue("redactAt"));
    assertNull(selfHarm.getValue("blockAt"));
    assertEquals(new JsonObject().put("redactAt", 4).putNull("blockAt"), json.getJsonObject("categories").getJsonObject("insult"));
    assertEquals(5, json.getJsonObject("categories").size());
    assertEquals(policy, ModerationPolicy.parse(json), "toJson parses back to the same policy");
  }

  @Test
  @DisplayName("normalise validates a tenant's moderation object and fills in every field")
  void normalise() {
    JsonObject normalised = ModerationPolicy.normalise(new JsonObject("{\"pii\":\"allow\"}"));
    assertEquals("allow", normalised.getString("pii"));
    assertEquals(new JsonObject().put("redactAt", 2).put("blockAt", 4), normalised.getJsonObject("categories").getJsonObject("hate"));
    assertThrows(ParleyException.class, () -> ModerationPolicy.normalise(new JsonObject("{\"pii\":\"no\"}")));
  }

  @Test
  @DisplayName("rejects invalid shapes with a 400 that names the field")
  void rejectsInvalidShapes() {
    assertTrue(rejected("{\"pii\":\"maybe\"}").getMessage().contains("moderation.pii"));
    assertTrue(rejected("{\"pii\":true}").getMessage().contains("moderation.pii"));
    assertTrue(rejected("{\"categories\":[]}").getMessage().contains("moderation.categories"));
    assertTrue(rejected("{\"categories\":{\"spam\":{}}}").getMessage().contains("'spam'"));
    assertTrue(rejected("{\"categories\":{\"hate\":4}}").getMessage().contains("moderation.categories.hate"));
    assertTrue(rejected("{\"categories\":{\"hate\":{\"redactAt\":3}}}").getMessage().contains("moderation.categories.hate.redactAt"));
    assertTrue(rejected("{\"categories\":{\"hate\":{\"blockAt\":5}}}").getMessage()
      .startsWith("moderation.categories.hate.blockAt must be 0, 2, 4 or 6"));
    assertTrue(rejected("{\"categories\":{\"hate\":{\"blockAt\":\"6\"}}}").getMessage().contains("blockAt"));
    assertTrue(rejected("{\"categories\":{\"hate\":{\"redactAt\":6,\"blockAt\":4}}}").getMessage().contains("must not be above"));
    assertTrue(rejected("{\"categories\":{\"hate\":{\"warnAt\":2}}}").getMessage().contains("'warnAt'"));
    assertTrue(rejected("{\"pii\":\"redact\",\"profanity\":true}").getMessage().contains("'profanity'"));
    ParleyException e = rejected("{\"pii\":1}");
    assertEquals(400, e.status());
    assertEquals("bad_request", e.code());
  }

  @Test
  @DisplayName("allows a clean text unchanged, with no categories")
  void allowsClean() {
    ModerationDecision d = decide(ModerationPolicy.defaults(), "Let's kill the stuck process and ship on Friday.");
    assertEquals(ModerationDecision.Action.ALLOW, d.action());
    assertEquals("Let's kill the stuck process and ship on Friday.", d.text());
    assertEquals(new JsonObject().put("action", "allow").put("text", d.text()).put("categories", new JsonArray()), d.toJson());
    assertEquals(new JsonObject().put("action", "allow").put("categories", new JsonArray()), d.summaryJson());
  }

  @Test
  @DisplayName("redacts personal data with a placeholder per type")
  void redactsPii() {
    ModerationDecision d = decide(ModerationPolicy.defaults(),
      "Mail jane@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1120, host 10.0.0.5");
    assertEquals(ModerationDecision.Action.REDACT, d.action());
    assertEquals("Mail [EMAIL] or call [PHONE]; card [CARD], IBAN [IBAN], SSN [SSN], host [IP]", d.text());
    assertEquals(List.of("pii.email", "pii.phone", "pii.card", "pii.ssn", "pii.iban", "pii.ip"), d.categories());
    assertEquals(new JsonObject().put("action", "redact").put("text", d.text()).put("categories", new JsonArray(d.categories())), d.toJson());
    assertNull(d.reason());
  }

  @Test
  @DisplayName("masks a toxic span below the block threshold with asterisks of the same length")
  void redactsToxicSpan() {
    String text = "Honestly, you are an idiot. See you tomorrow.";
    ModerationDecision d = decide(ModerationPolicy.defaults(), text);
    assertEquals(ModerationDecision.Action.REDACT, d.action());
    assertEquals("Honestly, *** *** ** *****. See you tomorrow.", d.text());
    assertEquals(text.length(), d.text().length());
    assertEquals(List.of("insult"), d.categories());
  }

  @Test
  @DisplayName("blocks at the block threshold, with a reason, and masks what it found in the decision's text")
  void blocks() {
    ModerationDecision d = decide(ModerationPolicy.defaults(), "I will kill you, call me at jane@example.com");
    assertEquals(ModerationDecision.Action.BLOCK, d.action());
    assertTrue(d.blocked());
    assertEquals(List.of("pii.email", "violence"), d.categories());
    assertEquals("contains violent language (high severity)", d.reason());
    assertEquals("* **** **** ***, call me at [EMAIL]", d.text());
    JsonObject json = d.toJson();
    assertEquals("block", json.getString("action"));
    assertEquals(d.reason(), json.getString("reason"));
    assertEquals(d.text(), json.getString("text"));
    assertFalse(d.summaryJson().containsKey("text"));
    assertEquals(d.reason(), d.summaryJson().getString("reason"));
  }

  @Test
  @DisplayName("pii allow leaves personal data alone, pii block blocks it")
  void piiActions() {
    String text = "my email is jane@example.com";
    ModerationDecision allowed = decide(ModerationPolicy.parse(new JsonObject().put("pii", "allow")), text);
    assertEquals(ModerationDecision.Action.ALLOW, allowed.action());
    assertEquals(text, allowed.text());
    ModerationDecision blocked = decide(ModerationPolicy.parse(new JsonObject().put("pii", "block")), text);
    assertEquals(ModerationDecision.Action.BLOCK, blocked.action());
    assertEquals("contains personal data (email)", blocked.reason());
  }

  @Test
  @DisplayName("null thresholds switch a category off, and stricter thresholds act on lower severities")
  void thresholds() {
    String insult = "you are an idiot";
    ModerationPolicy off = ModerationPolicy.parse(new JsonObject("{\"categories\":{\"insult\":{\"redactAt\":null,\"blockAt\":null}}}"));
    assertEquals(ModerationDecision.Action.ALLOW, decide(off, insult).action());
    ModerationPolicy empty = ModerationPolicy.parse(new JsonObject("{\"categories\":{\"insult\":{}}}"));
    assertEquals(ModerationDecision.Action.ALLOW, decide(empty, insult).action(), "an empty category object means never");
    ModerationPolicy zero = ModerationPolicy.parse(new JsonObject("{\"categories\":{\"insult\":{\"blockAt\":0}}}"));
    assertEquals(ModerationDecision.Action.BLOCK, decide(zero, insult).action(), "0 acts on any finding");
    assertEquals(ModerationDecision.Action.ALLOW, decide(zero, "see you tomorrow").action(), "0 does not act on clean text");
    ModerationPolicy strict = ModerationPolicy.parse(new JsonObject("{\"categories\":{\"insult\":{\"blockAt\":2}}}"));
    ModerationDecision d = decide(strict, insult);
    assertEquals(ModerationDecision.Action.BLOCK, d.action());
    assertEquals("contains insults (medium severity)", d.reason());
    ModerationPolicy blockOnly = ModerationPolicy.parse(new JsonObject("{\"categories\":{\"insult\":{\"blockAt\":6}}}"));
    assertEquals(ModerationDecision.Action.ALLOW, decide(blockOnly, insult).action());
  }

  @Test
  @DisplayName("a report with a span over the whole text (as from Azure) redacts the whole text")
  void wholeTextFinding() {
    String text = "something hateful";
    SafetyReport report = new SafetyReport(List.of(), List.of(new ToxicFinding(ToxicCategory.HATE, 2, 0, text.length())));
    ModerationDecision d = ModerationPolicy.defaults().decide(text, report);
    assertEquals(ModerationDecision.Action.REDACT, d.action());
    assertEquals("********* *******", d.text());
    assertEquals(List.of("hate"), d.categories());
  }
}
