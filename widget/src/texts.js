// The texts in the bundle: what English and Dutch show up to the question, and the trigger's
// label in the other languages; the rest comes with texts/<lang>.js, fetched at the first sign
// of interaction (lazy.js). `scale_` names the scores whose accessible name carries words
// ("4 – satisfied"); the others are read as their number alone. The keys end with `_`
// (internal, mangled by the build) except `sent`, `queued`, `refused` and `failed`, which are
// named by a submission's result.

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
  },
  de: { label_: 'Feedback' },
  fr: { label_: 'Votre avis' },
  es: { label_: 'Opinión' },
  ar: { label_: 'رأيك' },
};

/** Tell whether `lang` is written right to left. */
export function isRtl(lang) {
  return lang === 'ar';
}

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
