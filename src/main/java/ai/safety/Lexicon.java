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

  record Rule(ToxicCategory category, int severity, String regex) {}

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
    "the disabled", "roma", "gypsies", "romani", "palestinians", "israelis", "irish", "polish people");

  private static final String GROUP_PHRASE = "(?:(?:all|those|these|the|most|fucking|filthy|dirty|damn) ){0,3}" + GROUP;

  /** People as the object of a violent verb (not "it", "them" or "the process"). */
  private static final String PERSON = alt(
    "you", "u", "ya", "yall", "you all", "all of you", "every one of you", "each of you", "everyone", "everybody",
    "him", "her", "your (?:whole )?(?:family|kids|children|wife|husband|mother|mom|mum|dad|father|sister|brother|son|daughter|boss)",
    "that (?:guy|woman|man|bitch|bastard|idiot|dude)", "the (?:boss|manager|teacher|president|ceo|judge|cops|police)",
    "my (?:boss|manager|coworker|colleague|wife|husband|teacher|neighbor|neighbour|ex|family)");

  private static final String PERSON_OR_THEM = "(?:" + PERSON + "|them|those people|these people)";

  private static final String THREAT_INTENT = alt(
    "ill", "i will", "i wil", "i am going to", "im going to", "im gonna", "i am gonna", "imma", "ima", "i want to",
    "i wanna", "i swear ill", "i swear i will", "i swear im going to", "i swear im gonna", "we will",
    "were going to", "were gonna", "we are going to", "i am coming to", "im coming to", "i will come and",
    "ill come and", "im going to come and", "i will find you and", "ill find you and", "i promise ill",
    "i promise i will", "i plan to", "im about to", "i am about to", "i shall", "im ganna",
    "i am ready to", "im ready to", "dont make me",
    "(?:im|i am|ill|i will|were|we are) (?:coming|come|going|go|driving|heading|on my way) (?:\\w+ ){0,3}to");

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
    "disgusting", "idiotic", "moronic", "braindead", "brain dead", "spineless", "gutless");

  private static final String INSULT_INTENSIFIER = alt(
    "such", "a", "an", "so", "the", "total", "complete", "absolute", "utter", "real", "fucking", "fuckin", "freaking",
    "frickin", "bloody", "damn", "goddamn", "big", "little", "stupid", "dumb", "worthless", "useless", "pathetic",
    "fat", "ugly", "lazy", "massive", "huge", "right", "proper", "and", "just", "really", "one", "very", "most",
    "biggest", "ignorant", "incompetent", "sad", "pathetic little", "fuckin", "bunch of", "pack of", "of");

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
    "scum", "a disease", "a plague", "a virus", "inferior", "savages", "not human", "not people", "less than human",
    "monkeys", "apes", "pigs", "dogs", "a cancer", "an infestation", "garbage", "trash", "evil", "all terrorists",
    "terrorists", "criminals", "rapists", "disgusting", "an abomination", "abominations", "degenerates", "freaks",
    "mentally ill", "sick in the head", "a mistake", "worthless", "stupid", "dirty", "filthy", "lazy thieves",
    "thieves", "barbarians", "primitive", "invaders", "an invasion", "diseased", "unclean", "pedophiles", "groomers");

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

  static final List<Rule> RULES = rules();

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
    r.add(new Rule(HATE, 6, GROUP_PHRASE + " " + alt("are", "r", "is", "remain", "were") + " "
      + "(?:(?:all|just|nothing but|basically|such|like|a bunch of|fucking|filthy|dirty|disgusting|literally|simply|nothing more than|no better than) ){0,3}"
      + DEHUMANISING));
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
    return List.copyOf(r);
  }

  // --- Helpers ---------------------------------------------------------------------------------

  static String alt(String... options) {
    return alt(Arrays.asList(options));
  }

  /** An alternation, longest first so that "you are" is preferred to "you". */
  static String alt(List<String> options) {
    return options.stream().distinct().sorted((a, b) -> b.length() - a.length())
      .collect(Collectors.joining("|", "(?:", ")"));
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
}
