// One prompt at a time: the trigger or `open` shows the dialog at once, `ask` only when the
// site is open and the visitor is not in the cooldown; the visitor's answer is delivered and
// the dialog says honestly what became of it. Every function takes the widget's context
// (made by index.js): `site`, `texts`, `listeners`, `page` ({phase, tags} the page set),
// and the state kept here: `ui` (once mounted), `prompt` (the one shown) and `opening`
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
  if (ctx.ui || !document.body) return;
  const trigger = createTrigger(() => show(ctx, {}));
  const dialog = createDialog(ctx.site.lang, ctx.texts, {
    onSubmit: (event) => submit(ctx, event),
    onDismiss: () => hide(ctx),
  });
  const panel = h('div', { class: 'root' }, trigger, dialog.element);
  const host = createHost(panel);
  ctx.ui = { trigger, dialog, panel };
  paintTrigger(trigger, panel, ctx.site, ctx.texts);
  document.body.append(host);
}

/** Open the dialog (showing "Loading…" if `loading`) and tell the `open` listeners. */
function reveal(ctx, loading) {
  const { trigger, dialog } = ctx.ui;
  openDialog(dialog);
  if (loading) showView(dialog, trigger.textContent, ctx.texts.loading);
  emit(ctx.listeners, 'open', {});
}

/** Open the dialog; an `ask` (`isAsk`) stays silent on a closed site or during the cooldown. */
export function show(ctx, options, isAsk) {
  if (!ctx.site.data.site) return;
  mount(ctx);
  const { ui } = ctx;
  if (!ui || ui.dialog.element.open) return;
  const ticket = ++ctx.opening;
  if (!isAsk) reveal(ctx, true);
  loadConfig(ctx.site, () => paintTrigger(ui.trigger, ui.panel, ctx.site, ctx.texts)).then(
    guard(() => ticket === ctx.opening && showQuestion(ctx, options, isAsk)),
  );
}

/** Once the settings are in: ask the question, or say the site is closed. */
function showQuestion(ctx, options, isAsk) {
  const { site, texts, ui } = ctx;
  if (isAsk) {
    if (!site.config.enabled || askedWithin(site.config.cooldown_days)) return;
    reveal(ctx, false);
  }
  const metric = promptMetric(site, options);
  ctx.prompt = { ...options, metric, isAsk, answered: false };
  if (!site.config.enabled) return showView(ui.dialog, ui.trigger.textContent, texts.closed);
  const question = promptQuestion(site, texts, metric, options);
  showView(ui.dialog, question, texts.intro, ratingFields(metric, texts));
}

/** Close the dialog; dismissing an `ask` unanswered starts the cooldown too. */
export function hide(ctx) {
  const { ui, prompt } = ctx;
  if (!ui || !ui.dialog.element.open) return;
  ctx.opening++;
  ui.dialog.element.close();
  if (prompt && prompt.isAsk && !prompt.answered) rememberAsked();
  ctx.prompt = null;
  returnFocus(ui.dialog, ui.trigger);
  emit(ctx.listeners, 'close', {});
}

/** Send the chosen score and comment, at most once per prompt. */
function submit(ctx, event) {
  event.preventDefault();
  const { prompt, ui, texts } = ctx;
  if (!prompt || prompt.answered) return;
  const form = event.target;
  const chosen = chosenScore(form);
  if (!chosen) {
    say(ui.dialog, texts.pick);
    return scoreStop(form).focus();
  }
  const { page, site } = ctx;
  const response = buildResponse({ prompt, page, form, chosen, localeTag: site.localeTag });
  prompt.answered = true;
  rememberAsked();
  showSending(ui.dialog, texts.sending);
  deliver(`${site.endpoint}/responses`, response).then(
    guard((result) => report(ctx, prompt, response, result)),
  );
}

/** Tell the visitor (if `prompt` is still shown) and the listeners what became of `response`. */
function report(ctx, prompt, response, result) {
  const { dialog } = ctx.ui;
  if (ctx.prompt === prompt) showView(dialog, dialog.heading.textContent, ctx.texts[result]);
  const detail = { ...response, result };
  emit(ctx.listeners, 'submit', detail);
  if (result !== 'sent') emit(ctx.listeners, 'error', detail);
}
