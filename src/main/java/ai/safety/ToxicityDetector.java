package ai.safety;

import ai.safety.SafetyReport.ToxicCategory;
import ai.safety.SafetyReport.ToxicFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Toxic language by category, from curated phrases rather than single words, so that the
 * vocabulary of ordinary work ("kill the stuck process", "this bug is killing me", "shoot for
 * Friday", "abort the job") and place names with unlucky substrings (Scunthorpe, Essex, Penistone)
 * are not flagged. Matching runs on a normalised copy of the text (lower case, common leetspeak
 * undone, letters repeated three times or more collapsed) and maps spans back to the original.
 * Severities follow Azure's 0/2/4/6 scale.
 */
final class ToxicityDetector {

  private record Rule(ToxicCategory category, int severity, Pattern pattern) {
  }

  private static final String PEOPLE = "(?:you|u|ya|him|her|them|everyone|everybody|all of you|your family)";
  private static final String GROUPS = "(?:immigrants|migrants|refugees|foreigners|muslims|jews|christians|hindus|blacks|whites|asians|"
    + "mexicans|arabs|gays|lesbians|trans people|women|men|disabled people)";
  private static final String INSULT_NOUNS = "(?:idiot|moron|imbecile|loser|dumbass|jerk|clown|cretin|halfwit|dimwit|"
    + "asshole|bastard|prick|dick|twat|wanker|scumbag|piece of shit|waste of space)";

  private static final List<Rule> RULES = List.of(
    // threats of violence
    rule(ToxicCategory.VIOLENCE, 6, "\\b(?:i(?:'m| am)? ?(?:gonna|going to|will)|i'll|we(?:'re| are)? ?(?:gonna|going to|will)|we'll)"
      + " (?:\\w+ )?(?:kill|murder|stab|shoot|strangle|hurt|beat|punch|slap|smash) " + PEOPLE + "\\b"),
    rule(ToxicCategory.VIOLENCE, 6, "\\b" + PEOPLE + " (?:should|deserve to|will|are going to|gonna|better) (?:\\w+ )?die\\b"),
    rule(ToxicCategory.VIOLENCE, 4, "\\bgo die\\b"),
    rule(ToxicCategory.VIOLENCE, 4, "\\b(?:i know|i'll find out|we know) where you live\\b"),
    rule(ToxicCategory.VIOLENCE, 6, "\\b(?:bomb|blow up|shoot up|burn down) (?:the|this|your) (?:office|building|school|meeting|house)\\b"),
    rule(ToxicCategory.VIOLENCE, 4, "\\b(?:beat|kick) (?:the (?:shit|crap) out of|your ass)\\b"),
    // self-harm
    rule(ToxicCategory.SELF_HARM, 6, "\\bi(?: am|'m)? (?:want|wanna|going|gonna|plan|intend|about)(?: to)? (?:kill|hurt|harm|cut) myself\\b"),
    rule(ToxicCategory.SELF_HARM, 6, "\\b(?:end|take) my (?:own )?life\\b"),
    rule(ToxicCategory.SELF_HARM, 6, "\\b(?:kill|hang) yourself\\b|\\bkys\\b"),
    rule(ToxicCategory.SELF_HARM, 4, "\\b(?:suicidal|commit suicide|better off dead|don't want to (?:live|be alive) anymore)\\b"),
    rule(ToxicCategory.SELF_HARM, 4, "\\bi (?:cut|hurt|harm) myself\\b"),
    // insults and profanity aimed at someone
    rule(ToxicCategory.INSULT, 4, "\\b(?:you(?:'re|re| are| r)?|ur|what an?|such an?) (?:an? )?(?:\\w+ )?(?:stupid |f[u*]+c?king |complete |total |absolute |utter |useless )?" + INSULT_NOUNS + "s?\\b"),
    rule(ToxicCategory.INSULT, 4, "\\b(?:fuck|screw) (?:you|u|off|yourself)\\b|\\bstfu\\b|\\bgo to hell\\b"),
    rule(ToxicCategory.INSULT, 2, "\\bshut (?:up|your mouth)\\b"),
    rule(ToxicCategory.INSULT, 4, "\\b(?:cunt|motherfucker|bitch|asshole|dumbass|shithead|dipshit)s?\\b"),
    rule(ToxicCategory.INSULT, 2, "\\b(?:idiots?|morons?|imbeciles?|stupid)\\b(?! (?:mistake|bug|question|error|typo|idea))"),
    // sexual
    rule(ToxicCategory.SEXUAL, 6, "\\bsend (?:me )?(?:your )?(?:nudes|naked (?:pics|pictures|photos))\\b"),
    rule(ToxicCategory.SEXUAL, 4, "\\b(?:porn|porno|pornography|nudes|blowjob|handjob|sex tape|dick pic|jerk off|masturbat\\w*)\\b"),
    rule(ToxicCategory.SEXUAL, 4, "\\b(?:have sex|sleep|hook up) with me\\b|\\b(?:show|flash) (?:me )?your (?:tits|boobs|breasts|body)\\b"),
    rule(ToxicCategory.SEXUAL, 4, "\\b(?:tits|boobs|pussy|cock|horny|fuck me)\\b"),
    // hate: dehumanising or exclusionary statements about groups
    rule(ToxicCategory.HATE, 6, "\\b(?:all|those|these|the|most) " + GROUPS + " (?:are|should be|must be) (?:\\w+ ){0,3}"
      + "(?:animals|vermin|parasites|subhuman|trash|scum|cockroaches|rats|savages|a disease|exterminated|eliminated|wiped out|gassed)\\b"),
    rule(ToxicCategory.HATE, 4, "\\b(?:i|we) (?:hate|despise) (?:all |the )?" + GROUPS + "\\b"),
    rule(ToxicCategory.HATE, 4, "\\bgo back to (?:your|where you came from|your own) ?(?:own )?(?:country)?\\b"),
    rule(ToxicCategory.HATE, 4, "\\b" + GROUPS + " (?:don't|do not|shouldn't) belong (?:here|in this country)\\b"));

  private static Rule rule(ToxicCategory category, int severity, String regex) {
    return new Rule(category, severity, Pattern.compile(regex));
  }

  List<ToxicFinding> find(String text) {
    Normalised n = Normalised.of(text);
    List<ToxicFinding> out = new ArrayList<>();
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(n.text);
      while (m.find()) {
        out.add(new ToxicFinding(rule.category(), rule.severity(), n.original(m.start()), n.originalEnd(m.end())));
      }
    }
    return out;
  }

  /** Lower case, leetspeak undone, long letter runs collapsed; remembers where each char came from. */
  private record Normalised(String text, int[] origin, int originalLength) {

    static Normalised of(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      int[] origin = new int[s.length() + 1];
      char previous = 0;
      int run = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = Character.toLowerCase(s.charAt(i));
        c = switch (c) {
          case '0' -> isLetterAround(s, i) ? 'o' : c;
          case '1', '!' -> isLetterAround(s, i) ? 'i' : c;
          case '3' -> isLetterAround(s, i) ? 'e' : c;
          case '4', '@' -> isLetterAround(s, i) ? 'a' : c;
          case '5', '$' -> isLetterAround(s, i) ? 's' : c;
          case '7' -> isLetterAround(s, i) ? 't' : c;
          case '\u2019' -> '\'';
          default -> c;
        };
        run = c == previous ? run + 1 : 1;
        previous = c;
        if (run >= 3 && Character.isLetter(c)) {
          continue;
        }
        origin[sb.length()] = i;
        sb.append(c);
      }
      origin[sb.length()] = s.length();
      return new Normalised(sb.toString(), origin, s.length());
    }

    private static boolean isLetterAround(String s, int i) {
      return (i > 0 && Character.isLetter(s.charAt(i - 1))) || (i + 1 < s.length() && Character.isLetter(s.charAt(i + 1)));
    }

    int original(int normalisedIndex) {
      return origin[normalisedIndex];
    }

    int originalEnd(int normalisedEnd) {
      return normalisedEnd == 0 ? 0 : origin[normalisedEnd - 1] + 1;
    }
  }
}
