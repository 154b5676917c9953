// The widget's place in the page: one <touchpoint-widget> element whose open shadow root holds
// the widget and its styles, out of reach of the host page's CSS. It is a child of <html>, not
// of <body>: single-page apps that replace <body> (Turbo Drive, htmx boost, pjax) leave it in
// place, and a transform, filter or `contain` on <body> cannot move the fixed trigger. A page
// that removes it anyway gets it back at once; no host global is patched for that.

import { guard } from './dom.js';
import STYLES from './widget.css';

/** Tell whether the browser has what the widget needs: a modal <dialog> and constructable
 * stylesheets (a strict CSP blocks the <style> element they replace). Below it, no trigger. */
export function supported() {
  return !!(window.HTMLDialogElement?.prototype.showModal && document.adoptedStyleSheets);
}

/** Put `panel` in its host element at the end of <html>, kept there, with `trigger` in the
 * top layer (a manual popover) where a transform, filter, perspective or `contain` on <html>
 * cannot move it; browsers without popovers keep it fixed. Undo a zoom on <html>. Return a
 * function that puts it back at once (for a call made before the page's change is observed). */
export function placeHost(panel, trigger) {
  const host = document.createElement('touchpoint-widget');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  root.adoptedStyleSheets = [sheet];
  root.append(panel);
  const page = document.documentElement;
  // Guarded: the observer calls it from no call of the page's, where an error would be the page's.
  const attach = guard(() => {
    if (host.isConnected) return;
    page.append(host);
    trigger.showPopover?.();
    panel.style.zoom = 1 / getComputedStyle(page).zoom;
  });
  new MutationObserver(attach).observe(page, { childList: true });
  attach();
  return attach;
}
