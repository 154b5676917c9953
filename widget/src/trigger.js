// The trigger: the button in the page corner (or on an edge) that opens the dialog, labelled
// and coloured by the site's settings; its colour becomes the accent of the whole widget.

import { hexColor, textColorOn } from './color.js';
import { h } from './dom.js';
import { setting } from './settings.js';

const POSITIONS = ['bottom-right', 'bottom-left', 'right', 'left'];

/** Build the trigger; `onInterest()` runs at the first signs of interaction (pointer over it,
 * focus on it), `onClick()` opens the dialog. */
export function createTrigger(onClick, onInterest) {
  return h('button', {
    type: 'button',
    class: 'trigger',
    'aria-haspopup': 'dialog',
    popover: 'manual',
    onclick: onClick,
    onpointerenter: onInterest,
    onfocus: onInterest,
  });
}

/** Give the trigger its label and position, and `panel` (the widget's root) its accent colour. */
export function paintTrigger(trigger, panel, site, texts) {
  const position = setting(site, 'position');
  const color = setting(site, 'color', hexColor);
  trigger.textContent = setting(site, 'label') || texts.label_;
  trigger.dataset.position = POSITIONS.includes(position) ? position : POSITIONS[0];
  if (color) {
    panel.style.setProperty('--accent', color);
    panel.style.setProperty('--on-accent', textColorOn(color));
  }
}
