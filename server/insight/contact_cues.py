"""List the cues of the complaints about reaching a person: human_contact."""

from .cue_kit import cues
from .cues import COMPLAINT, NEGATED, TOPIC

HUMAN_CONTACT = (
    *cues(
        "human_contact",
        TOPIC,
        r"chat ?bots?|\bbots?\b|robots?|(virtual|digital) (assistant|agent|helper)|automat(ed|ic)\b"
        r"(?! ['\"]| (acknowledg\w*|confirmation\w*|receipt|e-?mail|reply|response|message))|"
        r"phone menu|voice menu|ivr|(real|actual|live|human) (person|human|employee|people|"
        r"being|agent|voice)|(talk|speak|chat) (to|with) (a|an) (human|person)|press(ing)? (1|2|"
        r"3|one|two|three)|menu options|computer says|\bai\b|artificial intelligence|scripted|"
        r"(reading|read) from a script|no-?reply|human contact",
        r"chat ?(ro)?bots?|\bbots?\b|robots?|(virtuele|digitale) (assistent|medewerker|hulp)|"
        r"geautomatiseerd\w*|automatis(ch|che)\b(?! (antwoord|bevestiging|mail|e-mail|"
        r"ontvangst\w*|reactie|bericht))|keuzemenu|spraakmenu|toets (1|2|3|een|twee|drie)|"
        r"echt(e)? (mens|persoon|medewerker|stem)|met (een|\w+ keer met een) (mens|persoon) "
        r"(\w+ )?(praten|spreken)|vlees en bloed|\bai\b|kunstmatige intelligentie|"
        r"voorgeprogrammeerd\w*|script|bandje\b(?! (\w+ ){0,3}(druk|drukte|bezet)\b)|ingesproken|"
        r"antwoordapparaat|voicemail",
    ),
    *cues(
        "human_contact",
        COMPLAINT,
        r"personal (contact|touch)|a computer|let me call|option to call|"
        r"(want|wanted) to (call|speak|talk)|(need|needed) to (speak|talk)|(anybody|anyone|someone|"
        r"somebody) human|(a|one) (human|person|real person) please|no (one|body) to (call|ring|"
        r"phone)|only way (\w+ ){0,3}is (a|an|the|via|through|by) (\w+ )?(form|chat|app|e-?mail)|"
        r"(plays|played) (\w+ )?(a )?(recorded )?message|recorded message|(want|need|wanted|"
        r"needed|give me) "
        r"(a|an|to speak to a|to talk to a) (human|person|real)|someone who listens|"
        r"flesh and blood|only (a|an|via|through|by)? ?(\w+ )?(form|contact form|chat|web ?form|"
        r"app|email|e-mail)\b|contact form only|(refer|refers|referred|sends?|sent|point\w*) "
        r"(me )?(\w+ )?to the (faq|help (pages|centre|center)|website)|unreachable|"
        r"(impossible|not possible|no way|no possibility|no option) to (reach|contact|speak|"
        r"talk|call|chat)|how (\w+ ){0,3}(reach|get hold of) (you|anyone|someone|a person)|"
        r"(find|looking for|searching for|searched for|locate) (\w+ ){0,4}(phone|telephone|"
        r"contact) number|(phone|telephone|contact) number (\w+ ){0,4}(hidden|to find|buried)|"
        r"(removed|abolished|got rid of|scrapped|took away|dropped) (\w+ ){0,2}(phone|telephone)|"
        r"(nobody|no one) (\w+ )?(picks up|answers the)",
        r"menselijk\w* contact|persoonlijk\w* contact|een computer|via de computer|iemand "
        r"(\w+ )?(bellen|spreken)|mogelijkheid om te bellen|(wil|wilde|willen) (\w+ ){0,2}"
        r"(een )?(mens|persoon|medewerker|iemand) (\w+ )?(spreken|te spreken|praten|bellen)|"
        r"ik wil (\w+ ){0,2}(mens|persoon)|(zoek|wil|graag) (\w+ )?een mens|een mens,? graag|"
        r"iemand (\w+ )?(vragen|spreken)\b|iemand menselijk|(?<!terug )wil (\w+ )?bellen|"
        r"iemand die luistert|alleen "
        r"(\w+ )?(een|via|maar) (\w+ )?(formulier|contactformulier|chat|app|mail|e-mail)|"
        r"(verwijst|verwezen|stuurt) (me |mij )?(\w+ )?naar (de )?(faq|veelgestelde vragen|"
        r"website|helppagina)|onbereikbaar|niet te bereiken|hoe (\w+ ){0,3}bereiken|"
        r"(zoek\w*|gezocht|vinden|vind) (\w+ ){0,6}(telefoonnummer|telefoon nummer)|"
        r"telefoonnummer (\w+ ){0,4}(verstopt|te vinden|vinden)|(telefoon\w*|belmogelijkheid) "
        r"(\w+ ){0,2}afgeschaft|niemand neemt (\w+ ){0,2}op\b(?! zich)|neemt niemand (\w+ ){0,2}op",
    ),
    *cues(
        "human_contact",
        NEGATED,
        r"no (way to (\w+ )?(talk|speak|reach|call|contact|get hold)|human|phone number|"
        r"number listed|telephone|"
        r"phone line|option to (call|talk|speak))|nobody to talk to|nobody picks up|"
        r"no phone|(can't|cannot|couldn't|could not|unable to) (\w+ )?(chat|call|talk|speak|"
        r"reach|get hold of|get through to) (to |with )?(a|an|any|anyone|anybody|someone|"
        r"somebody|a real|an actual) ?(human|person|people|one|body|employee|agent)?|"
        r"(nobody|no one) (\w+ )?to (talk|speak) to|(no|without) (human|personal) contact|"
        r"(can't|cannot|couldn't|could not|no) (\w+ ){0,3}(phone|telephone) ?(number|line)",
        r"geen (manier om (een mens|iemand)|menselijk|telefoonnummer|nummer|telefoon|"
        r"belmogelijkheid|mens|persoon|medewerker (te )?(spreken|bereiken))|niemand om mee te "
        r"praten|niemand (\w+ )?(te )?(spreken|bereiken)|kan (\w+ )?(niet|nergens) (\w+ )?"
        r"(chatten|bellen|iemand spreken)|nergens een (telefoon)?nummer|(kan|kon|kun|kunt|"
        r"kunnen) (\w+ ){0,3}(niemand|geen mens|geen medewerker) (\w+ ){0,2}(spreken|bereiken|"
        r"bellen)",
    ),
)
