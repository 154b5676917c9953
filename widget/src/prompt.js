// One prompt at a time: the trigger or `open` shows the dialog at once, `ask` only when the
// site is open and the visitor is not in the cooldown; the visitor's answer is delivered and
// the dialog says honestly what became of it. The functions take the widget's context (made
// by index.js): `site_`, `texts_` and `page_` ({phase_, tags_} the page set).

import { askedWithin, rememberAsked } from './cooldown.js';
import { createDialog, openDialog, returnFocus, say, showSending, showView } from './dialog.js';
import { focusedElement, guard, h } from './dom.js';
import { emit } from './events.js';
import { placeHost } from './host.js';
import { deliver, resendOnline } from './outbox.js';
import { chosenScore, ratingFields, scoreStop } from './rating.js';
import { buildResponse } from './response.js';
import { loadConfig, promptMetric, promptQuestion } from './settings.js';
import { createTrigger, paintTrigger } from './trigger.js';

// This module's state: the trigger, the dialog and their panel once mounted, the prompt shown,
// and a counter that makes a closed or superseded opening forget its pending settings.
let trigger = null;
let dialog = null;
let panel = null;
let attach = null;
let shown = null;
let opening = 0;

/** Put the trigger and the (closed) dialog in the page, once there is a body, and back in it
 * if the page took them out. */
export function mount(ctx) {
  if (!document.body) return;
  const { site_: site, texts_: texts } = ctx;
  (attach ||= placeHost(() => {
    trigger = createTrigger(() => show(ctx, {}));
    dialog = createDialog(site.lang_, texts, (event) => submit(ctx, event), hide);
    // The direction is the widget's language's, never the host page's: every language in
    // texts.js is written left to right.
    panel = h('div', { class: 'root', dir: 'ltr' }, trigger, dialog.element_);
    paintTrigger(trigger, panel, site, texts);
    // Again after `document.open()`, which erases the window's listeners too (the same
    // function is never added twice).
    addEventListener('online', resendOnline);
    return [panel, trigger];
  }))();
}

/** Open the dialog (showing "Loading…" if `loading`) and tell the `open` listeners. */
function reveal(texts, loading) {
  attach();
  openDialog(dialog);
  if (loading) showView(dialog, trigger.textContent, texts.loading_);
  emit('open', {});
}

/** Open the dialog; an `ask` (`isAsk`) stays silent on a closed site or during the cooldown. */
export function show(ctx, options, isAsk) {
  const { site_: site, texts_: texts } = ctx;
  if (!site.data_.site) return;
  mount(ctx);
  if (!dialog || dialog.element_.open) return;
  const ticket = ++opening;
  if (!isAsk) reveal(texts, true);
  const proceed = guard(
    () => ticket === opening && showQuestion(site, texts, options, isAsk, proceed),
  );
  loadConfig(site, () => paintTrigger(trigger, panel, site, texts)).then(proceed);
}

/** Once the settings are in: ask the question, or say the site is closed. An `ask` waits
 * while the visitor types in a field of the page (then `proceed` tries again) and takes focus
 * to the dialog itself, not to a score, so that no key meant for the page picks one. */
function showQuestion(site, texts, options, isAsk, proceed) {
  const { config_: config } = site;
  if (isAsk) {
    if (!config.enabled || askedWithin(config.cooldown_days)) return;
    const field = typingIn();
    // Where focus went is known once focusout's task is done.
    if (field) return field.addEventListener('focusout', () => setTimeout(proceed), { once: true });
    reveal(texts, false);
  }
  const metric = promptMetric(site, options);
  shown = { ...options, metric, isAsk_: isAsk, answered_: false };
  if (!config.enabled) return showView(dialog, trigger.textContent, texts.closed_);
  const question = promptQuestion(site, texts, metric, options);
  showView(dialog, question, texts.intro_, ratingFields(metric, texts));
  if (isAsk) dialog.element_.focus();
}

/** Return the page's field the visitor may be typing in (in an open shadow root too), else a
 * falsy value: an input that takes text, a textarea, an editable element (`:read-write`), a select. */
function typingIn() {
  const field = focusedElement();
  return field?.matches(':read-write,select') && field;
}

/** Close the dialog; dismissing an `ask` unanswered starts the cooldown too. */
export function hide() {
  if (!dialog || !dialog.element_.open) return;
  opening++;
  dialog.element_.close();
  if (shown?.isAsk_ && !shown.answered_) rememberAsked();
  shown = null;
  returnFocus(dialog, trigger);
  emit('close', {});
}

/** Send the chosen score and comment, at most once per prompt, and tell the visitor and the
 * listeners what became of it. */
function submit(ctx, event) {
  event.preventDefault();
  const prompt = shown;
  if (!prompt || prompt.answered_) return;
  const { site_: site, texts_: texts } = ctx;
  const { form } = event.target;
  const chosen = chosenScore(form);
  if (!chosen) {
    say(dialog, texts.pick_);
    return scoreStop(form).focus();
  }
  const response = buildResponse(prompt, ctx.page_, form, chosen, site);
  prompt.answered_ = true;
  showSending(dialog, texts.sending_);
  deliver(`${site.endpoint_}/responses`, response, site.config_.keep_query_params).then(
    guard((result) => {
      // The cooldown starts with an outcome, not with a click whose sending never ended.
      rememberAsked();
      if (shown === prompt) showView(dialog, dialog.heading_.textContent, texts[result]);
      const detail = { ...response, result };
      emit('submit', detail);
      if (result !== 'sent') emit('error', detail);
    }),
  );
}
