// The reasons step: after a low score the comment's label asks what went wrong, and six toggle
// buttons offer the complaint themes; the visitor's picks are sent as `reasons`.

import { h } from './dom.js';
import { chosenScore } from './rating.js';

// The highest score of each metric that counts as low.
const LOW = { csat: 2, ces: 3, nps: 6, thumbs: 0 };
const THEMES = ['speed', 'findability', 'unresolved', 'returns', 'waiting', 'human_contact'];

/** Return the chosen score in `form` when it is low for `metric`, else undefined. */
function lowScore(form, metric) {
  const chosen = chosenScore(form);
  return chosen && +chosen.value <= LOW[metric];
}

function toggle(event) {
  const button = event.currentTarget;
  button.setAttribute('aria-pressed', button.getAttribute('aria-pressed') != 'true');
}

/** Show the reasons step in `form` after a low score of `metric`, hide it after another; the
 * buttons appear once `texts` has the themes' names (texts/<lang>.js). */
export function showReasons(form, metric, texts) {
  const low = lowScore(form, metric);
  const label = form.querySelector('.comment');
  label.textContent = (low && texts.why_) || texts.comment_;
  let group = form.querySelector('.reasons');
  if (low && texts.themes_ && !group) {
    group = h(
      'div',
      { class: 'reasons', role: 'group', 'aria-labelledby': 'tp-why' },
      ...THEMES.map((theme) =>
        h(
          'button',
          { type: 'button', value: theme, 'aria-pressed': 'false', onclick: toggle },
          texts.themes_[theme],
        ),
      ),
    );
    label.after(group);
  }
  if (group) group.hidden = !low;
}

/** Return the themes picked in `form` after a low score of `metric`, or undefined. */
export function pickedReasons(form, metric) {
  const picked = [...form.querySelectorAll('.reasons [aria-pressed=true]')];
  return lowScore(form, metric) && picked.length ? picked.map((button) => button.value) : undefined;
}
