// The metrics and the form that asks for one: a radio group of scores (smileys for CSAT, thumbs,
// numbers for the others), each named by its score and, where the texts have them, words; then
// an optional comment and the hidden honeypot field.

import { h } from './dom.js';

const RANGES = { csat: [1, 5], ces: [1, 7], nps: [0, 10], thumbs: [0, 1] };
const GLYPHS = { csat: ['😞', '😟', '😐', '😊', '😄'], thumbs: ['👎', '👍'] };

/** Tell whether `name` is a metric the widget can ask for. */
export function isMetric(name) {
  return !!RANGES[name];
}

/** Build the radio of `score`, shown as `glyph` or its number, named by its number and words. */
function scoreOption(score, glyph, names) {
  const words = names[score] ? ` – ${names[score]}` : '';
  return h(
    'label',
    {},
    h('input', { type: 'radio', name: 'score', value: score }),
    h(
      'span',
      {},
      glyph ? h('i', { 'aria-hidden': 'true' }, glyph) : score,
      words && h('span', { class: 'hidden' }, glyph ? score + words : words),
    ),
  );
}

/** Build the fields that ask for a score of `metric` and a comment; `onPick()` follows a pick. */
export function ratingFields(metric, texts, onPick) {
  const [low, high] = RANGES[metric];
  const names = texts.scale_[metric];
  const glyphs = GLYPHS[metric];
  const options = [];
  for (let score = low; score <= high; score++) {
    options.push(scoreOption(score, glyphs?.[score - low], names));
  }
  return h(
    'div',
    {},
    h(
      'fieldset',
      { role: 'radiogroup', 'aria-labelledby': 'tp-title', onchange: onPick },
      ...options,
    ),
    glyphs
      ? ''
      : h(
          'div',
          { class: 'ends', 'aria-hidden': 'true' },
          h('span', {}, names[low]),
          h('span', {}, names[high]),
        ),
    h('label', { for: 'tp-comment', id: 'tp-why', class: 'comment' }, texts.comment_),
    h('textarea', { id: 'tp-comment', name: 'comment', maxlength: 2000, rows: 3 }),
    h('input', { name: 'hp', hidden: true, tabindex: -1, autocomplete: 'off' }),
  );
}

/** Return the score radio the visitor chose inside `container`, or null. */
export function chosenScore(container) {
  return container.querySelector('input[name=score]:checked');
}

/** Return the radio that takes focus for the group: the chosen one, else the first. */
export function scoreStop(container) {
  return chosenScore(container) || container.querySelector('input[name=score]');
}
