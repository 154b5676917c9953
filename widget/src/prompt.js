// One prompt at a time: the trigger or `open` shows the dialog at once, `ask` (and a proactive
// trigger) only when the site is open and the visitor is not in the cooldown. The functions take
// the widget's context (made by index.js): `site_`, `texts_` and `page_` ({phase_, tags_} the
// page set). Answering is answer.js's job.

import { askedWithin, rememberAsked } from './cooldown.js';
import { createDialog, labelDialog, openDialog, returnFocus, showView } from './dialog.js';
import { focusedElement, guard, h } from './dom.js';
import { emit } from './events.js';
import { placeHost } from './host.js';
import { loadLater } from './lazy.js';
import { ratingFields } from './rating.js';
import { loadConfig, promptMetric, promptQuestion } from './settings.js';
import { write } from './storage.js';
import { TEXTS, isRtl } from './texts.js';
import { createTrigger, paintTrigger } from './trigger.js';

// This module's state: the trigger, the dialog and their panel once mounted, the prompt shown,
// a half-answered prompt the visitor may come back to, and a counter that makes a closed or
// superseded opening forget its pending settings.
let trigger = null;
let dialog = null;
let panel = null;
let attach = null;
let shown = null;
let halfDone = null;
let opening = 0;

/** Put the trigger and the (closed) dialog in the page, once there is a body, and back in it
 * if the page took them out. */
export function mount(ctx) {
  if (!document.body) return;
  const { site_: site } = ctx;
  (attach ||= placeHost(() => {
    trigger = createTrigger(() => show(ctx, {}), () => loadLater(ctx));
    dialog = createDialog((event) => submit(ctx, event), () => hide(ctx));
    const dir = isRtl(site.lang_) ? 'rtl' : 'ltr';
    panel = h('div', { class: 'root', dir }, trigger, dialog.element_);
    paintTrigger(trigger, panel, site, ctx.texts_);
    // Again after `document.open()`, which erases the window's listeners too (the same
    // function is never added twice).
    addEventListener('online', ctx.online_);
    addEventListener('pagehide', ctx.leave_);
    document.addEventListener('visibilitychange', ctx.leave_);
    return [panel, trigger];
  }))();
}

/** Send the answer to the prompt shown (later.js's job, once its module is in). */
function submit(ctx, event) {
  event.preventDefault();
  const prompt = shown;
  loadLater(ctx).then((later) => later?.submit(ctx, event, prompt, dialog, emit));
}

/** Send what later.js calls a half answer, at once if its module is in. */
function sendHalf(ctx, prompt) {
  ctx.later_?.sendHalf(ctx, prompt, dialog);
}

/** Return the listener that sends the score of a half answer when the page is hidden or left
 * (the visitor may come back to it). */
export function leaveHandler(ctx) {
  return guard(
    (event) =>
      (event.type == 'pagehide' || document.visibilityState == 'hidden') &&
      sendHalf(ctx, shown),
  );
}

/** Open the dialog (showing "Loading…" if `loading`) and tell the `open` listeners. */
function reveal(ctx, loading) {
  attach();
  const texts = ctx.texts_.send_ ? ctx.texts_ : TEXTS.en;
  labelDialog(dialog, texts === ctx.texts_ ? ctx.site_.lang_ : 'en', texts);
  openDialog(dialog);
  if (loading) showView(dialog, trigger.textContent, texts.loading_);
  emit('open', {});
}

/** Open the dialog; an `ask` (`isAsk`) stays silent on a closed site or during the cooldown.
 * With the settings known and the texts in the bundle, the question shows at once. */
export function show(ctx, options, isAsk) {
  const { site_: site } = ctx;
  if (!site.key_) return;
  mount(ctx);
  if (!dialog || dialog.element_.open) return;
  const ticket = ++opening;
  if (!isAsk) reveal(ctx, true);
  const proceed = guard(() => ticket === opening && showQuestion(ctx, options, isAsk, proceed));
  const later = loadLater(ctx);
  const config = loadConfig(site, () => paintTrigger(trigger, panel, site, ctx.texts_));
  Promise.all([config, ctx.texts_.send_ || later]).then(proceed);
}

/** Once the settings are in: ask the question, or say the site is closed. An `ask` waits
 * while the visitor types in a field of the page (then `proceed` tries again) and takes focus
 * to the dialog itself, not to a score, so that no key meant for the page picks one. */
function showQuestion(ctx, options, isAsk, proceed) {
  const { site_: site } = ctx;
  const { config_: config } = site;
  if (isAsk) {
    if (!config.enabled || askedWithin(config.cooldown_days)) return;
    const field = typingIn();
    // Where focus went is known once focusout's task is done. A frame's element hears nothing
    // when focus leaves the frame; the window hears it come back.
    const frame = field?.localName == 'iframe';
    if (field) {
      return (frame ? window : field).addEventListener(
        frame ? 'focus' : 'focusout',
        () => setTimeout(proceed),
        { once: true },
      );
    }
    reveal(ctx, false);
    // Shown is asked: the cooldown starts now (an ignored prompt counts, in every tab), and
    // the visit's cap (fire.js) is kept once a proactive prompt shows.
    rememberAsked();
    if (options.visit_) write(options.visit_, 1, true);
  }
  labelDialog(dialog, site.lang_, ctx.texts_);
  if (!config.enabled) {
    return loadLater(ctx).then(() => showView(dialog, trigger.textContent, ctx.texts_.closed_));
  }
  // The visitor who left a half answer comes back to it, and adds to it under its event_id.
  shown = !isAsk && halfDone ? halfDone : newPrompt(ctx, options);
  showView(dialog, shown.question_, ctx.texts_.intro_, shown.fields_);
  if (isAsk) dialog.element_.focus();
}

/** Return a new prompt: what it asks and its fields. */
function newPrompt(ctx, options) {
  const { site_: site, texts_: texts } = ctx;
  const metric = promptMetric(site, options);
  const prompt = { ...options, metric };
  const reasons = (later) => later?.showReasons(prompt.fields_, metric, ctx.texts_);
  prompt.question_ = promptQuestion(site, texts, metric, options);
  prompt.fields_ = ratingFields(metric, texts, () => loadLater(ctx).then(guard(reasons)));
  return prompt;
}

/** Return the page's field the visitor may be typing in (in an open shadow root too), else a
 * falsy value: an input that takes text, a textarea, an editable element (`:read-write`), a
 * select, or an iframe (the page sees no further into a frame, e.g. a payment form's). */
function typingIn() {
  const field = focusedElement();
  return field?.matches(':read-write,select,iframe') && field;
}

/** Close the dialog; a chosen score not sent yet is sent on its own. */
export function hide(ctx) {
  if (!dialog || !dialog.element_.open) return;
  opening++;
  dialog.element_.close();
  const prompt = shown;
  if (prompt && !prompt.answered_) sendHalf(ctx, prompt);
  halfDone = prompt?.half_ && !prompt.answered_ ? prompt : null;
  shown = null;
  returnFocus(dialog, trigger);
  emit('close', {});
}
