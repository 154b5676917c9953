// The modal: a native <dialog> (labelled by its title, described by its status line) that shows
// one view at a time, keeps Tab inside, closes on Esc and gives focus back when it closes.
// `createDialog` returns its parts; the other functions take them.

import { focusedElement, h } from './dom.js';
import { scoreStop } from './rating.js';
import { isRtl } from './texts.js';

/** Build the dialog; `onSubmit(event)` handles Send's click (implicit submission clicks it too;
 * a sandboxed frame without `allow-forms` blocks the form's submit event), `onDismiss()` Close,
 * Esc and cancel. `labelDialog` gives it its language. */
export function createDialog(onSubmit, onDismiss) {
  const parts = {
    heading_: h('h2', { id: 'tp-title' }),
    message_: h('p', { id: 'tp-message', role: 'status' }),
    fields_: h('div', {}),
    closeButton_: h('button', { type: 'button', onclick: onDismiss }),
    sendButton_: h('button', { type: 'submit', onclick: onSubmit }),
    returnFocusTo_: null,
  };
  const dismiss = (event) => {
    event.preventDefault();
    onDismiss();
  };
  parts.element_ = h(
    'dialog',
    {
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'tp-title',
      'aria-describedby': 'tp-message',
      // Focusable, for a prompt the page opened: see prompt.js.
      tabindex: -1,
      oncancel: dismiss,
      onkeydown: (event) =>
        event.key === 'Escape' ? dismiss(event) : keepTabInside(parts.element_, event),
    },
    h(
      'form',
      {},
      parts.heading_,
      parts.message_,
      parts.fields_,
      h(
        'div',
        { class: 'actions' },
        parts.closeButton_,
        parts.sendButton_,
      ),
    ),
  );
  return parts;
}

/** Cycle Tab and Shift+Tab through the dialog's stops; the score radios count as one. */
function keepTabInside(element, event) {
  if (event.key !== 'Tab') return;
  const stops = [scoreStop(element), ...element.querySelectorAll('textarea, button')].filter(
    (stop) => stop && !stop.disabled && stop.getClientRects().length,
  );
  const active = element.getRootNode().activeElement;
  const atStart = active === stops[0] || active?.name === 'score';
  const target = event.shiftKey ? atStart && stops.at(-1) : active === stops.at(-1) && stops[0];
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

/** Give the dialog the language `lang` (its direction too, never the host page's) and its
 * buttons their `texts`. */
export function labelDialog(dialog, lang, texts) {
  dialog.element_.lang = lang;
  dialog.element_.dir = isRtl(lang) ? 'rtl' : 'ltr';
  dialog.closeButton_.textContent = texts.close_;
  dialog.sendButton_.textContent = texts.send_;
}

/** Open the dialog as a modal, remembering where focus was to give it back on close. */
export function openDialog(dialog) {
  dialog.returnFocusTo_ = focusedElement();
  dialog.element_.showModal();
}

/** Give focus back to where it was before the dialog opened, else to `fallback`. */
export function returnFocus(dialog, fallback) {
  const { returnFocusTo_: returnFocusTo } = dialog;
  const target =
    returnFocusTo?.isConnected && returnFocusTo !== document.body
      ? returnFocusTo
      : fallback;
  target.focus();
}

/** Fill the dialog with a title, a message and optional fields (then Send is offered too). */
export function showView(dialog, title, text, content) {
  dialog.heading_.textContent = title;
  say(dialog, text);
  dialog.fields_.replaceChildren(content || '');
  dialog.sendButton_.hidden = !content;
  dialog.sendButton_.disabled = false;
  dialog.element_.querySelector(content ? 'input' : 'button').focus();
}

/** Disable Send while an answer is on its way, and say `text`. */
export function showSending(dialog, text) {
  dialog.sendButton_.disabled = true;
  say(dialog, text);
}

/** Show `text` in the status line, where screen readers announce it. */
export function say(dialog, text) {
  dialog.message_.textContent = text;
}
