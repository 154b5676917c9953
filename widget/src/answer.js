// The visitor's answer to the prompt shown: sent once on Send, with the dialog saying what
// became of it; or, when the visitor chose a score and then closed the dialog or left the page,
// the score alone (a half answer), once. A comment added later goes under the same event_id,
// which the server adds to the stored score (SPEC "Resubmitting").

import { rememberAsked } from './cooldown.js';
import { say, showSending, showView } from './dialog.js';
import { guard } from './dom.js';
import { deliver } from './outbox.js';
import { chosenScore, scoreStop } from './rating.js';
import { buildResponse } from './response.js';

/** Deliver `response` through the outbox; resolve to its result once the cooldown started. */
function send(site, response) {
  return deliver(`${site.endpoint_}/responses`, response, site.config_.keep_query_params).then(
    (result) => {
      // The cooldown starts with an outcome, not with a click whose sending never ended.
      rememberAsked();
      return result;
    },
  );
}

/** Send the chosen score and comment of `prompt`, at most once, and tell the visitor and the
 * listeners (`emit`) what became of it. */
export function submit(ctx, event, prompt, dialog, emit) {
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
  send(site, response).then(
    guard((result) => {
      if (dialog.element_.open && prompt.fields_.isConnected) {
        showView(dialog, dialog.heading_.textContent, texts[result]);
      }
      const detail = { ...response, result };
      emit('submit', detail);
      if (result !== 'sent') emit('error', detail);
    }),
  );
}

/** Send the score `prompt`'s visitor chose and did not send yet, on its own and only once: the
 * comment and the reasons stay until the visitor sends them. */
export function sendHalf(ctx, prompt, dialog) {
  const form = dialog.sendButton_.form;
  const chosen = prompt && chosenScore(prompt.fields_);
  if (!chosen || prompt.answered_ || prompt.half_) return;
  prompt.half_ = true;
  send(ctx.site_, buildResponse(prompt, ctx.page_, form, chosen, ctx.site_, true));
}
