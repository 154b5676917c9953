// Every text the widget shows, one table per language: adding a language means adding a table.
// `scale_` names the scores whose accessible name carries words ("4 – satisfied"); the others
// are read as their number alone. The keys end with `_` (internal, mangled by the build)
// except `sent`, `queued`, `refused` and `failed`, which are named by a submission's result.

export const TEXTS = {
  en: {
    label_: 'Feedback',
    questions_: {
      csat: 'How satisfied are you?',
      ces: 'How easy was it?',
      nps: 'How likely are you to recommend us?',
      thumbs: 'Was this page helpful?',
    },
    scale_: {
      csat: {
        1: 'very dissatisfied',
        2: 'dissatisfied',
        3: 'neutral',
        4: 'satisfied',
        5: 'very satisfied',
      },
      ces: { 1: 'very difficult', 7: 'very easy' },
      nps: { 0: 'not at all likely', 10: 'extremely likely' },
      thumbs: { 0: 'no', 1: 'yes' },
    },
    intro_: 'Choose a score. A comment is optional.',
    comment_: 'Comment (optional)',
    send_: 'Send',
    close_: 'Close',
    loading_: 'Loading…',
    sending_: 'Sending…',
    pick_: 'Please choose a score first.',
    sent: 'Thank you! Your feedback was sent.',
    queued: 'Your feedback is saved on this device and will be sent later.',
    refused: 'Sorry, this page may not send feedback, so yours was not sent.',
    failed: 'Sorry, your feedback could not be sent.',
    closed_: 'Feedback is closed for this site.',
  },
  nl: {
    label_: 'Feedback',
    questions_: {
      csat: 'Hoe tevreden ben je?',
      ces: 'Hoe makkelijk ging het?',
      nps: 'Hoe waarschijnlijk is het dat je ons aanbeveelt?',
      thumbs: 'Was deze pagina nuttig?',
    },
    scale_: {
      csat: {
        1: 'zeer ontevreden',
        2: 'ontevreden',
        3: 'neutraal',
        4: 'tevreden',
        5: 'zeer tevreden',
      },
      ces: { 1: 'zeer moeilijk', 7: 'zeer makkelijk' },
      nps: { 0: 'helemaal niet waarschijnlijk', 10: 'zeer waarschijnlijk' },
      thumbs: { 0: 'nee', 1: 'ja' },
    },
    intro_: 'Kies een score. Een opmerking is optioneel.',
    comment_: 'Opmerking (optioneel)',
    send_: 'Versturen',
    close_: 'Sluiten',
    loading_: 'Laden…',
    sending_: 'Bezig met versturen…',
    pick_: 'Kies eerst een score.',
    sent: 'Bedankt! Je feedback is verstuurd.',
    queued: 'Je feedback is op dit apparaat bewaard en wordt later verstuurd.',
    refused: 'Sorry, deze pagina mag geen feedback sturen; de jouwe is niet verstuurd.',
    failed: 'Sorry, je feedback kon niet worden verstuurd.',
    closed_: 'Feedback is gesloten voor deze site.',
  },
};

/** Return the first language of `tags` (BCP 47, e.g. "nl-BE") that has a table, else English. */
export function pickLanguage(tags) {
  for (const tag of tags) {
    const language = String(tag || '')
      .toLowerCase()
      .split('-')[0];
    if (TEXTS[language]) return language;
  }
  return 'en';
}
