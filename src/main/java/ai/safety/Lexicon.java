package ai.safety;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static ai.safety.ToxicCategory.HATE;
import static ai.safety.ToxicCategory.INSULT;
import static ai.safety.ToxicCategory.SELF_HARM;
import static ai.safety.ToxicCategory.SEXUAL;
import static ai.safety.ToxicCategory.VIOLENCE;

/**
 * The built-in toxic-language rules: word lists and phrase patterns per category, with a severity
 * on the 0/2/4/6 scale, plus "safe phrases" that cancel any finding they overlap.
 *
 * <p>Patterns are written against normalised text: lower case, apostrophes dropped ("you're" is
 * {@code youre}), leetspeak undone, elongations collapsed, one space between words and {@code |}
 * where a sentence breaks. Every pattern is wrapped in word boundaries, has only bounded
 * repetition and no nested unbounded quantifiers, so matching stays linear in the text length.
 *
 * <p>Slurs are kept ROT13-encoded so that they are not spelled out in the source; they are decoded
 * once when the class loads.
 */
final class Lexicon {

  /**
   * One rule. A {@code profanity} rule's findings are dropped where the writer masked the word with
   * stars themselves ("f***ing": already censored) and where a sexual finding covers the same words
   * ("I want to f... you" is sexual, not swearing).
   */
  record Rule(ToxicCategory category, int severity, String regex, boolean profanity, String trigger) {
    Rule(ToxicCategory category, int severity, String regex) {
      this(category, severity, regex, false, null);
    }

    Rule(ToxicCategory category, int severity, String regex, boolean profanity) {
      this(category, severity, regex, profanity, null);
    }

    /**
     * A rule that can only match where {@code trigger} (a part every match contains, such as its
     * first-person intent) is found in the text: the detector looks for the trigger once per text
     * and skips every rule it gates when it is absent, which most messages are.
     */
    static Rule gated(ToxicCategory category, int severity, String trigger, String regex) {
      return new Rule(category, severity, regex, false, trigger);
    }
  }

  private Lexicon() {}

  // --- Shared vocabulary -----------------------------------------------------------------------

  /** Protected groups (religion, ethnicity, nationality, sexual orientation, gender, disability). */
  static final String GROUP = alt(
    "jews", "jew", "jewish people", "muslims", "muslim", "moslems", "christians", "catholics", "hindus", "sikhs",
    "buddhists", "atheists", "blacks", "black people", "black folks", "black men", "black women", "whites",
    "white people", "asians", "asian people", "africans", "arabs", "mexicans", "latinos", "latinas", "hispanics",
    "chinese people", "chinese", "indians", "indian people", "pakistanis", "immigrants", "migrants", "refugees",
    "foreigners", "gays", "gay people", "gay men", "lesbians", "homosexuals", "bisexuals", "trans people",
    "transgender people", "trans women", "trans men", "queers", "women", "females", "disabled people",
    "the disabled", "roma", "gypsies", "romani", "palestinians", "israelis", "irish", "polish people",
    "asylum seekers", "illegals", "illegal immigrants", "illegal aliens", "somalis", "nigerians", "syrians", "afghans",
    "turks", "kurds", "romanians", "koreans", "filipinos", "brown people", "people of colour",
    "people of color", "non whites", "transgenders", "autistic people", "deaf people", "blind people", "jewish people",
    "aboriginals", "indigenous people", "native americans");

  private static final String GROUP_PHRASE = "(?:(?:all|those|these|the|most|fucking|filthy|dirty|damn) ){0,3}" + GROUP;

  /** People as the object of a violent verb (not "it", "them" or "the process"). */
  static final String PERSON = alt(
    "you", "u", "ya", "yall", "you all", "all of you", "every one of you", "each of you", "everyone", "everybody",
    "him", "her", "your (?:whole )?(?:family|kids|children|wife|husband|mother|mom|mum|dad|father|sister|brother|son|daughter|boss)",
    "that (?:guy|woman|man|bitch|bastard|idiot|dude)", "the (?:boss|manager|teacher|president|ceo|judge|cops|police)",
    "my (?:boss|manager|coworker|colleague|wife|husband|teacher|neighbor|neighbour|ex|family)");

  private static final String PERSON_OR_THEM = "(?:" + PERSON + "|them|those people|these people)";

  static final String THREAT_INTENT = alt(
    "ill", "i will", "i wil", "i am going to", "im going to", "im gonna", "i am gonna", "imma", "ima", "i want to",
    "i wanna", "i swear ill", "i swear i will", "i swear im going to", "i swear im gonna", "we will",
    "were going to", "were gonna", "we are going to", "i am coming to", "im coming to", "i will come and",
    "ill come and", "im going to come and", "i will find you and", "ill find you and", "i promise ill",
    "i promise i will", "i plan to", "im about to", "i am about to", "i shall", "im ganna",
    "i am ready to", "im ready to", "dont make me",
    "(?:im|i am|ill|i will|were|we are) (?:coming|come|going|go|driving|heading|on my way) (?:\\w+ ){0,3}to");

  /** Games and contests: "I'll destroy you at ping pong" is banter. */
  static final String CONTEST = alt("game", "games", "match", "matches", "final", "finals", "semi final",
    "semis", "quiz", "pub quiz", "tournament", "league", "race", "round", "rematch", "hackathon", "competition",
    "contest", "playoffs", "derby", "chess", "poker", "darts", "pool", "snooker", "golf", "tennis", "squash",
    "badminton", "bowling", "foosball", "ping pong", "table tennis", "kart", "fifa", "football", "trivia", "scrabble",
    "monopoly", "cards", "arm wrestling", "karaoke", "debate", "review", "code review", "interview", "retro",
    "standup", "meeting", "argument", "leaderboard", "sales figures", "numbers", "rankings", "ratings", "polls",
    "election", "ballot", "vote", "bid", "auction", "pitch", "presentation", "demo");

  // --- Insults ---------------------------------------------------------------------------------

  /** Insulting nouns that insult on their own, even when not aimed at "you". */
  static final List<String> STRONG_INSULTS = List.of(
    "asshole", "assholes", "arsehole", "arseholes", "dickhead", "dickheads", "motherfucker", "motherfuckers",
    "mofo", "cunt", "cunts", "twat", "twats", "wanker", "wankers", "shithead", "shitheads", "douchebag",
    "douchebags", "dumbass", "dumbasses", "jackass", "jackasses", "dipshit", "dipshits", "fuckface", "fuckwit",
    "fuckwits", "cocksucker", "cocksuckers", "scumbag", "scumbags", "retard", "retards", "retarded", "shitbag",
    "dickwad", "numbnuts", "twatwaffle");

  static final List<String> MILD_INSULTS = List.of(
    "idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "cretin", "cretins", "halfwit", "halfwits",
    "nitwit", "nitwits", "dimwit", "dimwits", "numbskull", "numbskulls", "bitch", "bitches", "bastard", "bastards",
    "buffoon", "buffoons", "simpleton", "ignoramus", "knobhead", "bellend", "tosser", "tossers", "pillock",
    "douche");

  /** Words that insult only when aimed at someone: "you loser", but "winners and losers". */
  static final List<String> DIRECTED_ONLY = List.of(
    "loser", "losers", "fool", "fools", "jerk", "jerks", "prick", "pricks", "dick", "dicks", "ass", "clown",
    "clowns", "dummy", "muppet", "muppets", "slut", "sluts", "whore", "whores", "pig", "freak", "weirdo",
    "a failure", "a disgrace", "a joke", "piece of shit", "piece of crap", "pos", "waste of space", "waste of oxygen",
    "waste of air", "waste of skin", "an embarrassment", "a nobody", "coward", "parasite", "trash", "garbage", "scum",
    "stupid", "dumb", "useless", "worthless", "pathetic", "incompetent", "ugly", "fat", "brainless", "clueless",
    "disgusting", "idiotic", "moronic", "braindead", "brain dead", "spineless", "gutless",
    // dehumanising when aimed at someone: "you are vermin", "you absolute cockroach"
    "vermin", "rat", "rats", "sewer rat", "maggot", "maggots", "cockroach", "cockroaches", "roach", "leech", "leeches",
    "animal", "beast", "subhuman", "sub human", "less than human", "not even human", "worm", "snake", "weasel",
    "louse", "lowlife", "low life", "filth", "bloodsucker", "degenerate", "rodent", "bottom feeder", "pond scum",
    "vulture", "cretinous", "twit", "git", "prat", "plonker", "numpty", "not even a person", "not even a human being");

  private static final String INSULT_INTENSIFIER = alt(
    "such", "a", "an", "so", "the", "total", "complete", "absolute", "utter", "real", "fucking", "fuckin", "freaking",
    "frickin", "bloody", "damn", "goddamn", "big", "little", "stupid", "dumb", "worthless", "useless", "pathetic",
    "fat", "ugly", "lazy", "massive", "huge", "right", "proper", "and", "just", "really", "one", "very", "most",
    "biggest", "ignorant", "incompetent", "sad", "pathetic little", "fuckin", "bunch of", "pack of", "of",
    "filthy", "dirty", "disgusting", "human", "nothing but", "nothing more than", "slimy", "miserable", "sorry",
    "vile", "nasty", "stinking", "honestly", "literally", "cowardly", "spineless", "brainless", "clueless",
    "snivelling", "sniveling", "scrawny");

  private static final String YOU = "(?:you|u|ya|youre|you are|you re|u r|ur|you r|yall|you guys are|you people are"
    + "|your(?= (?:a|an|so|such|the|total|complete|absolute|fucking) ))";

  private static final List<String> SELF_DEPRECATING = join(MILD_INSULTS, DIRECTED_ONLY, List.of("dumbass", "dumbasses"));

  // --- Sexual ----------------------------------------------------------------------------------

  static final List<String> SEXUAL_WORDS = List.of(
    "blowjob", "blowjobs", "handjob", "handjobs", "cumshot", "dildo", "dildos", "porn", "porno", "pornography",
    "pornhub", "nudes", "dickpic", "dickpics", "masturbate", "masturbating", "masturbation", "orgasm", "orgasms",
    "horny", "boner", "pussy", "titties", "tits", "boobs", "cock", "cocks", "clit", "jizz", "cum", "slut", "sluts",
    "whore", "whores", "hentai", "deepthroat", "gangbang", "milf", "sexting", "cunnilingus", "fellatio", "bdsm",
    "threesome", "sext", "sexts", "sexted");

  // --- Hate ------------------------------------------------------------------------------------

  /** ROT13 of the slurs; see the class comment. */
  private static final List<String> SLURS_ROT13 = List.of(
    "avttre", "avttref", "avttn", "avttnf", "snttbg", "snttbgf", "xvxr", "xvxrf", "fcvp", "fcvpf", "puvax", "puvaxf",
    "jrgonpx", "jrgonpxf", "genaal", "gennavrf", "enturnq", "enturnqf", "gbjryurnq", "gbjryurnqf", "tbbx", "tbbxf",
    "ornare", "ornaref", "cnxv", "cnxvf", "fnaqavttre", "mvccreurnq", "xnssve", "furznyr");

  static final List<String> SLURS = SLURS_ROT13.stream().map(Lexicon::rot13)
    .filter(s -> s.chars().allMatch(c -> c >= 'a' && c <= 'z')).toList();

  private static final String DEHUMANISING = alt(
    "animals", "vermin", "subhuman", "sub human", "subhumans", "rats", "cockroaches", "roaches", "parasites", "filth",
    "scum", "a disease", "a plague", "a virus", "inferior", "savages", "less than human",
    // "not people", unless a clause follows: "immigrants are not people to be used as pawns"
    "not (?:human|people)(?! (?:to|who|you|we|that|of|like|for|than|just|only|numbers|robots|machines|data)(?![\\p{L}\\p{N}]))",
    "monkeys", "apes", "pigs", "dogs", "a cancer", "an infestation", "garbage", "trash", "evil", "all terrorists",
    "terrorists", "criminals", "rapists", "disgusting", "an abomination", "abominations", "degenerates", "freaks",
    "mentally ill", "sick in the head", "a mistake", "worthless", "stupid", "dirty", "filthy", "lazy thieves",
    "thieves", "barbarians", "primitive", "invaders", "an invasion", "diseased", "unclean", "pedophiles", "groomers",
    "bugs", "insects", "locusts", "leeches", "bloodsuckers", "livestock", "cattle", "beasts", "rodents", "maggots",
    "worms", "lice", "a pestilence", "pestilence", "a swarm", "hordes", "a horde", "defective", "barely human",
    "hardly human", "not fully human", "not even human", "not human beings", "not real people",
    "(?:a |an )?(?:subhuman|inferior|lesser|filthy|dirty|savage|primitive|parasitic|mongrel|degenerate) (?:race|species|breed|kind)",
    "a waste of (?:space|resources|oxygen|air|skin|money)", "a burden on (?:society|the state|everyone|us)",
    "useless eaters", "a drain on (?:society|resources|the system|everyone)",
    "(?:just |mere )?(?:property|objects|possessions)(?=$| \\|| not| and| to| that| who| for| of (?:men|their))");

  /** Pejorative words that may stand between the copula and the dehumanising noun: "are dirty rats", "are human garbage". */
  static final String DEHUMANISING_ADJECTIVE = alt(
    "dirty", "filthy", "disgusting", "sick", "savage", "swarming", "human", "degenerate", "stinking", "stupid",
    "diseased", "greedy", "mangy", "rabid", "useless", "worthless", "little", "vile", "nasty", "verminous",
    "parasitic", "scheming", "lying", "thieving", "breeding", "crawling", "pathetic", "fucking", "goddamn", "bloody",
    "wild", "feral", "dumb", "brainless", "primitive", "inbred", "backward", "uncivilised", "uncivilized",
    "perverted", "soulless", "sand", "sewer", "gutter", "street", "godless", "evil", "infected");

  private static final String ELIMINATION = alt(
    "die", "burn", "rot", "gassed", "gas", "exterminated", "wiped out", "killed", "shot", "hanged", "hung", "lynched",
    "deported", "sterilized", "sterilised", "eradicated", "put down", "kicked out", "thrown out", "locked up",
    "banned", "removed", "purged", "exiled", "get out", "go back", "disappear", "not exist", "not be allowed");

  /** Words people write with masking stars ("f*ck", "a**hole"); a starred word is read as the first of these it fits. */
  static final List<String> MASKABLE = join(STRONG_INSULTS, MILD_INSULTS, SEXUAL_WORDS, SLURS, List.of(
    "fuck", "fucks", "fucking", "fuckin", "fucked", "fucker", "fuckers", "shit", "shits", "shitty", "bullshit", "damn",
    "goddamn", "hell", "crap", "dick", "dicks", "piss", "pissed", "ass", "arse", "kill", "rape", "raped", "suck", "sucks",
    "stupid", "dumb", "loser", "jerk", "prick", "stfu", "gtfo", "kys"));

  // --- Rules -----------------------------------------------------------------------------------


  /**
   * Phrases that look toxic word by word but are ordinary speech (idioms, places, names, products);
   * any finding that overlaps one is dropped.
   */
  static final String SAFE_PHRASES = alt(
    "(?:wont|will not|doesnt|does not|didnt|did not|wouldnt|would not|cant|can not|cannot|never|not|dont|do not|isnt going to|is not going to|aint gonna) (?:\\w+ ){0,2}(?:hurt|kill|harm|shoot|stab|punch) (?:you|yourself|u|ya|him|her|anyone|anybody|myself|me)",
    "(?:shoot|shot|shooting|hit|hitting) (?:you|him|her|them|me|us|everyone) (?:up|a|an|the|over|back|with|some|my|our|this|that|quick|later)",
    "beat (?:you|him|her|them|me|us|everyone) (?:to|at|in|by|on)",
    "(?:killing|killed|kill) it", "killer (?:feature|app|demo|deal|idea)", "drop dead (?:gorgeous|simple|easy|beautiful|date|deadline)",
    "fat (?:finger|fingers|fingered|fingering)", "dumb (?:it|this|that|things|them) down", "dumbed down",
    "(?:summa|magna|magna|maxima) cum laude", "cum laude", "chink in (?:the|his|her|their|our|my|your|its) armou?r",
    "spi(?:c|ck) and span", "blue tits?", "great tits?", "coal tits?", "tit for tat", "pussy ?willows?", "pussycats?",
    "pussy cats?", "puss in boots", "cock ups?", "cocked up", "cock a doodle doo", "moby dick", "dick (?:smith|van dyke|cheney|tracy|grayson|whittington|francis)",
    "idiot (?:proof|light|lights)", "homo sapiens", "bitch (?:and|about) (?:moan|complain)", "rooster", "woodcock", "peacock",
    "kill (?:switch|chain|screen|ring|count|command|signal)", "assassins creed", "jerk chicken", "knee jerk", "jerk (?:reaction|off the line)",
    "(?:april|aprils) fools?", "fool (?:proof|me once)", "(?:was|is|it is|its|it was) killing (?:me|us)",
    "(?:youre|you are|you re|ur) (?:so |really )?(?:dead (?:right|on|serious|center)|killing it)",
    "(?:is|are|was|were) (?:a )?dead (?:end|lock|line)", "xxx ?xxx", "xxx (?:placeholder|todo)", "todo xxx",
    "suicide (?:squad|door|doors|mission|run|burpees|sprints)", "shoot for", "not (?:a )?(?:stupid|dumb) question",
    "no (?:stupid|dumb) questions",
    "(?:could|would|might|gonna|going to|about to|almost|nearly) (?:just |literally |actually )?die(?: (?:of|from|laughing|happy))?",
    "die (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe|happiness|curiosity)",
    // Self-deprecation is not an insult: "I'm such an idiot", "I feel like a moron", "call me a fool, but".
    "(?:im|i am|i was|i m|i feel like|i felt like|i look like|i looked like|i sound like|i must be|i was being|i am being|im being|call me)"
      + " (?:(?:such|so|a|an|a total|a complete|an absolute|a bit of|being|the biggest|the) ){0,3}" + alt(SELF_DEPRECATING),
    "break (?:your|his|her|my|their|our) hearts?", "(?:broke|breaks|breaking) (?:your|his|her|my|their|our) hearts?",
    // Contests are banter: "we'll slaughter them at the pub quiz", "I'll destroy you at ping pong".
    alt("destroy", "crush", "wreck", "slaughter", "murder", "kill", "annihilate", "smash", "beat", "demolish", "thrash",
      "hammer", "batter", "whip", "obliterate", "massacre", "own", "flatten", "bury", "cream", "trounce", "thrash")
      + " " + alt("you", "him", "her", "them", "us", "everyone", "you all", "yall", "everybody") + " " + alt("at", "in")
      + " (?:the |a |an |our |this |that |tonights |every |next |todays )?(?:\\w+ ){0,2}?" + CONTEST,
    "what (?:a|an) (?:\\w+ ){0,2}?" + alt(SELF_DEPRECATING) + " (?:i am|im|i was|i have been|ive been)", "(?:freak|freaked|freaking|pig|pigging|pigged) out", "creep (?:me|us|people|everyone) out", "you (?:are|re|r) (?:the|a) (?:joke|clown) (?:of|master)", "nobody (?:is|was|else)");

  private static List<Rule> rules() {
    List<Rule> r = new ArrayList<>();

    // Insults
    r.add(new Rule(INSULT, 4, alt(STRONG_INSULTS)));
    r.add(new Rule(INSULT, 2, alt(MILD_INSULTS)));
    String anyInsult = alt(join(STRONG_INSULTS, MILD_INSULTS, DIRECTED_ONLY));
    r.add(new Rule(INSULT, 4, YOU + " (?:" + INSULT_INTENSIFIER + " ){0,4}" + anyInsult));
    r.add(new Rule(INSULT, 6, YOU + " (?:" + INSULT_INTENSIFIER + " ){0,4}" + alt(STRONG_INSULTS)));
    r.add(new Rule(INSULT, 6, "you (?:\\w+ ){0,2}(?:piece of shit|cunt|motherfucker|fucking retard)"));
    r.add(new Rule(INSULT, 2, alt("he", "she", "hes", "shes", "he is", "she is", "this guy is", "that guy is",
      "(?:my|our|your|the|this|that) (?:boss|manager|coworker|colleague|teammate|lead|client|customer|intern|admin) is")
      + " (?:" + INSULT_INTENSIFIER + " ){0,3}" + anyInsult));
    r.add(new Rule(INSULT, 4, alt("what a", "what an", "such a", "such an") + " (?:" + INSULT_INTENSIFIER + " ){0,3}" + anyInsult
      + " " + alt("you are", "you r", "u r", "you", "u", "youre", "you have been", "you turned out to be")));
    // "fuck you" insults unless it is a (sexual) wish: "I want to fuck you" is handled as sexual.
    String fuck = alt("fuck", "fuk", "fck", "fuq", "fk", "f", "screw", "fuck right");
    r.add(new Rule(INSULT, 4, "(?<!(?:to|wanna|gonna|will|ill|id|would|lemme|me) )" + fuck + " (?:you|u|ya|yall|you all|all of you)"));
    r.add(new Rule(INSULT, 4, fuck + " (?:off|yourself|urself|your self)"));
    r.add(new Rule(INSULT, 4, alt("stfu", "gtfo", "shut the fuck up", "shut the hell up", "shut your (?:fucking )?(?:mouth|face|trap|pie hole)",
      "go to hell", "eat shit", "kiss my ass", "bite me", "up yours", "son of a bitch", "sons of bitches", "nobody likes you",
      "everyone hates you", "no one likes you", "you suck", "u suck", "you stink", "get lost loser", "go fuck yourself")));
    r.add(new Rule(INSULT, 4, "suck my " + alt("dick", "cock", "balls", "ass")));
    // "I hate you" is hostile; "I hate you had to deal with that" is sympathy.
    r.add(new Rule(INSULT, 2, alt("i hate", "i really hate", "i fucking hate", "i just hate", "i despise", "i loathe",
      "i cant stand", "i can not stand", "i cannot stand", "i detest") + " " + alt("you", "u", "ya", "yall", "you all", "all of you", "you guys")
      + "(?! (?:had|have|has|were|are|got|need|needed|must|lost|missed|went|couldnt|cant|didnt|dont|to|for|having|being|went))"));

    // Violence
    // "hurt" and "beat" only count with a stated intent: "the delay will hurt you" is not a threat.
    String violentVerb = alt("kill", "murder", "stab", "strangle", "choke", "punch", "slap", "torture", "behead",
      "lynch", "slaughter", "butcher", "beat up", "beat the (?:shit|crap|hell|life|living daylights) out of",
      "kick the (?:shit|crap) out of", "shoot", "gut", "skin", "poison", "run over", "execute", "smash", "rape",
      "assault", "smack");
    String themVerb = alt("murder", "stab", "strangle", "torture", "behead", "lynch", "slaughter", "butcher", "shoot",
      "gas", "exterminate", "rape", "hang");
    r.add(new Rule(VIOLENCE, 4, violentVerb + " " + PERSON + "(?! (?:to it|at|off))"));
    r.add(new Rule(VIOLENCE, 4, themVerb + " " + PERSON_OR_THEM));
    r.add(new Rule(VIOLENCE, 4, "beat " + PERSON + " up"));
    r.add(new Rule(VIOLENCE, 6, THREAT_INTENT + " (?:\\w+ ){0,2}?" + alt(violentVerb, "hurt", "beat", "break", "burn", "drown") + " " + PERSON));
    r.add(new Rule(VIOLENCE, 6, THREAT_INTENT + " (?:\\w+ ){0,2}?" + themVerb + " " + PERSON_OR_THEM));
    // "I will end you (if ...)" but not "we will end her contract" or "I'll end you early".
    r.add(new Rule(VIOLENCE, 6, THREAT_INTENT + " (?:\\w+ ){0,2}?end " + alt("you", "u", "ya", "yall", "you all", "him")
      + "(?:(?! \\w)| (?:today|tonight|right now|i swear|for this|for that|if|when|the moment|next time|unless))"));
    r.add(new Rule(VIOLENCE, 6, THREAT_INTENT + " (?:\\w+ ){0,2}?(?:break|snap|smash|bash in|cave in|slit|rip out) " +
      alt("your", "his", "her", "their") + " " + alt("legs", "leg", "neck", "face", "jaw", "arms", "bones", "skull",
        "teeth", "nose", "head", "throat", "throats", "heart", "kneecaps")));
    r.add(new Rule(VIOLENCE, 6, "slit " + alt("your", "his", "her", "their") + " throats?"));
    r.add(new Rule(VIOLENCE, 6, "put a bullet (?:in|through) " + alt("your", "his", "her", "their", "you", "him") + "(?: \\w+)?"));
    r.add(new Rule(VIOLENCE, 4, alt("you", "u", "ya", "yall", "you all") + " " + alt("should", "deserve to", "ought to",
      "need to", "must", "will", "are going to", "gonna", "better", "should just", "should all", "all should", "shall")
      + " " + alt("die", "be killed", "be shot", "get shot", "get killed", "get stabbed", "be hanged", "hang",
      "burn", "rot in hell", "burn in hell", "be dead", "drop dead", "get raped", "be raped")));
    r.add(new Rule(VIOLENCE, 4, alt("i hope you", "i hope u", "hope you", "hope u", "wish you would", "i wish you would")
      + " " + alt("die", "get cancer", "get killed", "get shot", "get hit by a (?:bus|car|truck|train)", "burn", "rot",
        "choke", "drown", "suffer", "get raped", "crash")));
    r.add(new Rule(VIOLENCE, 4, alt("die in a (?:fire|hole|ditch)", "drop dead", "go die", "just die", "youre dead meat",
      "you are dead meat", "youre a dead man", "you are a dead man", "i know where you live", "watch your back",
      "sleep with one eye open", "youll regret this", "you will regret this", "you will pay for this", "youll pay for this")));
    r.add(new Rule(VIOLENCE, 6, alt("bomb", "blow up", "shoot up", "burn down", "set fire to", "torch", "attack",
      "storm", "firebomb", "gas") + " " + alt("the", "this", "that", "your", "our", "my", "a", "their", "his", "her") + " " + alt("office",
      "offices", "school", "building", "church", "mosque", "synagogue", "temple", "house", "home", "conference",
      "hospital", "airport", "station", "mall", "embassy", "clinic", "classroom", "headquarters", "hq", "campus", "plane")));
    r.add(new Rule(VIOLENCE, 6, alt("he", "she", "they", "you", "people like (?:you|him|her|them)", "these people",
      "those people", "whoever did this", "anyone who", "all of them", "they all", "the president", "politicians",
      "that guy", "that woman", GROUP_PHRASE) + " (?:\\w+ ){0,1}" + alt("should", "ought to", "deserve to", "needs to",
      "need to", "must") + " (?:all )?(?:be )?" + alt("shot", "killed", "hanged", "hung", "lynched", "executed", "gassed",
      "murdered", "beheaded", "exterminated", "burned alive", "burnt alive", "strung up", "put down", "tortured", "die")));
    r.add(new Rule(VIOLENCE, 6, alt("death to", "kill all", "kill all the", "gas the", "gas all", "exterminate",
      "exterminate all", "exterminate the", "shoot all", "shoot all the", "hang all", "hang all the") + " " + GROUP));
    r.add(new Rule(VIOLENCE, 6, alt("rape", "raped", "raping", "rapist", "rapists")));

    // Self-harm
    String selfHarmAct = alt("kill myself", "end my life", "end my own life", "take my own life", "take my life",
      "end it all", "commit suicide", "hang myself", "shoot myself", "overdose", "drown myself", "poison myself",
      "jump off (?:a|the) (?:bridge|building|roof|cliff)", "slit my wrists", "not be here anymore",
      "disappear forever", "hurt myself", "cut myself", "harm myself", "starve myself");
    r.add(new Rule(SELF_HARM, 6, alt("i", "i really", "i just", "i kind of", "i kinda", "i sometimes", "i honestly",
      "i seriously", "part of me", "sometimes i") + " ?" + alt("want to", "wanna", "am going to", "m going to", "m gonna",
      "am gonna", "plan to", "am planning to", "m planning to", "need to", "have decided to", "decided to", "think i will",
      "think ill", "might", "feel like i want to", "feel like i should", "should just", "will", "ll", "keep thinking about how to",
      "keep wanting to", "am about to", "m about to", "am ready to", "m ready to", "wish i could", "think about how to",
      "am thinking about how to", "wish i could just") + " " + selfHarmAct));
    r.add(new Rule(SELF_HARM, 6, alt("im", "i am", "ive been", "i have been", "i feel", "feeling", "i get") + " "
      + "(?:so |very |really |kind of |kinda |a bit |pretty |quite |extremely )?suicidal"));
    r.add(new Rule(SELF_HARM, 6, alt("i dont want to live", "i do not want to live", "i dont want to be alive",
      "i do not want to be alive", "i dont want to exist", "i dont want to wake up", "i wish i was dead",
      "i wish i were dead", "im better off dead", "i am better off dead", "id be better off dead",
      "everyone would be better off without me", "everyone would be better off if i was dead",
      "no reason to live", "no reason to go on", "cant go on anymore", "nothing to live for", "i want to die",
      "i wanna die", "i just want to die", "i want to be dead", "i just want to be dead", "i want to disappear forever", "thinking about suicide",
      "thinking of suicide", "thinking of ending it", "thinking about ending it", "planning my suicide",
      "writing my suicide note", "my suicide note", "ready to die", "thinking about killing myself",
      "thinking of killing myself", "ive been cutting myself", "i have been cutting myself", "i keep cutting myself",
      "i cut myself again", "ive been hurting myself", "i have been hurting myself", "i keep hurting myself")));
    r.add(new Rule(SELF_HARM, 4, alt("kill myself", "end my life", "take my own life", "commit suicide",
      "committing suicide", "suicidal thoughts", "suicidal ideation", "suicidal feelings", "self harm", "self harming",
      "selfharm", "self injury", "hang myself", "slit my wrists", "overdose on (?:my )?(?:pills|meds|sleeping pills)")));
    r.add(new Rule(SELF_HARM, 6, alt("kill yourself", "kill urself", "kill your self", "kys", "hang yourself",
      "shoot yourself", "go die in a hole", "slit your wrists", "drink bleach", "off yourself", "end yourself",
      "neck yourself", "end your life", "jump off a bridge", "unalive yourself", "do us all a favou?r and die")));

    // Sexual
    r.add(new Rule(SEXUAL, 4, alt(SEXUAL_WORDS)));
    r.add(new Rule(SEXUAL, 2, alt("boobies", "booty call", "sex tape", "onlyfans")));
    r.add(new Rule(SEXUAL, 4, alt("send (?:me )?(?:your )?(?:nudes|nude pics|naked pics|naked photos|naked pictures|pics of your body|dick pics?)",
      "dick pics?", "(?:have|had|having|want to have|wanna have) sex with (?:you|u|me|her|him)",
      "show me your " + alt("tits", "boobs", "body", "ass", "dick", "pussy", "breasts", "cock", "penis"),
      "take (?:off )?(?:your|ur) (?:clothes|top|shirt|pants|bra|panties)(?: off)?", "get naked", "strip for me",
      "sleep with (?:me|you|u)", "jerk off", "jerking off", "jack off", "wank off", "hard for you", "wet for you",
      "touch yourself", "touching myself",
      "(?:lets|let us|wanna|want to|gonna|going to|we should|we could|you and me should|you and i should|come over and) have sex(?! (?:ed|education|offenders?|offences?|offenses?|discrimination|work))",
      "(?:im|i am|got me|making me|youre making me|you make me) (?:so )?(?:hard|wet) (?:thinking about|for|because of|looking at) (?:you|u|your)", "your tits", "your boobs", "your ass", "nice tits", "nice ass", "nice rack",
      "give (?:me|you) head", "69 with")));
    r.add(new Rule(SEXUAL, 6, alt("(?:want to|wanna|gonna|going to|will|ill|i am going to|im going to|im gonna|let me|lemme|i would|id) "
      + alt("fuck", "bang", "screw", "shag", "hump", "ride", "eat out", "finger") + " " + alt("you", "u", "her", "him", "ya", "your (?:brains|ass|pussy)"),
      "suck my " + alt("dick", "cock", "balls", "tits"), "sit on my " + alt("face", "dick", "cock", "lap"),
      "cum (?:on|in) (?:you|your|her|his)", "fuck (?:you|u|her|him) (?:hard|senseless|raw|so hard)")));
    r.add(new Rule(SEXUAL, 6, alt("rape", "raped", "raping", "rapist", "rapists", "molest", "molested", "molesting",
      "child porn", "cp links", "underage (?:girls|boys|porn|nudes)")));

    // Hate
    r.add(new Rule(HATE, 6, alt(SLURS)));
    r.add(new Rule(HATE, 6, GROUP_PHRASE + " " + alt("are", "r", "is", "remain", "were", "will always be",
      "have always been", "are and always will be") + " "
      + "(?:(?:all|just|nothing but|basically|such|like|a bunch of|fucking|filthy|dirty|disgusting|literally|simply|nothing more than|no better than|a|an) ){0,3}"
      + "(?:" + DEHUMANISING_ADJECTIVE + " ){0,2}" + DEHUMANISING));
    r.add(new Rule(HATE, 6, GROUP_PHRASE + " " + alt("should", "must", "need to", "ought to", "deserve to", "have to",
      "should all", "must all", "need to all") + " (?:all )?(?:be )?" + ELIMINATION));
    r.add(new Rule(HATE, 6, alt("death to", "kill all", "gas the", "gas all", "exterminate", "wipe out", "eradicate",
      "deport all", "round up", "get rid of") + " " + GROUP_PHRASE));
    r.add(new Rule(HATE, 4, alt("i", "we", "everyone", "everybody") + " " + alt("hate", "despise", "cant stand",
      "can not stand", "cannot stand", "loathe", "detest") + " " + GROUP_PHRASE));
    r.add(new Rule(HATE, 4, alt("go back to", "get back to", "crawl back to", "fuck off back to") + " " + alt("your", "ur", "their", "his", "her")
      + " (?:own )?(?:shithole )?" + alt("country", "countries", "cave", "jungle", "desert", "village", "hut", "island")));
    r.add(new Rule(HATE, 4, GROUP_PHRASE + " " + alt("dont", "do not", "shouldnt", "should not") + " "
      + alt("belong here", "belong in this country", "deserve to live", "deserve rights", "deserve to vote", "deserve to exist",
        "deserve respect", "count as people", "count as human")));
    r.add(new Rule(HATE, 4, alt("no", "ban all", "ban the", "keep out the", "keep out all") + " " + GROUP + " " + alt("allowed", "in here", "wanted", "welcome")));
    r.add(new Rule(HATE, 4, alt("women belong in the kitchen", "women are too emotional to lead", "women cant code",
      "women should not work", "women shouldnt work", "women should not vote", "women shouldnt vote",
      "never hire (?:a |an )?(?:woman|women|muslims?|jews?|blacks?|immigrants?|gays?|foreigners?)",
      "dont hire (?:a |an )?(?:woman|women|muslims?|jews?|blacks?|immigrants?|gays?|foreigners?)",
      "(?:gay|trans) people are (?:sick|mentally ill|perverts|groomers|an abomination)", "white power", "heil hitler",
      "sieg heil", "white supremacy forever", "hitler was right", "the holocaust never happened", "holocaust was a hoax",
      "gas chambers were a lie", "race traitor", "great replacement")));
    structuralThreats(r);
    structuralDehumanisation(r);
    profanity(r);
    // Rules that start with a threat's intent or a group name are skipped in texts without one.
    return r.stream().map(rule -> rule.trigger() != null ? rule
      : rule.regex().startsWith(THREAT_INTENT) ? Rule.gated(rule.category(), rule.severity(), THREAT_INTENT, rule.regex())
      : rule.regex().startsWith(GROUP_PHRASE) ? Rule.gated(rule.category(), rule.severity(), GROUP, rule.regex())
      : rule).toList();
  }

  // --- Threats by structure --------------------------------------------------------------------

  /** Who a threat is aimed at as the object of its verb: the addressee, or one named person. */
  private static final String VICTIM = "(?:" + alt("you", "u", "ya", "yall", "you all", "all of you", "him",
    "your (?:whole )?(?:family|kids|children|wife|husband|mother|mom|mum|dad|father|sister|brother|son|daughter)")
    // "her" is a victim only where it is not a possessive: "kill her", not "kill her process"
    + "|her(?=$| \\|| " + alt("and", "if", "when", "with", "for", "in", "at", "on", "right", "today", "tonight",
    "tomorrow", "now", "i", "so", "too", "again", "slowly", "badly", "myself", "personally", "before", "after", "while",
    "until", "unless", "or", "but", "because", "dead", "alive", "up", "down", "out", "over", "off", "open", "apart",
    "bloody", "senseless", "to", "into", "like", "just") + "(?![\\p{L}\\p{N}])))";

  private static final String POSSESSIVE = alt("your", "ur", "yer", "his", "her");

  /** Body parts, and "lights" as in "punch your lights out". */
  private static final String BODY_PART = alt("face", "faces", "teeth", "tooth", "neck", "skull", "head", "throat",
    "windpipe", "arm", "arms", "leg", "legs", "finger", "fingers", "hand", "hands", "ribs", "rib", "eye", "eyes",
    "eyeballs", "kneecaps", "kneecap", "knees", "knee", "jaw", "nose", "spine", "back", "guts", "brains", "brain",
    "balls", "nuts", "ears", "ear", "tongue", "lungs", "bones", "bone", "limbs", "chest", "stomach", "belly",
    "kidneys", "liver", "lights", "skin", "scalp", "heads", "body")
    + "(?! (?:end|office|log|logs|story|stories|channel|room|up|down|on|off|over|of|free|text|copy|content|paragraph|html|tag|element|parser|field)(?![\\p{L}\\p{N}]))";

  /** What is done to a body part in a threat ("break your legs", "rearrange your face"). */
  private static final String BODY_VERB = alt("break", "snap", "crack", "smash", "bash", "cave", "kick", "punch",
    "knock", "rip", "tear", "cut", "slit", "slash", "gouge", "wring", "rearrange", "shove", "stab",
    "crush", "pull out", "rip out", "tear out", "beat", "split", "bust", "stomp on", "stamp on", "stomp", "pound",
    "slam", "fracture", "dislocate", "blow off", "blow out", "carve", "skin", "burn", "pluck out", "scoop out",
    "bite off", "cut off", "chop off", "hack off", "saw off", "twist off", "wrench", "mangle", "shatter", "splatter",
    "punch in", "kick in", "bash in", "cave in", "knock out", "blow");

  /** Verbs that harm the person they take as object ("I'll bury you", "I will destroy you"). */
  private static final String HARM_VERB = alt("kill", "murder", "stab", "strangle", "choke", "throttle", "smother",
    "suffocate", "torture", "maim", "cripple", "mutilate", "dismember", "behead", "decapitate", "bury", "gut", "skin",
    "flay", "slaughter", "butcher", "hurt", "injure", "wound", "beat", "batter", "pummel", "punch", "slap", "smack",
    "kick", "headbutt", "stomp", "shoot", "poison", "drown", "burn", "hang", "lynch", "execute", "rape", "assault",
    "bash", "bludgeon", "thump", "whack", "deck", "destroy", "annihilate", "obliterate", "wreck", "crush", "end",
    "waste", "eliminate", "smash", "stomp on", "stamp on", "beat up", "gun down", "shank", "knife", "disembowel",
    "castrate", "skewer", "impale", "torch", "scalp", "eviscerate", "garrotte", "garrote", "electrocute");

  /** What may follow "verb + you" when it is not harm: a contest, a favour, an idiom. */
  private static final String NOT_HARM_AFTER = "(?! (?:at|to it|to the|by|off|on (?:the|a|this|that)"
    + "|in (?:the |a |an |our |this |that |tonights |every |any |next |todays )?(?:\\w+ ){0,2}?" + CONTEST
    + "|with (?:kindness|facts|logic|data|numbers|questions|love|compliments|paperwork|work|emails|details|charts|puns|jokes)"
    + "|with (?:a |an |the )?(?:lawsuit|fine|invoice|bill|ticket|warning|deadline|task|label|sticker|question)"
    + "|in (?:paperwork|work|emails|tickets|requests|details|data|questions|praise|gifts|chocolate|compliments)"
    + "|some slack|a bone|a line|a lifeline|a favou?r|up to speed|down to size|out|there|home|here|out to dry)(?![\\p{L}\\p{N}]))";

  /** Where a threatened person ends up ("put you in the hospital", "leave you for dead"). */
  private static final String HARM_PLACE = "(?:in|into|to) (?:a |the |an )?" + alt("hospital", "ditch", "grave",
    "morgue", "coffin", "body bag", "icu", "emergency room", "intensive care", "river", "gutter", "trunk",
    "wheelchair", "coma", "cast", "early grave", "shallow grave", "box", "pieces", "pine box") + "(?! (?:floor|level|room|bed)(?![\\p{L}\\p{N}]))"
    + "|six feet under|for dead|bleeding|in a pool of (?:your|his|her|their) (?:own )?blood";

  /** First-person intent: "I'll", "I'm going to", "we are going to", "I swear I will". */
  private static final String INTENT = "(?:" + THREAT_INTENT + "|we shall|i will personally|ill personally"
    + "|i am gonna|i intend to|we intend to|i fully intend to|im fixing to|i am fixing to|i gotta|im finna|i finna)";

  /**
   * Up to {@code n} words, none of them a negation: "I'll fucking destroy you", "I will find you and
   * hurt you", but not "I will never hurt you".
   */
  private static String gap(int n) {
    return "(?:(?!" + alt("not", "never", "no", "wont", "dont", "cant", "didnt", "wouldnt", "shouldnt", "couldnt",
      "nobody", "nothing") + "(?![\\p{L}\\p{N}]))\\w+ ){0," + n + "}?";
  }

  /** One word between a possessive and a body part that is not a verb or a joint: "your scrawny neck", not "your team can hand". */
  private static final String BODY_ADJECTIVE = "(?:(?!" + alt("can", "will", "should", "could", "would", "may", "might",
    "must", "and", "or", "to", "is", "are", "was", "were", "has", "have", "had", "does", "did", "gets", "got")
    + "(?![\\p{L}\\p{N}]))\\w+ )?";

  private static void structuralThreats(List<Rule> r) {
    // "I will destroy you", "I'm going to bury you in the woods" -- but not "I'll destroy you at ping pong".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + HARM_VERB + " " + VICTIM + NOT_HARM_AFTER));
    // "I'm gonna mess you up", "I'll f you up", "I'll run you over", "I'll cut you open", "tear you limb from limb".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("mess", "fuck", "f", "fk", "beat", "rough", "smash",
      "cut", "tear", "rip", "carve", "bust", "jack", "mash", "bash", "slice", "shoot") + " " + VICTIM + " up"));
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("run", "mow") + " " + VICTIM + " " + alt("over", "down")));
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("cut", "slice", "split", "rip", "tear", "carve", "slit", "gut")
      + " " + VICTIM + " " + alt("open", "apart", "to pieces", "to ribbons", "to shreds", "into pieces", "limb from limb",
      "into little pieces") + "(?! (?:in|at) (?:the |a |our |this |that )?(?:\\w+ )?" + CONTEST + "(?![\\p{L}\\p{N}]))"));
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("knock", "lay", "put") + " " + VICTIM + " "
      + alt("out cold", "unconscious", "in a coma", "flat on (?:your|his|her) back", "into next week")));
    // "beat you bloody", "choke the life out of you": the outcome says it, no intent needed.
    r.add(new Rule(VIOLENCE, 6, alt("beat", "kick", "punch", "batter", "whip", "stomp", "pound") + " " + VICTIM + " "
      + alt("bloody", "senseless", "to death", "to a pulp", "black and blue", "half to death", "unconscious",
      "within an inch of (?:your|his|her) life", "into the ground", "into a coma")));
    r.add(new Rule(VIOLENCE, 6, alt("choke", "beat", "squeeze", "strangle", "kick", "knock", "punch", "slap", "crush",
      "throttle") + " the " + alt("life", "living daylights", "daylights", "shit", "crap", "hell", "breath", "air")
      + " out of " + VICTIM));
    // "I'll break both your arms", "I'm going to wring your scrawny neck", "slash your tyres and then your throat".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + BODY_VERB + " " + gap(4) + POSSESSIVE + " " + BODY_ADJECTIVE + BODY_PART));
    // "a knife in your ribs", "my fist in your face", "acid in your face": a weapon into the body, intent or not.
    r.add(new Rule(VIOLENCE, 6, alt("knife", "blade", "bullet", "bullets", "acid", "bleach", "fist", "boot", "screwdriver",
      "machete", "axe", "hammer", "brick", "bat", "slug", "shiv", "foot", "sword", "broken bottle")
      + " " + alt("in", "into", "through", "down", "across", "between", "up", "to") + " " + POSSESSIVE + " " + BODY_ADJECTIVE + BODY_PART));
    // "pay you a visit with a crowbar": the addressee and a weapon in one intended act.
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(6) + alt("you", "u", "him", "her") + " " + gap(4) + "with "
      + alt("a", "an", "my", "the", "this") + " " + gap(1) + alt("crowbar", "hammer", "knife", "machete", "axe",
      "baseball bat", "gun", "pistol", "rifle", "shotgun", "brick", "lead pipe", "tire iron", "tyre iron",
      "chainsaw", "cleaver", "sword", "golf club", "cricket bat", "hatchet", "sledgehammer", "knuckle duster")));
    // "put you in the hospital", "leave you in a ditch", "put you six feet under".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(8) + alt("put", "send", "leave", "dump", "throw", "drop", "land", "see")
      + " " + VICTIM + " (?:" + HARM_PLACE + ")"));
    // "make you bleed", "make you suffer", "make you pay" (not "make you pay for lunch" or "pay attention").
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(8) + "make " + VICTIM + " " + alt("bleed", "suffer", "scream",
      "beg for mercy", "beg for (?:your|his|her) life", "beg", "wish (?:you|he|she) (?:were|was|had never been) (?:dead|born)",
      "regret (?:it|this|that|the day|ever|being born)", "pay", "pay for (?:this|that|it|what)", "pay dearly")
      + "(?! (?:for (?:lunch|dinner|drinks|coffee|the|a|breakfast|it later|beers?)|attention|back|off|up|me|us|a|the|more|extra|less|now|upfront)(?![\\p{L}\\p{N}]))"));
    // "make sure you never walk again", "see to it that you end up in a body bag".
    r.add(new Rule(VIOLENCE, 6, alt("make sure", "see to it", "promise", "guarantee") + " (?:that )?" + alt("you", "he", "she")
      + " (?:will )?" + alt("never", "wont", "will not", "cant", "can not", "cannot") + " " + alt("walk", "see", "talk",
      "breathe", "wake up", "use (?:your|his|her) (?:hands|legs|arms)", "move", "eat solid food", "have children")
      + " again"));
    r.add(new Rule(VIOLENCE, 6, alt("make sure", "see to it") + " (?:that )?" + alt("you", "he", "she") + " "
      + alt("never", "dont", "do not", "wont", "will not") + " " + alt("leave", "get out", "go home", "make it home",
      "leave here alive", "see (?:your|his|her) (?:kids|family|children) again") + "(?=$| \\|| alive)"));
    r.add(new Rule(VIOLENCE, 6, "(?:" + alt("you", "he", "she") + "(?: " + alt("will", "are going to", "are gonna",
      "is going to", "is gonna", "gonna") + ")?|" + alt("youll", "youre going to", "youre gonna", "hes going to",
      "shes going to") + ") " + alt("end up", "wake up", "go home", "leave", "come out", "be") + " " + gap(2)
      + alt("in a body bag", "in a coffin", "in a pine box", "six feet under", "in a shallow grave", "in the morgue")));
    r.add(new Rule(VIOLENCE, 6, alt("you", "he", "she") + " " + alt("wont", "will not", "are not going to", "arent going to",
      "aint gonna", "is not going to", "isnt going to") + " " + alt("walk", "make it", "crawl") + " out"
      + "(?: of (?:it|there|here|this place))?(?: alive| in one piece)?"
      + "(?=$| \\|| alive| in one piece| and | if | i swear| i promise| trust me)"));
    // "end your miserable life", "take your life" (a threat; "end my life" is self-harm, elsewhere).
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("end", "take", "snuff out", "finish") + " "
      + alt("your", "ur", "his", "her") + " " + gap(2) + alt("life", "miserable life", "pathetic life", "existence")));
    // "I'm going to shove you down the stairs", "push him off the roof".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + alt("push", "shove", "throw", "kick", "toss", "chuck") + " " + VICTIM
      + " " + alt("down the stairs", "down a flight of stairs", "off (?:a|the) (?:roof|bridge|cliff|balcony|building|ledge|train)",
      "out (?:of )?(?:a|the) window", "under (?:a|the) (?:train|truck|lorry|car|tram)", "in front of (?:a|the) (?:train|truck|bus|car)")));
    // Arson and property: "burn your house down", "set your car on fire", "slash your tyres".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(3) + "(?:" + alt("burn", "torch", "firebomb", "petrol bomb", "blow up",
      "smash up", "set fire to", "burn down") + " " + POSSESSIVE + " " + gap(1) + alt("house", "home", "car", "flat",
      "apartment", "place", "family", "kids", "office", "shop", "garage") + "|set " + POSSESSIVE + " " + gap(1)
      + alt("house", "home", "car", "flat", "apartment", "place", "hair", "kids", "family") + " on fire|"
      + alt("slash", "slit", "puncture") + " " + POSSESSIVE + " " + alt("tyres", "tires") + "|pour "
      + alt("petrol", "gasoline", "gas", "lighter fluid", "acid", "bleach") + " " + alt("on", "over", "into") + " " + POSSESSIVE + ")"));
    // "I'll have you killed".
    r.add(Rule.gated(VIOLENCE, 6, INTENT, INTENT + " " + gap(2) + alt("have", "get") + " " + VICTIM + " "
      + alt("killed", "shot", "stabbed", "beaten", "beaten up", "murdered", "whacked", "hurt", "done in", "kneecapped", "maimed")));
  }

  // --- Dehumanisation by structure -------------------------------------------------------------

  private static void structuralDehumanisation(List<Rule> r) {
    // "Jews aren't even people", "Palestinians are not human beings".
    r.add(Rule.gated(HATE, 6, GROUP, GROUP_PHRASE + " " + alt("arent", "are not", "is not", "isnt", "were not", "werent", "r not")
      + " " + "(?:(?:even|really|actually|fully|real|true|proper) ){0,2}"
      + alt("people", "humans", "human", "human beings", "persons")
      + "(?! (?:to|who|you|we|that|of|like|in|at|for|and|or|but|than|just|only|numbers|robots|machines|data)(?![\\p{L}\\p{N}]))"));
    // "they breed like rabbits", "Indians smell like animals", "they swarm like insects".
    r.add(Rule.gated(HATE, 6, GROUP, GROUP_PHRASE + " " + gap(3) + alt("breed", "breeding", "live", "living", "smell", "smelling",
      "swarm", "swarming", "multiply", "multiplying", "behave", "act", "eat", "infest", "spread", "crawl", "reproduce",
      "stink") + " like " + alt("animals", "rats", "rabbits", "vermin", "cockroaches", "roaches", "insects", "locusts",
      "pigs", "dogs", "beasts", "cattle", "parasites", "a disease", "a plague", "the plague", "cancer", "a cancer",
      "lice", "bugs", "flies", "maggots", "monkeys", "apes", "savages", "barbarians")));
  }

  // --- Profanity -------------------------------------------------------------------------------

  /**
   * Everyday swearing, low severity under {@code insult}: the f-word, the s-word and their kin, with
   * the spellings people use to get past filters. Leetspeak ("sh1t", "$hit"), elongation
   * ("fuuuuck"), letters spaced out ("f u c k", "s.h.i.t") are undone by the normaliser; masking
   * stars are the writer censoring themselves and are not flagged here. Mild words (damn, hell,
   * crap, bloody, bugger) are not on the list.
   */
  static final List<String> PROFANITY = List.of(
    "fuck", "fucks", "fucking", "fuckin", "fucked", "fucker", "fuckers", "fuckup", "fuckups", "fuckery", "fuckoff",
    "motherfucking", "motherfuckin", "mothafucka", "mothafuckin", "clusterfuck", "clusterfucks", "mindfuck",
    "fvck", "fvcking", "fvcked", "phuck", "phucking", "phuk", "phuking", "fuk", "fuking", "fukin", "fukken", "fukked",
    "fuq", "fck", "fcking", "fckin", "fcked", "fcuk", "fcuking", "fuxk", "fuxking", "fucc", "fuccing",
    "shit", "shits", "shitty", "shite", "shitting", "shitted", "shitshow", "shitstorm", "shitload", "shitloads",
    "shitfaced", "bullshit", "bullshitting", "bullshitter", "horseshit", "batshit", "apeshit", "chickenshit", "shyt",
    "piss", "pissed", "pissing", "pisses", "pisstake", "bollocks", "bollox", "wank", "wanking", "wanky",
    "wtf", "ffs", "omfg", "fml", "stfu", "gtfo");

  private static void profanity(List<Rule> r) {
    r.add(new Rule(INSULT, 2, alt(PROFANITY), true));
  }

  // --- Helpers ---------------------------------------------------------------------------------

  static String alt(String... options) {
    return alt(Arrays.asList(options));
  }

  /**
   * An alternation, longest first so that "you are" is preferred to "you". Plain words and phrases
   * (letters, digits, spaces) are merged into a prefix tree ("fuck(?:ing|ed|)..."), so that a list
   * of a hundred words costs a few character comparisons at each word rather than a hundred: the
   * language is the same, and at each branch the longer continuation is still tried first.
   */
  static String alt(List<String> options) {
    List<String> distinct = options.stream().distinct().toList();
    List<String> parts = new ArrayList<>(distinct.stream().filter(o -> !literal(o))
      .sorted((a, b) -> b.length() - a.length()).toList());
    Trie trie = new Trie();
    distinct.stream().filter(Lexicon::literal).forEach(trie::add);
    if (!trie.children.isEmpty()) {
      parts.add(trie.regex());
    }
    return parts.stream().collect(Collectors.joining("|", "(?:", ")"));
  }

  /** Letters, digits and spaces only (a static Pattern would not exist yet when the lists above are built). */
  private static boolean literal(String option) {
    return !option.isEmpty() && option.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ');
  }

  /** Literal options as a prefix tree, written back as a regex. */
  private static final class Trie {
    private final java.util.TreeMap<Character, Trie> children = new java.util.TreeMap<>();
    private boolean terminal;

    void add(String word) {
      Trie node = this;
      for (char c : word.toCharArray()) {
        node = node.children.computeIfAbsent(c, k -> new Trie());
      }
      node.terminal = true;
    }

    private int depth() {
      return children.values().stream().mapToInt(t -> 1 + t.depth()).max().orElse(0);
    }

    String regex() {
      List<String> branches = children.entrySet().stream()
        .sorted((a, b) -> b.getValue().depth() - a.getValue().depth())
        .map(e -> e.getKey() + e.getValue().regex()).toList();
      if (branches.isEmpty()) {
        return "";
      }
      String joined = branches.size() == 1 ? branches.get(0) : "(?:" + String.join("|", branches) + ")";
      if (!terminal) {
        return joined;
      }
      return (branches.size() == 1 ? "(?:" + joined + ")" : joined) + "?";
    }
  }

  @SafeVarargs
  private static List<String> join(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }

  static String rot13(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        out.append((char) ('a' + (c - 'a' + 13) % 26));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Every rule; built last, once every list and pattern above it is initialised. */
  static final List<Rule> RULES = rules();
}
