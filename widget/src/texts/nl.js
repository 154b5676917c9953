// What Dutch adds once the visitor interacts: what the dialog says after the question
// (the reasons step, the outcome); the rest is in texts.js.

export default {
  sending_: 'Bezig met versturen…',
  pick_: 'Kies eerst een score.',
  sent: 'Bedankt! Je feedback is verstuurd.',
  queued: 'Je feedback is op dit apparaat bewaard en wordt later verstuurd.',
  refused: 'Sorry, deze pagina mag geen feedback sturen; de jouwe is niet verstuurd.',
  failed: 'Sorry, je feedback kon niet worden verstuurd.',
  closed_: 'Feedback is gesloten voor deze site.',
  why_: 'Wat ging er mis? Vertel het ons (optioneel)',
  themes_: {
    speed: 'Te traag',
    findability: 'Moeilijk te vinden',
    unresolved: 'Mijn vraag is niet opgelost',
    returns: 'Retourneren was lastig',
    waiting: 'Lang wachten op hulp',
    human_contact: 'Geen echt mens te spreken',
  },
};
