"""List the cues of the complaints that customer service left a case unresolved."""

from .cue_kit import CONTACT_VERB, COUNT, ORDINAL, cues
from .cues import COMPLAINT, HELPLESS, NEGATED, NEVER_CAME, RESTART, TOPIC

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
