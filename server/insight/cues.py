"""Hold the words the tagger reads around its cues: negators, praise, clauses and contexts.

The cues themselves (the patterns that raise a theme) are listed in `theme_cues.py`; this
module holds what decides whether a cue counts and, for a time or slowness phrase, which
theme it raises. Everything is matched on the folded comment (lower-cased, accent-free,
see `matching.fold`). See docs/insight.md for the reasoning and the measured quality.
"""

import re
from dataclasses import dataclass

COMPLAINT, NEGATED, TOPIC, MEASURED = "complaint", "negated", "topic", "measured"

#: Words that cancel a COMPLAINT or TOPIC cue when they stand just before it, as does any
#: word ending in "n't"; apostrophe-less spellings ("didnt", "wasnt") are common.
NEGATORS = frozenset(
    {
        *("not", "no", "never", "without", "hardly", "nothing", "nor", "barely"),
        *("isnt", "wasnt", "didnt", "dont", "doesnt", "cant", "couldnt", "wont", "wouldnt"),
        *("arent", "werent", "hasnt", "havent", "hadnt", "neednt", "shouldnt", "aint"),
        *("niet", "nie", "geen", "nooit", "zonder", "nauwelijks", "amper", "niets", "niks"),
        "nergens",
    }
)
#: "Not only slow" still complains; a negator followed by one of these does not negate.
NEGATION_BREAKERS = frozenset({"only", "just", "alleen", "enkel", "eens", "even"})
#: How many words, and at most how many characters, before a cue a negator may stand.
NEGATION_WINDOW = 3
NEGATION_CHARS = 60

PRAISE = re.compile(
    r"\b(easy|easily|simple|simply|smooth(ly)?|quick(ly)?|fast|great|fine|good|well|helpful|"
    r"convenient|clear|excellent|free|no (problem|hassle|issue|fuss)s?|short|reasonable|"
    r"perfect\w*|brilliant|amazing|awesome|lovely|friendly|efficient\w*|swift(ly)?|prompt\w*|"
    r"painless|seamless\w*|effortless\w*|hassle-?free|flawless\w*|spot on|pleasant|intuitive|"
    r"handy|super|superb|impressed|happy|glad|satisfied|thanks to|a breeze|worked|"
    r"makkelijk|gemakkelijk|eenvoudig|simpel|soepel|snel|prima|goed|fijn|top|handig|"
    r"duidelijk|uitstekend|gratis|geen (probleem|gedoe|moeite)|kort|oke?|valt mee|"
    r"vriendelijk|vlot\w*|keurig|perfect|fantastisch|geweldig|netjes|probleemloos|"
    r"zonder (problemen|gedoe)|moeiteloos|tevreden|blij|handomdraai|super\w*|werkte|"
    r"straightforward|solved|resolved|opgelost|loste|same day|dezelfde dag|"
    r"right away|immediately|straight away|meteen|direct|(within|under|in) (a|an|one|two|three|"
    r"four|five|\d+) (minutes?|hours?|days?|weeks?)|(binnen|minder dan|nog geen|amper|maar) (een|"
    r"twee|"
    r"drie|vier|vijf|\d+) (minuut|minuten|uur|dag|dagen|week|werkdagen)|(less than|only|just) (a|"
    r"an|one|"
    r"two|\d+) (seconds?|minutes?))\b"
)
#: A wish ("returns should be simple") names what is missing; its praise words do not count.
WISH = re.compile(
    r"\b(should|ought to|would be nice|wish|zou(den)? \w+|moet(en)? (\w+ ){0,3}(zijn|worden)|"
    r"had (\w+ ){0,2}moeten)\b"
)
# "maar" is "but" except in "bleef maar laden", "alleen maar", where it only intensifies.
CLAUSE_BREAK = re.compile(
    r"[.!?;,:\n()]+|\b(?:but|however|although|though|echter)\b|"
    r"(?<!bleef )(?<!blijft )(?<!alleen )(?<!bleven )(?<!blijven )\bmaar\b"
)
WORD = re.compile(r"[a-z0-9']+")

#: What a clause is about, for phrases whose theme depends on it ("took ages", "slow",
#: "wachten"): the nearest of these words in the clause decides (see `matching.Context`).
CONTEXT_WORDS = {
    # First: "chatbot" is a bot before it is a chat.
    "bot": (
        r"chat ?(ro)?bots?|bots?|robots?|virtual \w+|virtuele \w+|digital assistant|digitale "
        r"assistent|automated|automatisch\w*|recorded|recording|plays a message|bandje|ingesproken"
    ),
    "service": (
        r"customer service|customer care|support|helpdesk|help desk|help ?line|hotline|"
        r"call ?cent(er|re)|klantenservice|klantendienst|klantcontact|service ?desk|servicedesk|"
        r"agent|agents|medewerker\w*|employee|staff|call|called|calling|"
        r"(?<!my )(?<!mijn )(?<!m'n )(?:phone\w*|telephone|telefo\w*|gsm)|gebeld|bellen|belde|bel|"
        r"belt|e-?mails?|e-?mailed|mails?|mailed|mailtje|"
        r"gemaild|chat\w*|reply|replied|replies|response|answer\w*|antwoord\w*|"
        r"reactie|gereageerd|terugbellen|callback|hold|on hold|in de wacht|"
        r"call back|teruggebeld|terugbel\w*|speak|spreken|someone|iemand|anyone|ticket|contact\w*|"
        r"message|bericht\w*|heard back|get back|got back|teruggehoord|klacht|complaint|"
        r"webform|contactformulier|asked|vroeg|gevraagd|silence|stilte|"
        r"department|departments|afdeling|afdelingen"
    ),
    "returns": (
        r"refund\w*|returns?|returned|returning|retour\w*|geretourneerd\w*|terugbetal\w*|"
        r"teruggestort|terugstort\w*|credited|credit note|creditnota"
    ),
    "find": (
        r"find|found|finding|vinden|vind|gevonden|zoek|zoekt|zoeken|zocht|gezocht|search\w*|"
        r"looking for"
    ),
    "page": (
        r"load\w*|laad\w*|laden|geladen|page|pages|pagina\w*|site|website|webshop|app|portal|"
        r"portaal|log ?in|logging in|inlog\w*|checkout|afrekenen|screen|scherm|button|knop|"
        r"click\w*|klik\w*|to open|opening|openen|browser|server|platform|mijn omgeving|"
        r"dashboard|winkelmand\w*|winkelwagen\w*|cart|basket|mandje"
    ),
    "delivery": (
        r"package|parcel|deliver\w*|shipment|shipping|shipped|arriv\w*|courier|order came|"
        r"pakket\w*|pakje|levering|geleverd|leveren|levertijd|bezorg\w*|zending|verzend\w*|"
        r"verstuurd|koerier|aankomen|kwam \w+ aan|installat\w*|monteur|technician|engineer|"
        # Journeys are the physical world too: a bus that took ages is no slow page.
        r"bus|train|trains|flight|flights|plane|taxi|cab|shuttle|ferry|tram|metro|hotel|transfer|"
        r"airport|"
        r"boarding|trein|vlucht|"
        r"vliegtuig|luchthaven|vliegveld|overstap"
    ),
}
CONTEXT = re.compile("|".join(rf"\b(?P<{name}>{words})\b" for name, words in CONTEXT_WORDS.items()))
SERVICE = re.compile(rf"\b(?:{CONTEXT_WORDS['service']})\b")


@dataclass(frozen=True)
class Context:
    """How a contextual cue picks its theme: per kind of nearby word, then a default.

    `themes` maps a context word's kind to the theme it gives (None: none of the six); the
    nearest such word in the clause decides. Without one, the comment's subject does:
    `default_service` when it speaks of customer service at all, `default` otherwise.
    """

    name: str
    themes: dict
    default_service: str | None
    default: str | None


#: "slow", "traag", "sloom": the site's speed, unless the clause is about service or refunds.
SLOWNESS = Context(
    "slowness",
    {"page": "speed", "find": "speed", "service": "waiting", "returns": "returns",
     "delivery": None},
    default_service="speed",
    default="speed",
)  # fmt: skip
#: "took ages", "duurt lang": time spent on whatever the clause is about.
DURATION = Context(
    "duration",
    {"page": "speed", "find": "findability", "service": "waiting", "returns": "returns",
     "delivery": None},
    default_service="waiting",
    default="speed",
)  # fmt: skip
#: "after twenty minutes", "een half uur later": time spent on the clause's subject, if any.
ELAPSED = Context(
    "elapsed",
    {"page": "speed", "find": "findability", "service": "waiting", "returns": "returns",
     "delivery": None},
    default_service="waiting",
    default=None,
)  # fmt: skip
#: "took ten days", "drie weken later": no page is slow by days; service or refunds are.
ELAPSED_DAYS = Context(
    "elapsed_days",
    {"service": "waiting", "returns": "returns", "delivery": None, "page": None, "find": None},
    default_service="waiting",
    default=None,
)  # fmt: skip
#: "wait", "wachten": waiting on service, unless the clause waits on a page or a refund.
WAIT = Context(
    "wait",
    {"page": "speed", "service": "waiting", "returns": "returns", "delivery": None},
    default_service="waiting",
    default="waiting",
)  # fmt: skip
#: "doesn't respond", "reageert niet": a person who does not answer, or a page that hangs.
NO_RESPONSE = Context(
    "no_response",
    {"service": "waiting", "page": "speed"},
    default_service="waiting",
    default="speed",
)  # fmt: skip
#: "took me ages": the customer's own effort, finding something or waiting; never a page.
EFFORT = Context(
    "effort",
    {"find": "findability", "service": "waiting", "returns": "returns", "page": None,
     "delivery": None},
    default_service="waiting",
    default=None,
)  # fmt: skip
#: "round and round": a page that spins, or a customer sent in circles by the service.
CIRCLES = Context(
    "circles",
    {"page": "speed", "service": "unresolved", "bot": "unresolved"},
    default_service="unresolved",
    default="speed",
)  # fmt: skip
#: "anywhere", "nergens": a thing not found, unless it is a way to reach someone (no phone
#: number anywhere is human_contact, which its own cues raise).
NOWHERE = Context(
    "nowhere", {"service": None, "bot": None}, default_service="findability", default="findability"
)
#: "never came", "never happened": a broken promise, not a parcel or a visit that never came.
NEVER_CAME = Context(
    "never_came", {"delivery": None, "returns": "returns"}, "unresolved", "unresolved"
)
#: "start all over again": a case told again to the service; a form filled in again is not.
RESTART = Context("restart", {"page": None}, default_service="unresolved", default=None)
#: "didn't help", "kon niet helpen": unresolved, unless a bot was the one that could not help.
HELPLESS = Context("helpless", {"bot": None}, default_service="unresolved", default="unresolved")
