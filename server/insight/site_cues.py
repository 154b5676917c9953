"""List the cues of the complaints about the site and the product: speed, findability, returns."""

from .cue_kit import cues
from .cues import CIRCLES, COMPLAINT, NEGATED, NOWHERE, SLOWNESS, TOPIC

SPEED = (
    *cues(
        SLOWNESS,
        COMPLAINT,
        r"slo+w\w*|sluggish|lag(s|gy|ging)?\b|crawl\w*|snail\w*|molasses|tra+g\w*|tra+ge|"
        r"langza+m\w*|slo+m\w*|stroperig|tergend",
    ),
    *cues(
        "speed",
        COMPLAINT,
        r"freez\w*|froze|frozen|time ?-?outs?|times? out|timing out|timed out|hangs\b(?! up)|"
        r"hanging\b(?! up)|hung\b(?! up)|spun\b|unresponsive|(load|loads|loading|"
        r"loaded) (\w+ ){0,3}(forever|for ages|endlessly|"
        r"long|slow\w*)|(takes?|took|taking) (\w+ ){0,2}(longer|so long|too long|ages|forever) to "
        r"(load|open|start|refresh)|load times?|loading times?|performance (is|was)|spinn(er|"
        r"ing)|spins|"
        r"wheel of death|hourglass|buffer\w*|(keeps?|kept) (on )?(loading|"
        r"spinning|buffering|hanging)|still loading|endless(ly)? loading|stuck (on|at) (the )?"
        r"loading|loading (screen|icon|circle|bar)|dial-?up|like it's (19|20)\d\d|"
        r"white screen|blank (page|screen)|(screen|page|spinner|wheel|circle) (\w+ ){0,2}(forever|"
        r"for ages|endlessly)|(keeps?|kept) (on )?(showing|displaying) (the same|that|this)",
        r"(loopt|liep|lopen|liepen) (\w+ ){0,2}vast|vastlop\w*|bevr\w*|bevroor|time-?out|hapert|"
        r"haperen|schokkerig|hangt\b(?! (\w+ ){0,3}(af|op)\b)|hing\b(?! (\w+ ){0,2}op\b)|"
        r"(blijft|bleef|bleven|blijven) (\w+ ){0,2}(hangen|laden|draaien|ronddraaien|denken|"
        r"rondjes draaien)|(stond|staat|stonden) (\w+ ){0,3}te (draaien|laden|hangen|denken)|"
        r"laadtijd\w*|draaiend\w* (wieltje|rondje|cirkel\w*)|wieltje|zandloper|rond en rond|"
        r"eeuwen over om te laden|(laadt|laden|laad) (\w+ ){0,3}(lang|eeuwig|eindeloos|traag|"
        r"seconden|minuten|minuut)|(draait|draaide|draaien|draaiend) (\w+ ){0,2}(eindeloos|eeuwig|"
        r"maar) (rond|door)|"
        r"inbelmodem|wit scherm|leeg scherm",
    ),
    *cues(CIRCLES, COMPLAINT, r"round and round|going in circles", r"rond en rond"),
    *cues(
        "speed",
        COMPLAINT,
        r"(loading|laden)\W+(loading|laden)",
        within_clause=False,
    ),
    *cues(
        "speed",
        NEGATED,
        r"(doesn't|does not|won't|didn't|never|did not) (\w+ )?(load|finish|open)\w*|"
        r"does nothing for|nothing happens for",
        r"laadt? (\w+ )?(niet|nooit)|laden (niet|nooit)|gebeurt (er )?(\w+ ){0,3}(niets|niks)",
    ),
)

FINDABILITY = (
    *cues(
        "findability",
        COMPLAINT,
        r"hard to (find|locate|spot)|difficult to find|impossible to find|took me \w+ to find|"
        r"(trouble|problems?|struggl\w*) (finding|to find)|(is|are|was|were|so|well|deeply) "
        r"hidden|hidden (away|behind|under|in|somewhere)|hide (the|it|them|this|your)|buried|"
        r"(confusing|illogical|unclear|messy|chaotic|cluttered) (menu|menus|navigation|layout|"
        r"structure|site|website|app|portal)|illogical|not logical|makes no sense where|"
        r"(menu|menus|navigation|layout|structure) (\w+ ){0,2}(is |are |was )?(\w+ )?(confusing|"
        r"illogical|unclear|a mess|chaotic|a maze|a labyrinth|a nightmare|terrible|awful|"
        r"makes no sense|make no sense)|(menu|navigation|layout|structure)\b[^.!?;,:]{0,40} (is|"
        r"are|was|"
        r"were) (\w+ )?(confusing|illogical|unclear|a mess|chaotic|a maze)|maze|labyrinth|"
        r"hard to navigate|get lost|got lost|"
        r"search (function|bar|engine|box|facility|results?)? ?(is|are|was|were)? ?(\w+ )?"
        r"(useless|terrible|awful|irrelevant|broken|rubbish|hopeless|a joke|pointless|junk|"
        r"random|nonsense|garbage)|search (\w+ ){0,2}(doesn't|does not|didn't|did not|can't|"
        r"cannot|never) (\w+ ){0,2}(understand|work|find|know|recogni[sz]e)|search (\w+ )?thinks|"
        r"(no|zero|0) (search )?results|nothing (came|comes|come|shows|turns|showed|pops) up|"
        r"gave up (\w+ ){0,2}(looking|searching|finding|trying to find)|"
        r"filter(s|ing)? (\w+ ){0,3}(don't|doesn't|didn't|do not|does not|never) (\w+ )?"
        r"(work|filter|do anything|apply)|filters? (are|is) (useless|broken|pointless)|"
        r"filters?\b[^.!?;]{0,60} (do|does|did) nothing|ignores? (the|my) filters?|need (a|"
        r"an) (phd|degree|diploma|map|detective)|had to (ask )?google|google (knows|finds|found)|"
        r"sorting (doesn't|does not) work|"
        r"searched (everywhere|high and low|for ages)|looked everywhere|look everywhere|"
        r"had to (dig|hunt|google|scroll)|(ten|too many|\d+) clicks|scroll(ed|ing)? (forever|"
        r"endlessly|for ages)|(too little|not enough|no|missing|lack of) (info|information|"
        r"details) (about|on|regarding)",
        r"moeilijk te vinden|lastig te vinden|slecht te vinden|onvindbaar|(zit|zitten|is|zijn|"
        r"staat|staan|ligt|diep|ergens|goed|helemaal) verstopt|verstopt (achter|onder|in|op)|"
        r"weggestopt|zoekfunctie (werkt|snapt|is|vindt|geeft|levert)|zoekbalk is|"
        r"zoekresultaten (kloppen|zijn)|zoeken op [^.!?;,:]{1,40} (geeft|levert|toont)|"
        r"(zoek\w*) (\w+ )?(geeft|toont|levert|begrijpt|snapt|herkent|kent) (\w+ )?(willekeurig\w*|"
        r"onzin|troep|rommel|niks|niets|verkeerde|rare|niet)|"
        r"geen (zoek)?resultaten|0 resultaten|levert (niets|niks|geen|0) (\w+ )?(op|resultaten)|"
        r"navigatie|lastig navigeren|weg kwijt|(onduidelijk|onlogisch|chaotisch|rommelig) menu|"
        r"menu is (\w+ )?(onduidelijk|onlogisch|chaotisch|rommelig)|onlogisch|onlogische|"
        r"niet logisch|doolhof|onoverzichtelijk\w*|zoek (me|je) (suf|rot|gek|een ongeluk|kapot|"
        r"wezenloos|blind)|zocht (me|ik me) (suf|rot|gek|een ongeluk|kapot|wezenloos|blind)|"
        r"filters? (\w+ ){0,2}(werk(t|en)|doe(t|n)|filter(t|en)) (\w+ )?(niet|niks|niets)|"
        r"filter(en)? (is|zijn) (nutteloos|zinloos)|sorteren werkt niet|"
        r"(diploma|doctoraat|kaart|speurneus|detective) (\w+ ){0,8}(te )?(terug)?vinden|"
        r"hoe (vind|kom) ik|"
        r"(google|googlen|gegoogeld) (\w+ ){0,2}(weet|vindt|vond|beter)|(eindeloos|eeuwig|"
        r"lang) (moeten )?(zoeken|scrollen)|moest (\w+ ){0,3}zoeken|"
        r"(\d+|tien|te veel) klikken|(te weinig|geen|onvoldoende|ontbrekende) (info|informatie)"
        r" (over|van|op)",
    ),
    *cues(
        "findability",
        COMPLAINT,
        r"search(ed|ing|es)?\b[^.!?;]{0,50} (shows?|showed|shown|gives?|gave|returns?|"
        r"returned|brings? up|brought up|came back with|comes back with|i get|i got|got me|"
        r"was shown|get shown|nothing)\b",
        r"(zoek|zoekt|zocht|zoeken|intyp\w*|typ|tik|zoekvak|zoekbalk)\b[^.!?;]{0,50} (krijg|"
        r"krijgt|krijgen|kreeg|geeft|gaf|toont|toonde|levert|zie|zag|niets|niks)\b",
        within_clause=False,
    ),
    *cues(
        "findability",
        NEGATED,
        r"(can't|cannot|can not|couldn't|could not|unable to|didn't|did not|don't|do not|never|"
        r"still didn't|still can't|won't|doesn't|does not) (\w+ ){0,3}(find|locate|see where|"
        r"spot)\w*\b(?! (it|that|this|them) (\w+ )?(slow|fast|easy|hard|difficult|helpful|"
        r"useful|confusing|annoying))|where(s\b|'s|\?)(?! (\w+ )?(my|our)\b)|"
        r"(?<!asking )(?<!asked )(?<!ask )where (tf |the hell |"
        r"the heck |on earth |exactly )?((is|are)\b(?! (\w+ )?(my|our)\b)|can|do|does|did|to|"
        r"would|should|could|i can|can i|do i|i find)\b|(spent|spend|spending|"
        r"wasted) [^.!?;,:]{1,30} "
        r"(looking|searching)|no idea (where|how to)|not clear where|"
        r"how (do|can) i (find|get to|reach the|access)|nothing found",
        r"(kan|kon|kunnen|konden|kun|kunt) (\w+ ){0,5}(niet|nergens|nooit) (\w+ ){0,5}(vinden|"
        r"vinde|gevonden|terugvinden|ontdekken)|(vind|vond) (\w+ ){0,4}(nergens|nooit)\b|"
        r"(vind|vond) (\w+ ){0,4}niet(?=\s*[.!?,;]|\s*$)|(niet|nergens|"
        r"nooit) (meer )?(te )?(terug)?(vinden|gevonden|vinde)|"
        r"nergens (te )?(bekennen|zien)|nergens staat|staat nergens|waar\s*\?|waar (zit|zitten|"
        r"vind|staat|staan|kan ik|kun je|moet ik|vul|vindt|moet je)\b|waar (is|zijn)\b"
        r"(?! (\w+ )?(mijn|m'n)\b)|(heb|had) (\w+ ){0,2}opgegeven (\w+ ){0,4}(te )?zoeken|"
        r"wist niet waar|geen idee waar|(niet|on)duidelijk waar|"
        r"vind je nooit|nooit vinden|(minuten|uur|uren|lang) (\w+ ){0,4}gezocht|"
        r"(niets|niks) (te )?(gevonden|vinden)",
    ),
    *cues("findability", TOPIC, r"search (bar|function|engine|box)", r"zoek(functie|balk|machine)"),
    *cues(NOWHERE, NEGATED, r"nowhere|anywhere"),
)

RETURNS = (
    *cues(
        "returns",
        TOPIC,
        r"(?<!search )(?<!it )(?<!filter )return(s|ed|ing)?\b(?! (flight|trip|journey|ticket|"
        r"call|calls|visit|leg|fare|0|zero|no|nothing|an error|results?)\b)|refund\w*|"
        r"send(ing)? (?!(me|us) )(\w+ ){0,2}back|sent (?!(me|us) )(\w+ ){0,2}back"
        r"|exchange (for|it|them)|bring (it|them|\w+) back",
        r"retour(?!vlucht|ticket|reis|rit)\w*|geretourneerd\w*|terug ?(sturen|stuur|brengen|"
        r"gestuurd|gebracht|zenden|gezonden)|terug te (sturen|brengen|zenden)|teruggestuurd|"
        r"teruggezonden|terugzend\w*|terugbetal\w*|teruggestort|terugstort\w*|"
        r"geld (\w+ ){0,6}terug|(stuur|stuurde|stuurden|stuurt|breng|bracht|brachten|zend|"
        r"zond) (\w+ ){0,4}terug\b|(om)?ruilen (voor|van)|omruilen",
    ),
)
