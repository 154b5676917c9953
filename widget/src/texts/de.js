// Every German text, fetched once the visitor interacts (keys as in texts.js).

export default {
  label_: 'Feedback',
  questions_: {
    csat: 'Wie zufrieden sind Sie?',
    ces: 'Wie einfach war es?',
    nps: 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
    thumbs: 'War diese Seite hilfreich?',
  },
  scale_: {
    csat: {
      1: 'sehr unzufrieden',
      2: 'unzufrieden',
      3: 'neutral',
      4: 'zufrieden',
      5: 'sehr zufrieden',
    },
    ces: { 1: 'sehr schwierig', 7: 'sehr einfach' },
    nps: { 0: 'überhaupt nicht wahrscheinlich', 10: 'äußerst wahrscheinlich' },
    thumbs: { 0: 'nein', 1: 'ja' },
  },
  intro_: 'Wählen Sie eine Bewertung. Ein Kommentar ist freiwillig.',
  comment_: 'Kommentar (freiwillig)',
  send_: 'Senden',
  close_: 'Schließen',
  loading_: 'Wird geladen …',
  sending_: 'Wird gesendet …',
  pick_: 'Bitte wählen Sie zuerst eine Bewertung.',
  sent: 'Vielen Dank! Ihr Feedback wurde gesendet.',
  queued: 'Ihr Feedback ist auf diesem Gerät gespeichert und wird später gesendet.',
  refused: 'Diese Seite darf leider kein Feedback senden; Ihres wurde nicht gesendet.',
  failed: 'Ihr Feedback konnte leider nicht gesendet werden.',
  closed_: 'Für diese Website ist das Feedback geschlossen.',
  why_: 'Was lief schief? Erzählen Sie uns mehr (freiwillig)',
  themes_: {
    speed: 'Zu langsam',
    findability: 'Schwer zu finden',
    unresolved: 'Mein Anliegen wurde nicht gelöst',
    returns: 'Rücksendung war umständlich',
    waiting: 'Lange Wartezeit',
    human_contact: 'Kein Mensch erreichbar',
  },
};
