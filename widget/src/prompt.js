// One prompt at a time: the trigger or `open` shows the dialog at once, `ask` only when the
// site is open and the visitor is not in the cooldown; the visitor's answer is delivered and
// the dialog says honestly what became of it. Every function takes the widget's context
// (made by index.js): `site_`, `texts_`, `listeners_`, `page_` ({phase_, tags_} the page
// set), and the state kept here: `ui_` (once mounted), `prompt_` (the one shown) and `opening_`
// (a counter that makes a closed or superseded opening forget its pending settings).

import { askedWithin, rememberAsked } from './cooldown.js';
import { createDialog, openDialog, returnFocus, say, showSending, showView } from './dialog.js';
import { guard, h } from './dom.js';
import { emit } from './events.js';
import { createHost } from './host.js';
import { deliver } from './outbox.js';
import { chosenScore, ratingFields, scoreStop } from './rating.js';
import { buildResponse } from './response.js';
import { loadConfig, promptMetric, promptQuestion } from './settings.js';
import { createTrigger, paintTrigger } from './trigger.js';

/** Put the trigger and the (closed) dialog at the end of <body>, once there is a body. */
export function mount(ctx) {
  if (ctx.ui_ || !document.body) return;
  const trigger = createTrigger(() => show(ctx, {}));
  const dialog = createDialog(ctx.site_.lang_, ctx.texts_, {
    onSubmit_: (event) => submit(ctx, event),
    onDismiss_: () => hide(ctx),
  });
  const panel = h('div', { class: 'root' }, trigger, dialog.element_);
  const host = createHost(panel);
  ctx.ui_ = { trigger_: trigger, dialog_: dialog, panel_: panel };
  paintTrigger(trigger, panel, ctx.site_, ctx.texts_);
  document.body.append(host);
}

/** Open the dialog (showing "Loading…" if `loading`) and tell the `open` listeners. */
function reveal(ctx, loading) {
  const { trigger_: trigger, dialog_: dialog } = ctx.ui_;
  openDialog(dialog);
  if (loading) showView(dialog, trigger.textContent, ctx.texts_.loading_);
  emit(ctx.listeners_, 'open', {});
}

/** Open the dialog; an `ask` (`isAsk`) stays silent on a closed site or during the cooldown. */
export function show(ctx, options, isAsk) {
  if (!ctx.site_.data_.site) return;
  mount(ctx);
  const { ui_: ui } = ctx;
  if (!ui || ui.dialog_.element_.open) return;
  const ticket = ++ctx.opening_;
  if (!isAsk) reveal(ctx, true);
  loadConfig(ctx.site_, () => paintTrigger(ui.trigger_, ui.panel_, ctx.site_, ctx.texts_)).then(
    guard(() => ticket === ctx.opening_ && showQuestion(ctx, options, isAsk)),
  );
}

/** Once the settings are in: ask the question, or say the site is closed. */
function showQuestion(ctx, options, isAsk) {
  const { site_: site, texts_: texts, ui_: ui } = ctx;
  if (isAsk) {
    if (!site.config_.enabled || askedWithin(site.config_.cooldown_days)) return;
    reveal(ctx, false);
  }
  const metric = promptMetric(site, options);
  ctx.prompt_ = { ...options, metric, isAsk_: isAsk, answered_: false };
  if (!site.config_.enabled) return showView(ui.dialog_, ui.trigger_.textContent, texts.closed_);
  const question = promptQuestion(site, texts, metric, options);
  showView(ui.dialog_, question, texts.intro_, ratingFields(metric, texts));
}

/** Close the dialog; dismissing an `ask` unanswered starts the cooldown too. */
export function hide(ctx) {
  const { ui_: ui, prompt_: prompt } = ctx;
  if (!ui || !ui.dialog_.element_.open) return;
  ctx.opening_++;
  ui.dialog_.element_.close();
  if (prompt && prompt.isAsk_ && !prompt.answered_) rememberAsked();
  ctx.prompt_ = null;
  returnFocus(ui.dialog_, ui.trigger_);
  emit(ctx.listeners_, 'close', {});
}

/** Send the chosen score and comment, at most once per prompt. */
function submit(ctx, event) {
  event.preventDefault();
  const { prompt_: prompt, ui_: ui, texts_: texts } = ctx;
  if (!prompt || prompt.answered_) return;
  const form = event.target;
  const chosen = chosenScore(form);
  if (!chosen) {
    say(ui.dialog_, texts.pick_);
    return scoreStop(form).focus();
  }
  const { page_: page, site_: site } = ctx;
  const response = buildResponse({
    prompt_: prompt,
    page_: page,
    form_: form,
    chosen_: chosen,
    localeTag_: site.localeTag_,
  });
  prompt.answered_ = true;
  rememberAsked();
  showSending(ui.dialog_, texts.sending_);
  deliver(`${site.endpoint_}/responses`, response).then(
    guard((result) => report(ctx, prompt, response, result)),
  );
}

/** Tell the visitor (if `prompt` is still shown) and the listeners what became of `response`. */
function report(ctx, prompt, response, result) {
  const { dialog_: dialog } = ctx.ui_;
  if (ctx.prompt_ === prompt) showView(dialog, dialog.heading_.textContent, ctx.texts_[result]);
  const detail = { ...response, result };
  emit(ctx.listeners_, 'submit', detail);
  if (result !== 'sent') emit(ctx.listeners_, 'error', detail);
}
