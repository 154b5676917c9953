"""List the cues of the complaints about customer service: unresolved and waiting."""

from .cue_kit import (
    AMOUNT,
    AMOUNT_DAYS,
    CONTACT_VERB,
    COUNT,
    DATE,
    ORDINAL,
    WEEKDAY,
    cues,
)
from .cues import (
    COMPLAINT,
    DURATION,
    EFFORT,
    ELAPSED,
    ELAPSED_DAYS,
    HELPLESS,
    MEASURED,
    NEGATED,
    NEVER_CAME,
    NO_RESPONSE,
    RESTART,
    SLOWNESS,
    TOPIC,
    WAIT,
)

UNRESOLVED = (
    *cues(
        "unresolved",
        COMPLAINT,
        r"standard (reply|answer|response)|copy-?paste|going (round )?in circles|from one "
        r"department to|transferred|explain\w* (\w+ ){0,3}(again|every time|each time|all over)|"
        r"repeat(ed|ing)? (my|the|our) (story|problem|question|issue|details)|"
        r"(the whole|the full|the entire|my whole|all the) (story|background|history|details|"
        r"situation) (\w+ ){0,2}again|start(ed|ing)? from scratch|problem persists|"
        r"still (there|broken|not working|wrong|happening|charg\w*|getting|receiving|"
        r"the same|an issue|a problem|unsolved|unfixed|not sorted|not fixed|locked|blocked)|"
        r"ignored|unresolved|unsolved|unanswered|(same|identical) answer|"
        r"(same|identical) (problem|issue|error|fault)|happened again|"
        r"(different|conflicting|contradictory|other) (answers?|stor(y|ies)|information|info|"
        r"explanations?)|contradict\w*|(each|every|another) (agent|person|employee|one|time) "
        r"(\w+ )?(says?|said|tells?|told|gives?|gave) (me )?(something|a|another) "
        r"(different|else)|(someone|somebody) else (says|said|tells|told)|the other (one )?"
        r"(says|said)|which is it|who is right|(one|a straight|a consistent|a single) answer|"
        r"(passed|bounced|shuffled|sent|redirected|referred|pushed|kicked|"
        r"transferred) (\w+ ){0,3}(around|between|back and forth|from .{1,20} to)|"
        r"pillar to post|(another|other|different|wrong) department|not our department|"
        r"(nobody|no one) (feels|is|takes) responsib\w*|(from|van) (\w+ ){1,3}(to|naar) "
        r"(\w+ ){1,3}(to|naar) \w+|(for the|a) "
        + ORDINAL
        + r" time|"
        + COUNT
        + r" (\w+ ){0,3}"
        + CONTACT_VERB
        + r"|"
        + CONTACT_VERB
        + r" (\w+ ){0,3}(al )?"
        + COUNT
        + r"|(\d+|three|four|five|six|several|multiple|many|numerous|drie|vier|vijf|"
        r"zes|meerdere) (e-?mails|mails|calls|messages|tickets|reminders|berichten|"
        r"telefoontjes|herinneringen)|(sent|send|sending) (\w+ ){0,2}reminders?|"
        r"reminders?|(keep|kept|have to|had to) (\w+ )?(chasing|chase|calling back|call "
        r"back)|(call|calling|email|emailing|contact|chase|chasing|explain) "
        r"(\w+ ){0,3}(again and again|over and over)|every time (i|we) (call|contact|chat|email|"
        r"ring)|(ticket|case|complaint|request|issue) (\w+ ){0,3}(closed|marked (as )?\W?"
        r"(resolved|solved|done|closed|complete))|closed (my|the) (ticket|case|complaint|"
        r"request)|closed without|marked as \W?(resolved|solved|fixed)|(says|shows|status|"
        r"marked) (\w+ )?\W?(completed|complete|done|processed|closed|resolved|solved)|"
        r"(said|told|promised|assured|claimed|supposedly|apparently|confirmed) (\w+ )"
        r"{0,4}(was |is |it's |would be |will be |had been |has been )?(sorted|fixed|solved|"
        r"resolved|taken care of|handled|dealt with|on its way|processed)|supposed to (be|have "
        r"been) (fixed|sorted|solved)|(nobody|no one|noone) did\b|never (did|happened)\b|"
        r"(it|that|this|which) (wasn't|didn't|hasn't|isn't|never did|never was|never came)"
        r"(?=\s*[.!?,;]|\s*$)|no record|no trace|(reply|answer|response) (\w+ ){0,3}(had "
        r"nothing to do|was about something else|irrelevant|didn't (even )?answer|did not "
        r"answer)",
        r"standaard ?(antwoord|mail|tekst|reactie|bericht)|copy-?paste|kopieer-?plak|van het "
        r"kastje naar de muur|rondjes|opnieuw (\w+ ){0,3}(uitleggen|vertellen)|"
        r"(weer|opnieuw) (alles |het hele verhaal )?(uitleggen|vertellen|verteld|uitgelegd)|"
        r"verhaal (\w+ ){0,3}(herhalen|uitleggen|vertellen)|probleem blijft|"
        r"nog steeds (kapot|stuk|fout|verkeerd|hetzelfde|last|niet gerepareerd|geblokkeerd|"
        r"niet opgelost|onopgelost|niet verholpen|niet geregeld|niet werkend|mis)|"
        r"is er nog steeds|genegeerd|doorverw\w*|doorgeschakeld|doorverbonden|doorgestuurd|"
        r"verwijst naar|verwezen naar|hetzelfde (antwoord|probleem)|niet serieus genomen|"
        r"tegenstrijdig\w*|(ander|andere|verschillende) (verhaal|verhalen|antwoord|antwoorden|"
        r"informatie|uitleg)|(iedereen|elke medewerker|ieder) (zegt|vertelt) (iets )?anders|"
        r"de (een|ene) (\w+ )?(zegt|zei)|de (ander|andere) (\w+ )?(zegt|zei)|iemand anders "
        r"(zegt|zei)|(steeds|telkens|elke keer) (iets anders|een ander)|wie heeft (er )?(nu )?"
        r"gelijk|wat is het nou|(een|één|1) (duidelijk |eenduidig )?antwoord\b(?! (op|van|komt|"
        r"kwam|"
        r"kreeg|krijg\w*|ontvang\w*|te krijgen))|"
        r"(andere|verkeerde) afdeling|niet onze afdeling|heen en weer|"
        r"niemand (voelt zich|is|neemt) (\w+ )?verantwoordelijk\w*|wijzen naar elkaar|"
        r"niemand (neemt|pakt) (\w+ ){0,5}(op zich|aan)|"
        r"van afdeling naar afdeling|voor de " + ORDINAL + r" (keer|maal)|zoveelste keer|"
        r"(ticket|melding|klacht|zaak|storing|vraag|case) (\w+ ){0,3}(gesloten|afgesloten|"
        r"afgemeld|dichtgezet|op opgelost)|(als|op) \W?(opgelost|afgehandeld|afgerond)\W? "
        r"(gemarkeerd|gezet|afgemeld|gesloten)|staat op \W?(afgerond|opgelost|afgehandeld|"
        r"verwerkt|gesloten)|afgesloten zonder|steeds (weer )?opnieuw|telkens weer|keer op keer|"
        r"(weer|opnieuw|nogmaals) (moeten )?(bellen|mailen|contact|gebeld|gemaild)|(weer|zelfde|"
        r"hetzelfde) (verhaal|belofte)|dezelfde belofte|"
        r"standaardbrief|"
        r"(niet|nergens) (\w+ ){0,3}op (\w+ ){0,3}(ingaat|ingaan|ingegaan|inging)|"
        r"niet over (mijn|de|het) (\w+ )?(vraag|klacht|bezwaar|probleem|melding) (ging|gaat)|"
        r"keer (\w+ ){0,2}doorgegeven|en toch (\w+ ){0,4}weer|"
        r"(zei|zeiden|zegt|zeggen|beloofd\w*|verzekerd|beweerd\w*|bevestigd\w*|toegezegd) "
        r"(\w+ ){0,4}(opgelost|geregeld|verholpen|gefixt|in orde|aangepast|onderweg|binnen|"
        r"verwerkt)|(zou|zouden) (\w+ ){0,3}(opgelost|geregeld|verholpen|gefixt|aangepast) "
        r"(\w+ )?(zijn|worden)|niet dus|niemand (belde|deed|heeft gebeld|reageerde)|nooit "
        r"(gebeurd|gedaan|gekomen)|(is|werd) (nooit|niet) (gebeurd|gedaan)|was niet zo|"
        r"bleek niet (zo|waar|te kloppen)|(wist|wisten|weet|weten) van (niets|niks)|"
        r"(niets|niks) (van )?bekend|geen (\w+ )?(registratie|notitie|dossier)|"
        r"(antwoord|reactie) (\w+ ){0,3}(nergens op slaat|over iets (heel |totaal )?anders|"
        r"ging over iets)",
    ),
    *cues(
        "unresolved",
        COMPLAINT,
        r"\b(says|said|tells|told)\b[^.!?]{1,80}\b(says|said|tells)\b",
        r"\b(zegt|zei|zeggen|zeiden)\b[^.!?]{1,80}\b(zegt|zei|zeggen|zeiden)\b",
        within_clause=False,
    ),
    *cues(
        "unresolved",
        TOPIC,
        ORDINAL + r" (keer|maal|time|call|email|e-mail|mail|attempt|try|telefoontje|poging)\b",
    ),
    *cues(
        "unresolved",
        COMPLAINT,
        r"(closed|marked) (\w+ ){0,2}as \W?(resolved|solved|done|complete\w*)|still not (back|"
        r"fixed|received|refunded|sorted|resolved)|(the whole|my whole|the full|the entire|the "
        r"same) (\w+ )?(story|thing) (\w+ ){0,3}(again|from the start|from scratch)|"
        r"nothing to do with (what|my|the question|the problem)|standard (text|letter|e-?mail|"
        r"message)|forwarded to|(called|emailed|rang|phoned|wrote|asked|chased) again|"
        r"(same|the same) (story|promise)|every time:|each time (i'm|i am|i was|i get|we get) "
        r"told|(promised|beloofd|toegezegd) [^.!?]{0,60}(still (no|nothing|not)|nog (steeds )?"
        r"(niks|niets|geen|niet))",
        within_clause=False,
    ),
    # Sent to another channel, or to the one that fails: the case is not taken up (unless a
    # machine says so, which is human_contact's complaint).
    *cues(
        HELPLESS,
        COMPLAINT,
        r"(told|tell|tells|telling|said|says) (me |us )?(that )?(to|i (should|had to|have to|need "
        r"to|must)) (use|call|ring|email|e-mail|mail|check|go to|try|visit|fill)\b",
        r"(zei|zeiden|zegt|zeggen|te horen) (\w+ ){0,2}dat (ik|je|we) (\w+ ){0,3}(moest|moet|"
        r"moesten) (\w+ ){0,2}(mailen|bellen|invullen|gebruiken|langskomen)",
    ),
    *cues(NEVER_CAME, COMPLAINT, r"never (came|arrived|showed up)\b|(no one|nobody) came"),
    *cues(RESTART, COMPLAINT, r"opnieuw (\w+ ){0,3}beginnen|bij nul beginnen"),
    *cues(
        "unresolved",
        NEGATED,
        r"(not|never|isn't|wasn't|hasn't been|haven't been|without a|no|still not) (\w+ ){0,1}"
        r"(solved|resolved|fixed|answered|solution|resolution|sorted|repaired)|"
        r"nothing was (fixed|solved|done)|(nobody|no one|no-one|noone) (could|can|was able to|"
        r"seems able to|knows|knew) (\w+ )?(help|answer|explain|tell)|"
        r"(didn't|did not|doesn't|does not|don't|won't|never) (really |actually |even )?(answer|"
        r"address|solve|fix|resolve|read)|(didn't|did not|doesn't|does not) understand (my|the) "
        r"(problem|question|issue)|(nobody|no one) (\w+ ){0,1}(solved|resolved|fixed)|"
        r"nothing (gets|got|has been) (fixed|solved|done)|(couldn't|could not|can't|cannot|"
        r"unable to) (solve|fix|resolve|explain|tell me)|(didn't|did not) know the answer|"
        r"still (don't|do not|doesn't|haven't|have no) (\w+ )?(work|solution|fix|idea)|"
        r"still no (solution|fix)|no (real |actual )?(solution|fix)\b",
        r"niet (\w+ ){0,1}(opgelost|geholpen|verholpen|geregeld)|"
        r"(?<!steeds )niet (\w+ )?beantwoord|"
        r"nooit beantwoord|"
        r"zonder oplossing|geen oplossing|niets opgelost|niemand (\w+ ){0,2}(kon|kan) "
        r"(\w+ )?(helpen|uitleggen|vertellen)|niemand weet|niemand heeft het opgelost|"
        r"(beantwoorden|beantwoordde) (\w+ ){0,3}niet|ging niet (in op|over)|"
        r"begreep (\w+ ){0,3}niet|begrijpen (\w+ ){0,3}niet|nog steeds "
        r"geen oplossing|niets mee te maken|not solved|niemand heeft (\w+ ){0,2}"
        r"opgelost|(wordt|werd|is) (er )?(niets|niks) (aan )?(opgelost|gedaan)|nog steeds "
        r"geblokkeerd|(kon|kan|konden|kunnen) (\w+ ){0,4}niet (oplossen|verhelpen|"
        r"uitleggen)|wist (\w+ ){0,2}(antwoord|het) (\w+ ){0,1}niet|nog een keer (\w+ ){0,1}"
        r"uitleggen|(lost|losten|loste) (\w+ ){0,3}niet op|(niets|niks) mee opgeschoten",
    ),
    # Help that did not come: from a bot it is the automation's fault (human_contact says so).
    *cues(
        HELPLESS,
        NEGATED,
        r"(didn't|did not|doesn't|does not|don't|won't|never) (really |actually |even )?help|"
        r"(couldn't|could not|can't|cannot|unable to) (\w+ )?help|not helped|no help\b",
        r"hielp (\w+ ){0,2}niet|(kon|kan|konden|kunnen) (\w+ ){0,4}niet (\w+ )?helpen|"
        r"geen hulp|niet geholpen",
    ),
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
