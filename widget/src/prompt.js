// One prompt at a time: the trigger or `open` shows the dialog at once, `ask` only when the
// site is open and the visitor is not in the cooldown; the visitor's answer is delivered and
// the dialog says honestly what became of it. The functions take the widget's context (made
// by index.js): `site_`, `texts_` and `page_` ({phase_, tags_} the page set).

import { askedWithin, rememberAsked } from './cooldown.js';
import { createDialog, openDialog, returnFocus, say, showSending, showView } from './dialog.js';
import { guard, h } from './dom.js';
import { emit } from './events.js';
import { placeHost } from './host.js';
import { deliver } from './outbox.js';
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

/** Put the trigger and the (closed) dialog in the page, once there is a body. */
export function mount(ctx) {
  if (dialog || !document.body) return;
  const { site_: site, texts_: texts } = ctx;
  trigger = createTrigger(() => show(ctx, {}));
  dialog = createDialog(site.lang_, texts, (event) => submit(ctx, event), hide);
  // The direction is the widget's language's, never the host page's: every language in
  // texts.js is written left to right.
  panel = h('div', { class: 'root', dir: 'ltr' }, trigger, dialog.element_);
  paintTrigger(trigger, panel, site, texts);
  attach = placeHost(panel, trigger);
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
  loadConfig(site, () => paintTrigger(trigger, panel, site, texts)).then(
    guard(() => ticket === opening && showQuestion(site, texts, options, isAsk)),
  );
}

/** Once the settings are in: ask the question, or say the site is closed. */
function showQuestion(site, texts, options, isAsk) {
  const { config_: config } = site;
  if (isAsk) {
    if (!config.enabled || askedWithin(config.cooldown_days)) return;
    reveal(texts, false);
  }
  const metric = promptMetric(site, options);
  shown = { ...options, metric, isAsk_: isAsk, answered_: false };
  if (!config.enabled) return showView(dialog, trigger.textContent, texts.closed_);
  const question = promptQuestion(site, texts, metric, options);
  showView(dialog, question, texts.intro_, ratingFields(metric, texts));
}

/** Close the dialog; dismissing an `ask` unanswered starts the cooldown too. */
export function hide() {
  if (!dialog || !dialog.element_.open) return;
  opening++;
  dialog.element_.close();
  if (shown && shown.isAsk_ && !shown.answered_) rememberAsked();
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
  const form = event.target;
  const chosen = chosenScore(form);
  if (!chosen) {
    say(dialog, texts.pick_);
    return scoreStop(form).focus();
  }
  const response = buildResponse(prompt, ctx.page_, form, chosen, site);
  prompt.answered_ = true;
  rememberAsked();
  showSending(dialog, texts.sending_);
  deliver(`${site.endpoint_}/responses`, response, site.config_.keep_query_params).then(
    guard((result) => {
      if (shown === prompt) showView(dialog, dialog.heading_.textContent, texts[result]);
      const detail = { ...response, result };
      emit('submit', detail);
      if (result !== 'sent') emit('error', detail);
    }),
  );
}
