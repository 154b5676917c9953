"""Hold the demo's sample comments in English and Dutch, grouped by what they are about."""

#: Complaints by topic: each names the complaint theme it raises (SPEC's six) or None.
COMPLAINTS = {
    "slow_payment": {
        "theme": "speed",
        "en": [
            "The payment page took ages to load.",
            "So slow. I waited almost a minute after clicking pay.",
            "The loading spinner kept spinning after I pressed pay, very frustrating.",
            "It took three tries because the payment page kept timing out.",
            "Way too slow, the bank redirect hung for ages.",
        ],
        "nl": [
            "De betaalpagina laadt ontzettend traag.",
            "Het duurde eeuwen voordat de betaling door was.",
            "Na het klikken op betalen bleef hij maar laden.",
            "Betaalpagina liep steeds vast, drie keer opnieuw moeten proberen.",
            "De doorverwijzing naar iDEAL bleef hangen, veel te langzaam.",
        ],
    },
    "slow_site": {
        "theme": "speed",
        "en": [
            "Site is really slow on my phone, every page takes forever.",
            "Pages load slowly, especially the product photos.",
            "Checkout is sluggish, I almost gave up.",
            "Everything loads so slowly today.",
        ],
        "nl": [
            "Site is erg traag op mijn telefoon.",
            "Alles duurt zo lang om te laden, vooral de foto's.",
            "Afrekenen gaat stroperig, ik was bijna afgehaakt.",
            "Het laden gaat vandaag echt tergend langzaam.",
        ],
    },
    "search": {
        "theme": "findability",
        "en": [
            "Search doesn't find anything when I type 'trail shoes'.",
            "Where are the filters for size and colour? Couldn't find them.",
            "The menu is confusing, took me a while to find the jackets.",
            "Search results show everything except what I searched for.",
        ],
        "nl": [
            "De zoekfunctie vindt niks als ik 'hardloopschoenen' intyp.",
            "Waar zitten de filters op maat en kleur? Niet te vinden.",
            "Het menu is onduidelijk, lang moeten zoeken naar de jassen.",
            "Zoekresultaten kloppen niet, ik vind niet wat ik zoek.",
        ],
    },
    "info": {
        "theme": "findability",
        "en": [
            "I couldn't find the size chart anywhere.",
            "Hard to find the shipping costs before checkout.",
            "I was looking for the return policy but couldn't find it.",
            "Could not find where to enter my discount code.",
        ],
        "nl": [
            "Ik kon de maattabel nergens vinden.",
            "Verzendkosten zijn pas helemaal aan het eind te vinden.",
            "Ik zocht het retourbeleid maar kon het niet vinden.",
            "Kon niet vinden waar ik mijn kortingscode moest invullen.",
        ],
    },
    "unresolved": {
        "theme": "unresolved",
        "en": [
            "Asked about my missing order twice, still no answer that solves it.",
            "The chat closed my question but the problem is not solved.",
            "Had to explain the whole story again to a second agent.",
            "My question about the double charge is still unresolved.",
            "Got a standard reply that didn't answer my question at all.",
            "Every time I call I have to start from scratch and explain everything again.",
            "Payment failed and support couldn't tell me why. Still not fixed.",
        ],
        "nl": [
            "Twee keer gevraagd waar mijn bestelling blijft, nog steeds geen oplossing.",
            "De chat sloot mijn vraag af maar het probleem is niet opgelost.",
            "Moest mijn hele verhaal opnieuw uitleggen aan een tweede medewerker.",
            "Mijn vraag over de dubbele afschrijving is nog steeds niet opgelost.",
            "Kreeg een standaardantwoord dat mijn vraag helemaal niet beantwoordt.",
            "Elke keer als ik bel moet ik alles weer opnieuw uitleggen.",
            "Betaling mislukt en de klantenservice weet niet waarom. Nog steeds niet opgelost.",
        ],
    },
    "returns": {
        "theme": "returns",
        "en": [
            "Returning these shoes is way too complicated.",
            "Why do I need to print a label to return something? No printer at home.",
            "The return form keeps giving an error.",
            "Returns are a hassle: I had to fill in the order number three times.",
            "Two weeks after sending my return I still have no refund.",
            "Couldn't figure out how to return just one item from my order.",
            "The return process is confusing, too many steps.",
        ],
        "nl": [
            "Retourneren is veel te ingewikkeld.",
            "Waarom moet ik een label printen om iets terug te sturen? Ik heb geen printer.",
            "Het retourformulier geeft steeds een foutmelding.",
            "Retour sturen is een gedoe, drie keer mijn ordernummer moeten invullen.",
            "Twee weken na het terugsturen nog steeds geen geld terug.",
            "Ik snap niet hoe ik maar één artikel uit mijn bestelling kan retourneren.",
            "Het retourproces is omslachtig, veel te veel stappen.",
        ],
    },
    "waiting": {
        "theme": "waiting",
        "en": [
            "Waited 40 minutes on the phone before anyone picked up.",
            "Customer service takes days to reply to an email.",
            "I was number 23 in the queue for the chat.",
            "Three days and still no reply from customer service.",
            "The hold music is nice but 25 minutes is too long.",
            "Long wait times for support, every single time.",
        ],
        "nl": [
            "40 minuten in de wacht gestaan voordat er iemand opnam.",
            "De klantenservice doet er dagen over om een mail te beantwoorden.",
            "Ik was nummer 23 in de wachtrij van de chat.",
            "Drie dagen verder en nog steeds geen reactie van de klantenservice.",
            "De wachttijd aan de telefoon is echt veel te lang.",
            "Iedere keer lang wachten op de klantenservice.",
        ],
    },
    "bot": {
        "theme": "human_contact",
        "en": [
            "I just want to talk to a real person, not a chatbot.",
            "The bot keeps sending me to the FAQ. Let me speak to a human!",
            "There is no phone number, only the virtual assistant.",
            "Too much automation, I couldn't reach a person.",
            "The chatbot didn't understand my question, please let me reach an employee.",
            "Automated emails only, no human ever read my message.",
        ],
        "nl": [
            "Ik wil gewoon een echt mens spreken, geen chatbot.",
            "De bot stuurt me steeds naar de veelgestelde vragen. Laat me een medewerker spreken!",
            "Geen telefoonnummer, alleen de digitale assistent.",
            "Alles is geautomatiseerd, ik kreeg niemand te pakken.",
            "De chatbot begreep mijn vraag niet, geef me alsjeblieft een mens.",
            "Alleen automatische mails, geen mens die mijn bericht leest.",
        ],
    },
    "payment_failed": {
        "theme": None,
        "en": [
            "iDEAL gave an error and my payment failed.",
            "My card was declined even though it works everywhere else.",
            "Payment failed twice, then the order went through twice.",
            "PayPal kept sending me back to the cart.",
        ],
        "nl": [
            "iDEAL gaf een foutmelding en de betaling mislukte.",
            "Mijn creditcard werd geweigerd terwijl die overal anders werkt.",
            "Betaling mislukte twee keer en daarna stond de bestelling er dubbel in.",
            "PayPal stuurde me steeds terug naar het winkelmandje.",
        ],
    },
    "prices": {
        "theme": None,
        "en": [
            "Shipping costs are too high for such a small order.",
            "The discount code didn't work.",
            "Prices went up since last week.",
        ],
        "nl": [
            "Verzendkosten zijn te hoog voor zo'n kleine bestelling.",
            "De kortingscode werkte niet.",
            "Prijzen zijn sinds vorige week omhoog gegaan.",
        ],
    },
    "delivery": {
        "theme": None,
        "en": [
            "The product arrived damaged.",
            "The parcel came two days later than promised.",
            "Wrong size delivered.",
        ],
        "nl": [
            "Het product kwam beschadigd aan.",
            "Het pakket kwam twee dagen later dan beloofd.",
            "Verkeerde maat geleverd.",
        ],
    },
    "pushy": {
        "theme": None,
        "en": [
            "Too many pop-ups asking me to subscribe.",
            "The newsletter banner covers half the article.",
        ],
        "nl": [
            "Te veel pop-ups die vragen of ik me wil inschrijven.",
            "De nieuwsbriefbanner bedekt de helft van het artikel.",
        ],
    },
}

#: Praise, by the kind of page it is written on ("general" fits anywhere).
PRAISE = {
    "general": {
        "en": [
            "Great shop, everything went smoothly.",
            "Nice clear website.",
            "Very helpful, thanks!",
            "Everything was clear, no complaints.",
            "Works well on my phone.",
            "Love the new design.",
        ],
        "nl": [
            "Fijne winkel, alles ging soepel.",
            "Mooie overzichtelijke website.",
            "Heel behulpzaam, bedankt!",
            "Alles was duidelijk, geen klachten.",
            "Werkt prima op mijn telefoon.",
            "Mooi nieuw ontwerp.",
        ],
    },
    "blog": {
        "en": [
            "Really useful article, exactly what I needed.",
            "This article helped me a lot.",
            "Well written, learned something new.",
            "Good tips, I'll try them on my next run.",
        ],
        "nl": [
            "Echt nuttig artikel, precies wat ik zocht.",
            "Dit artikel heeft me goed geholpen.",
            "Goed geschreven, weer wat geleerd.",
            "Goede tips, ga ik bij mijn volgende rondje proberen.",
        ],
    },
    "products": {
        "en": [
            "Clear product photos and good descriptions.",
            "Helpful size advice.",
            "Good comparison between the models.",
            "Easy to use, I had what I needed in no time.",
        ],
        "nl": [
            "Duidelijke productfoto's en goede beschrijvingen.",
            "Handig advies over de maat.",
            "Goede vergelijking tussen de modellen.",
            "Makkelijk in gebruik, ik had alles zo te pakken.",
        ],
    },
    "checkout": {
        "en": [
            "Checkout was quick and easy.",
            "Paid in seconds with iDEAL.",
            "Good prices and free shipping, great.",
            "Clear overview of my order before paying.",
        ],
        "nl": [
            "Afrekenen ging snel en makkelijk.",
            "In een paar seconden betaald met iDEAL.",
            "Goede prijzen en gratis verzending, top.",
            "Duidelijk overzicht van mijn bestelling voor het betalen.",
        ],
    },
    "service": {
        "en": [
            "Customer service helped me right away, great!",
            "My order arrived the next day.",
            "Tracking my order was easy.",
            "Changing my address took ten seconds.",
        ],
        "nl": [
            "Klantenservice hielp me meteen, top!",
            "Mijn bestelling was de volgende dag binnen.",
            "Mijn bestelling volgen was makkelijk.",
            "Mijn adres wijzigen was zo gedaan.",
        ],
    },
    "returns": {
        "en": [
            "Returning was easy, the label was in the box.",
            "Refund arrived within three days.",
        ],
        "nl": [
            "Retourneren was makkelijk, het label zat in de doos.",
            "Binnen drie dagen mijn geld terug.",
        ],
    },
    "review": {
        "en": [
            "Love these shoes, already recommended them to my running club!",
            "Best running gear shop I know.",
            "Fantastic quality, will definitely buy again.",
            "Writing a review was quick and fun.",
            "Five stars, the jacket is perfect.",
            "Super service and a great product, thank you!",
        ],
        "nl": [
            "Geweldige schoenen, heb ze al aan mijn hardloopclub aangeraden!",
            "Beste hardloopwinkel die ik ken.",
            "Fantastische kwaliteit, ik koop hier zeker weer.",
            "Een review schrijven ging snel en was leuk.",
            "Vijf sterren, de jas past perfect.",
            "Top service en een geweldig product, dank jullie wel!",
        ],
    },
    "refer": {
        "en": [
            "Happy to recommend you to friends.",
            "The referral discount is a nice touch.",
            "Sent the link to my sister, she loves running too.",
        ],
        "nl": [
            "Ik raad jullie graag aan bij vrienden.",
            "Leuk dat je korting krijgt als je een vriend aanmeldt.",
            "Link naar mijn zus gestuurd, zij loopt ook hard.",
        ],
    },
}

#: Lukewarm remarks and wishes that are no complaint.
SUGGESTIONS = {
    "en": [
        "Would be nice to have more colours.",
        "Would love more trail shoes in wide fit.",
        "OK, but the layout could be calmer.",
        "Decent, nothing special.",
        "Could you add a wishlist?",
        "Fine, although the delivery options are limited.",
        "Please offer a dark mode.",
        "Average experience.",
    ],
    "nl": [
        "Zou fijn zijn als er meer kleuren zijn.",
        "Graag meer trailschoenen in een brede pasvorm.",
        "Prima, maar de opmaak mag wat rustiger.",
        "Redelijk, niets bijzonders.",
        "Kunnen jullie een verlanglijstje toevoegen?",
        "Oké, al zijn de bezorgopties beperkt.",
        "Graag een donkere modus.",
        "Gemiddelde ervaring.",
    ],
}

#: Endings that vary otherwise identical comments, per tone and language.
ENDINGS = {
    "negative": {
        "en": ["", "", "", " Not great.", " Please fix this.", " Really annoying."],
        "nl": ["", "", "", " Jammer.", " Graag oplossen.", " Echt irritant."],
    },
    "positive": {
        "en": ["", "", "", " 👍", " Thanks!", " Keep it up."],
        "nl": ["", "", "", " 👍", " Bedankt!", " Ga zo door."],
    },
}
