"""Tag comments with the six complaint themes, in English and Dutch, by documented patterns.

Every theme has cues: regular expressions over the lower-cased, accent-free comment. A cue
is one of three kinds (see docs/insight.md for the reasoning and the measured quality):

- COMPLAINT: a complaint on its own ("slow", "traag", "on hold"). A negator just before
  it in the same clause cancels it ("not slow", "geen wachttijd", "no problem finding").
- NEGATED: a complaint that carries its own negation ("can't find", "geen mens",
  "niet opgelost"); it always counts.
- TOPIC: a mention of the subject ("return", "retourneren", "chatbot") that counts
  unless the same clause praises it ("returning was easy", "de chatbot was handig").

Clauses end at punctuation and at "but"/"maar", so "fast delivery but returning was a
pain" praises the delivery and complains about the return. A few phrases ("takes ages",
"duurt lang") mean `waiting` when the comment is about customer service and `speed`
otherwise. The order of THEMES is the bit order of `responses.themes`: append only.
"""

import re
import unicodedata
from dataclasses import dataclass

THEMES = ("speed", "findability", "unresolved", "returns", "waiting", "human_contact")
THEME_BITS = {name: 1 << index for index, name in enumerate(THEMES)}

COMPLAINT, NEGATED, TOPIC = "complaint", "negated", "topic"

#: Words that cancel a COMPLAINT or TOPIC cue when they stand just before it (as does any
#: word ending in "n't"; the apostrophe-less spellings are common typos).
NEGATORS = frozenset(
    {
        *("not", "no", "never", "without", "hardly", "nothing", "nor"),
        *("isnt", "wasnt", "didnt", "dont", "doesnt", "cant", "couldnt"),
        *("niet", "geen", "nooit", "zonder", "nauwelijks", "amper", "niets"),
    }
)
#: "Not only slow" still complains; a negator followed by one of these does not negate.
NEGATION_BREAKERS = frozenset({"only", "just", "alleen", "enkel"})
#: How many words before a cue a negator may stand ("did not have to wait").
NEGATION_WINDOW = 3

PRAISE = re.compile(
    r"\b(easy|easily|simple|simply|smooth(ly)?|quick(ly)?|fast|great|fine|good|well|helpful|"
    r"convenient|clear|excellent|free|no (problem|hassle|issue)s?|short|reasonable|"
    r"makkelijk|gemakkelijk|eenvoudig|simpel|soepel|snel|prima|goed|fijn|top|handig|"
    r"duidelijk|uitstekend|gratis|geen (probleem|gedoe|moeite)|kort|oke?|valt mee|"
    r"straightforward|solved|resolved|opgelost|loste|same day|dezelfde dag|"
    r"right away|immediately|straight away|meteen|direct|(within|under) a minute|"
    r"(binnen|minder dan) (een|\d+) minuut)\b"
)
#: A wish ("returns should be simple") names what is missing; its praise words do not count.
WISH = re.compile(
    r"\b(should|ought to|would be nice|zou(den)? \w+|moet(en)? (\w+ ){0,3}(zijn|worden))\b"
)
# "maar" is "but" except in "bleef maar laden", "alleen maar", where it only intensifies.
CLAUSE_BREAK = re.compile(
    r"[.!?;,:\n()]+|\b(?:but|however|although|though|echter)\b|"
    r"(?<!bleef )(?<!blijft )(?<!alleen )\bmaar\b"
)
WORD = re.compile(r"[a-z0-9']+")
SERVICE_CONTEXT = re.compile(
    r"\b(customer service|support|helpdesk|help desk|klantenservice|klantendienst|service ?desk|"
    r"agent|medewerker|employee|call|called|phone|telefoon|gebeld|bellen|e-?mail|mail|"
    r"chat|reply|replied|respond|response|answer\w*|antwoord\w*|reactie|reageren|"
    r"reageert|reageerde|terugbellen|callback|speak|spreken|someone|iemand)\b"
)
PAGE_CONTEXT = re.compile(r"\b(load\w*|laad\w*|laden|geladen|page|pagina\w*|site|website|app)\b")
FIND_CONTEXT = re.compile(r"\b(find|found|finding|vinden|gevonden|zoeken|search\w*)\b")
DELIVERY_CONTEXT = re.compile(
    r"\b(package|parcel|delivery|shipment|pakket\w*|levering|bezorging|zending)\b"
)
#: Time phrases whose theme depends on what the clause is about (see `contextual_theme`).
DURATION = re.compile(
    r"\b(takes?|took|taking) (\w+ ){0,3}(forever|ages|long|(second|minute|hour|day|week|month)s?)"
    r"\b|\b(duurt|duurde|doet er|deed er) (\w+ ){0,2}(lang|eeuwen|eindeloos|seconden|minuten|uur|"
    r"uren|dag|dagen|week|weken|maand|maanden)\b|\beeuwen over\b"
)
WAIT = re.compile(r"\b(wait(ed|ing|s)?|waitd|wacht|wachten|wachtte|gewacht)\b(?! times?\b)")
RETURNS_CONTEXT = re.compile(r"\b(refund\w*|return\w*|retour\w*|terugbetal\w*)")


@dataclass(frozen=True)
class Cue:
    """One documented pattern that signals a theme."""

    theme: str
    kind: str
    pattern: re.Pattern


def cues(theme: str, kind: str, *patterns: str) -> list[Cue]:
    """Compile `patterns` (word-bounded regular expressions) into cues for `theme`."""
    return [Cue(theme, kind, re.compile(rf"\b(?:{pattern})")) for pattern in patterns]


CUES = (
    # speed: the site, app or portal is slow, hangs or does not load.
    *cues(
        "speed",
        COMPLAINT,
        r"slow\w*|sluggish|lag(s|gy|ging)?\b|freez\w*|froze|crawls|time ?-?outs?|timing out|"
        r"timed out|hangs|unresponsive|load(s|ing)? (forever|for ages)|load times?|"
        r"performance is|spinner",
        r"traag|trage|langzaam\w*|loopt vast|liep vast|bevr\w*|bevroor|time-?out|hapert|"
        r"blijft (maar )?(hangen|laden)|bleef (maar )?(hangen|laden)|laadtijd\w*|"
        r"eeuwen over om te laden",
    ),
    *cues(
        "speed",
        NEGATED,
        r"(doesn't|does not|won't|didn't|never) (load|finish)\w*|kept loading|does nothing for|"
        r"nothing happens for",
        r"laadt? (niet|nooit)|laden (niet|nooit)|gebeurt (er )?(\w+ ){0,3}niets",
    ),
    # findability: products or information hard to find; search and navigation fail.
    *cues(
        "findability",
        COMPLAINT,
        r"hard to (find|locate)|difficult to find|impossible to find|took me ages to find|"
        r"(trouble|problems?|struggl\w*) (finding|to find)|hidden|buried|confusing menu|"
        r"menu is confusing|navigation|hard to navigate|get lost|got lost|search (function|bar|"
        r"results?)? ?(is|are)? ?(useless|terrible|awful|irrelevant|broken)|"
        r"search for .{1,40} (shows|gives|returns)|gave up (looking|searching)|"
        r"filters? (don't|doesn't) work",
        r"moeilijk te vinden|lastig te vinden|slecht te vinden|onvindbaar|verstopt|"
        r"zoekfunctie (werkt|snapt|is)|zoekbalk is|zoekresultaten (kloppen|zijn)|"
        r"zoeken op .{1,40} geeft|navigatie|lastig navigeren|weg kwijt|onduidelijk menu|"
        r"menu is onduidelijk|filters? werk(t|en) niet",
    ),
    *cues(
        "findability",
        NEGATED,
        r"(can't|cant|cannot|can not|couldn't|couldnt|could not|unable to|didn't|did not|"
        r"never|still didn't|still can't) (\w+ ){0,2}(find|locate)\w*|"
        r"where (is|are|can|do|to find)\b|(spent|spend|spending) .{1,30} (looking|searching)|"
        r"nowhere|anywhere|no idea where",
        r"(kan|kon|kunnen|konden) (\w+ ){0,4}(niet|nergens|nooit) (\w+ )?(vinden|vinde|"
        r"gevonden)|niet (te )?(vinden|gevonden)|nergens (te )?(vinden|vinde)|"
        r"nergens staat|staat nergens|waar (zit|vind|staat|staan|kan ik|is)\b|"
        r"wist niet waar|vind je nooit|nooit vinden|(minuten|uur|uren) (\w+ ){0,4}gezocht",
    ),
    *cues(
        "findability",
        TOPIC,
        r"search (bar|function|engine|box)",
        r"zoek(functie|balk|machine)",
    ),
    # unresolved: the question is not solved, or the visitor has to explain it again.
    *cues(
        "unresolved",
        COMPLAINT,
        r"standard (reply|answer)|copy-?paste|going in circles|from one department to|"
        r"transferred|explain\w* (\w+ ){0,3}again|repeat(ed)? my (story|problem|question)|"
        r"start from scratch|problem persists|still (there|broken|not working)|ignored|"
        r"unresolved|unsolved|unanswered|onopgelost|onbeantwoord|still (locked|blocked)|"
        r"in circles|(same|identical) answer",
        r"standaard ?antwoord|copy-?paste|van het kastje naar de muur|rondjes|opnieuw uitleggen|"
        r"weer (alles )?uitleggen|verhaal (\w+ ){0,3}(herhalen|uitleggen)|bij nul beginnen|"
        r"probleem blijft|nog steeds (kapot|stuk)|is er nog steeds|genegeerd|"
        r"doorverw\w*|verwijst naar|hetzelfde antwoord|niet serieus genomen",
    ),
    *cues(
        "unresolved",
        NEGATED,
        r"(not|never|isn't|wasn't|hasn't been|without a|no) (\w+ ){0,1}(solved|resolved|"
        r"fixed|answered|solution|resolution)|nothing was (fixed|solved)|"
        r"(nobody|no one|no-one|noone) (could|can|was able to) help|"
        r"(didn't|did not|doesn't|does not) (\w+ ){0,2}(help|answer|address)|"
        r"(didn't|did not|doesn't|does not) understand (my|the) (problem|question|issue)|"
        r"(nobody|no one) (\w+ ){0,1}(solved|resolved|fixed)|nothing gets (fixed|solved)|"
        r"(couldn't|could not|can't|cannot) (solve|fix|resolve)|(didn't|did not) know the answer|"
        r"still (don't|do not) have an answer|couldn't help|"
        r"still no (solution|answer)|not helped",
        r"niet (\w+ ){0,1}(opgelost|beantwoord|geholpen)|nooit beantwoord|zonder oplossing|"
        r"geen oplossing|niets opgelost|niemand (\w+ ){0,2}(kon|kan) (\w+ )?helpen|"
        r"niemand weet|niemand heeft het opgelost|(beantwoorden|beantwoordde) (\w+ ){0,3}niet|"
        r"ging niet (in op|over)|hielp (\w+ ){0,2}niet|begreep (\w+ ){0,3}niet|"
        r"kon niet helpen|nog steeds geen antwoord|niets mee te maken|not solved|"
        r"niemand heeft (\w+ ){0,2}opgelost|(wordt|werd) niets opgelost|nog steeds geblokkeerd|"
        r"(kon|kan) (\w+ ){0,4}niet (oplossen|verhelpen)|wist (\w+ ){0,2}(antwoord|het) "
        r"(\w+ ){0,1}niet|nog een keer (\w+ ){0,1}uitleggen",
    ),
    # returns: returning a product is complicated, slow or expensive.
    *cues(
        "returns",
        TOPIC,
        r"return(s|ed|ing)?\b|refund\w*|send(ing)? (\w+ ){0,2}back|exchange for|"
        r"retour\w*",
        r"retour\w*|geretourneerd\w*|terug ?sturen|teruggestuurd|terugbetal\w*|"
        r"geld (\w+ ){0,6}terug|"
        r"ruilen (voor|van)",
    ),
    # waiting: long waits for customer service (hold, queue, slow or no reply).
    *cues(
        "waiting",
        COMPLAINT,
        r"on hold|queue|busy lines?|(heard|hear) nothing|get back to me",
        r"in de wacht|wachtrij|"
        r"(lijn|telefoon) is (altijd )?bezet|niets meer gehoord|doet (\w+ ){0,3}over het "
        r"beantwoorden|eeuwen over om te antwoorden",
    ),
    *cues(
        "waiting",
        TOPIC,
        r"(wait|waiting|hold|response|reply) times?",
        r"wachttijd\w*|reactietijd\w*",
    ),
    *cues(
        "waiting",
        NEGATED,
        r"no (reply|response|answer) (to|after|for|from)|(nobody|no one) (picks up|answers the)|"
        r"never available|still unanswered|"
        r"(doesn't|does not|don't) respond",
        r"(nog )?geen (reactie|antwoord) (op|na|van)|niemand neemt (\w+ ){0,2}op|"
        r"neemt niemand (\w+ ){0,2}op|reageert niet|nog steeds (niet beantwoord|onbeantwoord)",
    ),
    # human_contact: too much automation, no way to reach a person.
    *cues(
        "human_contact",
        TOPIC,
        r"chat ?bots?|\bbots?\b|robots?|virtual assistant|automat\w*|phone menu|(real|actual) "
        r"(person|human|employee|people)|(talk|speak|chat) (to|with) (a|an) (human|person)",
        r"chatbots?|\bbots?\b|robots?|virtuele assistent|geautomatiseerd|automati\w*|keuzemenu|"
        r"echt(e)? (mens|persoon|medewerker)|met (een|\w+ keer met een) (mens|persoon) "
        r"(\w+ )?(praten|spreken)",
    ),
    *cues(
        "human_contact",
        COMPLAINT,
        r"personal (contact|touch)|a computer|let me call|option to call|"
        r"(want|need) to call|(want|need) (a|an) (human|person)|someone who listens",
        r"menselijk\w* contact|persoonlijk\w* contact|"
        r"een computer|iemand (\w+ )?bellen|mogelijkheid om te bellen|"
        r"ik wil (\w+ ){0,2}mens|wil bellen|iemand die luistert",
    ),
    *cues(
        "human_contact",
        NEGATED,
        r"no (way to talk|human|phone number|number listed)|nobody to talk to|nobody picks up|"
        r"no phone|can't i (chat|call|talk)|(nobody|no one) (picks up|answers the)",
        r"geen (manier om een mens|menselijk|telefoonnummer)|"
        r"niemand om mee te praten|niemand neemt (\w+ ){0,2}op|neemt niemand (\w+ ){0,2}op|"
        r"geen mens|kan ik niet (chatten|bellen)|nergens een nummer",
    ),
)


@dataclass(frozen=True)
class ThemeMatch:
    """Why a comment got a theme: the theme, the cue's kind and the words that matched."""

    theme: str
    kind: str
    text: str


def normalize(comment: str) -> str:
    """Return `comment` lower-cased, without accents and with plain apostrophes."""
    if comment.isascii():
        # ASCII has no accents to take off and no typographic apostrophe (ingest's common case).
        return comment.lower().replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", comment.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("\u2019", "'").replace("`", "'")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the clauses of `text`."""
    spans, start = [], 0
    for breaker in CLAUSE_BREAK.finditer(text):
        spans.append((start, breaker.start()))
        start = breaker.end()
    spans.append((start, len(text)))
    return spans


def is_negated(before: str, window: int = NEGATION_WINDOW) -> bool:
    """Tell whether one of the last `window` words before a cue negates it."""
    words = WORD.findall(before)[-window:]
    for index, word in enumerate(words):
        if word in NEGATORS or word.endswith("n't"):
            following = words[index + 1] if index + 1 < len(words) else ""
            if following not in NEGATION_BREAKERS:
                return True
    return False


def is_praised(clause: str) -> bool:
    """Tell whether a clause praises its subject ("returning was easy", "handig")."""
    if WISH.search(clause):
        return False
    return any(not is_negated(clause[: praise.start()]) for praise in PRAISE.finditer(clause))


def clause_matches(clause: str, about_service: bool) -> list[ThemeMatch]:
    """Return the theme matches of one clause."""
    matches = []
    for cue in CUES:
        # Most cues find nothing in a clause: one search says so without building an iterator.
        if cue.pattern.search(clause) is None:
            continue
        for found in cue.pattern.finditer(clause):
            before = clause[: found.start()]
            if cue.kind == COMPLAINT and is_negated(before):
                continue
            if cue.kind == TOPIC and (is_negated(before, window=1) or is_praised(clause)):
                continue
            matches.append(ThemeMatch(cue.theme, cue.kind, found.group(0)))
            break
    for pattern, default in ((DURATION, "speed"), (WAIT, "waiting")):
        for found in pattern.finditer(clause):
            theme = contextual_theme(clause, about_service, default)
            if theme and not is_negated(clause[: found.start()]):
                matches.append(ThemeMatch(theme, COMPLAINT, found.group(0)))
    return matches


def contextual_theme(clause: str, about_service: bool, default: str) -> str | None:
    """Return the theme a time phrase ("took ages", "wachten") raises in its clause.

    Waiting on customer service is `waiting`, on a refund `returns`, on a page `speed`,
    on a search `findability`; waiting for a parcel is none of the six.
    """
    if SERVICE_CONTEXT.search(clause):
        return "waiting"
    if RETURNS_CONTEXT.search(clause):
        return "returns"
    if FIND_CONTEXT.search(clause):
        return "findability"
    if PAGE_CONTEXT.search(clause):
        return "speed"
    if DELIVERY_CONTEXT.search(clause):
        return None
    return "waiting" if about_service else default


def explain_themes(comment: str | None) -> list[ThemeMatch]:
    """Return every cue that fired on `comment`, in the order of THEMES."""
    if not comment:
        return []
    text = normalize(comment)
    about_service = SERVICE_CONTEXT.search(text) is not None
    matches = []
    for start, end in clause_spans(text):
        matches.extend(clause_matches(text[start:end], about_service))
    return sorted(matches, key=lambda match: THEMES.index(match.theme))


def comment_themes(comment: str | None) -> list[str]:
    """Return the complaint themes of `comment`, in the order of THEMES."""
    found = {match.theme for match in explain_themes(comment)}
    return [theme for theme in THEMES if theme in found]


def themes_mask(themes) -> int:
    """Return the bit mask that stores the theme names `themes`."""
    mask = 0
    for theme in themes:
        mask |= THEME_BITS[theme]
    return mask


def comment_mask(comment: str | None) -> int:
    """Return the bit mask of the complaint themes of `comment` (0 for none)."""
    return themes_mask(comment_themes(comment))


def mask_themes(mask: int) -> list[str]:
    """Return the theme names stored in bit mask `mask`, in the order of THEMES."""
    return [theme for theme in THEMES if mask & THEME_BITS[theme]]
