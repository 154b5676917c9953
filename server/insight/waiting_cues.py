"""List the cues of the complaints about waiting for customer service."""

from .cue_kit import AMOUNT, AMOUNT_DAYS, DATE, WEEKDAY, cues
from .cues import (
    COMPLAINT,
    DURATION,
    EFFORT,
    ELAPSED,
    ELAPSED_DAYS,
    MEASURED,
    NEGATED,
    NO_RESPONSE,
    SLOWNESS,
    TOPIC,
    WAIT,
)

WAITING = (
    *cues(
        WAIT,
        COMPLAINT,
        r"(?<!what i was )(?<!i've been )wait(ed|ing|s)?\b(?! times?\b)|waitd|await\w*|"
        r"(?<!op zat te )(?<!op zit te )(?<!op zaten te )(?<!op te )(wacht|wachten|wachtte|"
        r"gewacht)\b",
    ),
    *cues(
        DURATION,
        COMPLAINT,
        r"(takes?|took|taking|take) (?!me )(\w+ ){0,3}(forever|ages|long(er)?|an eternity|eons)\b|"
        r"forever to|ages to|for (hours|ages)|an eternity|(minuten|uren|eeuwen)lang",
        r"(duurt|duurde|doet er|deed er|kost|kostte) (?!me )(\w+ ){0,3}(lang|eeuwen|eindeloos|"
        r"een eeuwigheid|jaren)\b|eeuwen over|een eeuwigheid",
    ),
    # A bare amount of time ("took 2 minutes") complains only in a comment that does not praise.
    *cues(
        DURATION,
        MEASURED,
        r"(takes?|took|taking|take) (\w+ ){0,3}(minute|min|hour)s?\b",
        r"(duurt|duurde|doet er|deed er|kost|kostte) (\w+ ){0,3}(minuut|minuten|uur|uren|"
        r"kwartier)\b",
    ),
    # Seconds are a machine's time: a search that takes 20 seconds is slow, not hard to use.
    *cues(
        SLOWNESS,
        MEASURED,
        r"(takes?|took|taking|take) (\w+ ){0,3}(second|sec)s?\b",
        r"(duurt|duurde|doet er|deed er|kost|kostte) (\w+ ){0,3}(seconden|seconde|sec)\b",
    ),
    *cues(
        EFFORT,
        COMPLAINT,
        r"(takes?|took|taking|take) me (\w+ ){0,2}(forever|ages|long|an eternity|eons)\b",
        r"(duurt|duurde|kost|kostte) me (\w+ ){0,2}(lang|eeuwen|eindeloos|een eeuwigheid)\b",
    ),
    *cues(
        ELAPSED_DAYS,
        COMPLAINT,
        rf"(takes?|took|taking|take) (\w+ ){{0,3}}(days?|weeks?|months?|fortnight)\b|for (days|"
        rf"weeks|months)|(after|only after|more than|over|almost|nearly|it's been|its been|"
        rf"it has been|been|since) (\w+ )?{AMOUNT_DAYS}|{AMOUNT_DAYS} (later|ago|since|"
        rf"of (silence|nothing|"
        rf"waiting)|and (still )?(no|nothing|counting)|without|for|to get|before|until|till)|"
        rf"silence for (\w+ )?{AMOUNT_DAYS}|(since|sinds) (last )?"
        rf"({WEEKDAY}|last week|vorige week)|(dagen|weken|maanden)lang|a fortnight later",
        rf"(duurt|duurde|doet er|deed er|kost|kostte) (\w+ ){{0,3}}(dag|dagen|week|weken|maand|"
        rf"maanden)\b|(na|pas na|ruim|meer dan|bijna|al|sinds|inmiddels) (\w+ )?{AMOUNT_DAYS}|"
        rf"{AMOUNT_DAYS} (later|geleden|verder|en (nog )?(steeds )?(niets|niks|geen)|op|voor|"
        rf"tot|gewacht)",
    ),
    *cues(
        ELAPSED,
        COMPLAINT,
        rf"(after|only after|more than|over|almost|nearly|been) (\w+ )?{AMOUNT}|{AMOUNT} "
        rf"(later|and (still )?(no|nothing|counting))",
        rf"(na|pas na|ruim|meer dan|bijna|al) (\w+ )?{AMOUNT}|{AMOUNT} (later|verder|en (nog )?"
        rf"(steeds )?(niets|niks|geen))",
    ),
    *cues(
        ELAPSED_DAYS,
        COMPLAINT,
        rf"{DATE}[^?!]{{1,120}}{DATE}|(on|the) \d{{1,2}}(st|nd|rd|th)\b[^?!]{{1,120}}\bthe "
        rf"\d{{1,2}}(st|nd|rd|th)\b",
        within_clause=False,
    ),
    # "geopend om 10:00, om 11:15 eindelijk iemand": the time between two clock times.
    *cues(
        ELAPSED,
        COMPLAINT,
        r"\d{1,2}[:.h]\d\d\b[^.!?]{1,60}\b\d{1,2}[:.h]\d\d\b",
        within_clause=False,
    ),
    *cues(
        NO_RESPONSE,
        NEGATED,
        r"(doesn't|does not|don't|didn't|did not|never|hasn't|has not|haven't|have not|won't|"
        r"not yet|not) (\w+ )?(respond|react|repl(y|ied|ies)|got back|gotten back|"
        r"called back)\b|no reaction",
        r"reageert (\w+ )?(niet|nooit|niemand)|reageerde (\w+ )?(niet|nooit|niemand)|"
        r"reageren (\w+ )?(niet|nooit)",
    ),
    *cues(
        "waiting",
        COMPLAINT,
        r"on hold|queue|busy lines?|lines? (is|are|was) (always )?busy|(heard|hear) nothing|"
        r"get back to me|hold music|holding music|elevator music|muzak|(all )?(our )?agents are"
        r" (busy|occupied)|(number|position|place) \d+ in|radio silence|ghosted|left on read|"
        r"(zero|0) (replies|responses|answers)|(nobody|no one) (replies|responds|answers|gets "
        r"back|got back)|finally (got|get|reached|heard|an answer|a reply|a response)|"
        r"\d+ (people|customers|callers) (ahead of|in front of|before) (me|us)",
        r"in de wacht|wachtrij|(lijn|telefoon|nummer) is (altijd |steeds |constant )?bezet|"
        r"(niets|niks) (meer )?(van \w+ )?(gehoord|teruggehoord|vernomen)|doet (\w+ ){0,3}over"
        r" het beantwoorden|eeuwen over om te antwoorden|wachtmuziek\w*|muziekje|deuntje|"
        r"(alle )?medewerkers (zijn )?(bezet|in gesprek)|(nummer|plek|plaats|positie) \d+|"
        r"radiostilte|(0|nul) (antwoorden|reacties)|eindelijk (een antwoord|antwoord|"
        r"een reactie|reactie)|wachtenden|\d+ (mensen|personen|klanten|bellers) voor "
        r"(me|mij|ons)|(terugbellen|reageren|antwoorden) (doen|deden) (ze|jullie) (niet|nooit)",
    ),
    *cues(
        "waiting",
        MEASURED,
        rf"{AMOUNT} (\w+ ){{0,2}}(on|in|at) (the )?(phone|line|chat)",
        rf"{AMOUNT} (\w+ ){{0,2}}(aan|in|op) (de )?(telefoon|lijn|chat)",
    ),
    *cues(
        "waiting",
        COMPLAINT,
        rf"{WEEKDAY}[^.!?]{{0,40}}[^a-z]+(it's|its|it is|now|today is|nu is het|inmiddels|"
        rf"vandaag is het|en het is|het is nu|het is|nu|vandaag) (\w+ )?{WEEKDAY}",
        within_clause=False,
    ),
    *cues(
        "waiting", TOPIC, r"(wait|waiting|hold|response|reply) times?", r"(wacht|reactie)tijd\w*"
    ),
    *cues(
        "waiting",
        NEGATED,
        r"(no|never got a|never received a|never had a|still no|without any|(didn't|did not|never) "
        r"(get|got|receive|received|had) (a|an|any)) (reply|response|"
        r"answer|callback|call back)\b(?! (that|which) )|no (human|real|proper|single|"
        r"actual) (reply|"
        r"response|answer)|(nobody|no one) (picks up|answers the|"
        r"answers)|never available|still unanswered|(never|haven't|have not|didn't|did not) "
        r"(\w+ )?(heard|hear) (back|anything)|never (got|get) back|never called (me )?back|"
        r"(can't|cannot|couldn't|could not|unable to) get through|(still )?nothing back|"
        r"not a peep|no word (yet|from)",
        r"(nog )?(steeds )?geen (reactie|antwoord|reply)\b|niemand neemt (\w+ ){0,2}op\b"
        r"(?! zich)|neemt niemand (\w+ ){0,2}op|nog steeds (niet beantwoord|onbeantwoord)|"
        r"(nooit|niet) (\w+ )?teruggebeld|(belt|belde|bellen) (\w+ ){0,2}(nooit|niet) terug|"
        r"nooit (meer )?(iets )?(van )?(gehoord|teruggehoord)|(kom|kwam) (\w+ )?niet door",
    ),
)
