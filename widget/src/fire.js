// A proactive prompt about to show (proactive.js armed its trigger): it is an `ask` (the cooldown,
// no prompt over a field the visitor types in) with the trigger's metric and question, shown at
// most once per visit and only on a page the trigger fits (single-page apps move on); a
// suppressed one says why in one console line.

import { read } from './storage.js';

// Written by the prompt (prompt.js) once it shows: storage is written only then.
const VISIT = 'touchpoint:prompted';

/** Return `question` ({locale: text} or a text) in the visitor's language, else undefined. */
function localized(site, question) {
  return typeof question == 'string'
    ? question
    : question?.[site.localeTag_] || question?.[site.lang_];
}

/** Show `trigger`'s prompt through `show` (prompt.js) unless `fits` says the page moved on or
 * one showed in this visit already. */
export function fire(ctx, trigger, show, fits) {
  if (!fits(trigger)) return;
  if (read(VISIT, true)) return console.info('Touchpoint: no prompt, one was shown in this visit');
  const question = localized(ctx.site_, trigger.question);
  show(ctx, { metric: trigger.metric, question, visit_: VISIT }, true);
}
