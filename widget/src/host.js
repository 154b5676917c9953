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
  return window.HTMLDialogElement?.prototype.showModal && document.adoptedStyleSheets;
}

/** Keep the widget's host element at the end of the current <html>, with the trigger in the top
 * layer (a manual popover) where a transform, filter, perspective or `contain` on <html> cannot
 * move it; browsers without popovers keep it fixed. Undo a zoom on <html>. `build()` returns
 * the widget's [panel, trigger], made anew whenever the host lost its place: `document.open()`
 * erases every listener of the document it empties. Return a function that puts it back at
 * once (for a call made before the page's change is observed). */
export function placeHost(build) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  let host;
  // Guarded: the observer calls it from no call of the page's, where an error would be the page's.
  // It writes to the *current* <html> only, once per call and never when the host is in place,
  // so a rebuilt document (document.open/write, a replaced <html>) gets the widget back in its
  // new <html> and nothing it does can make it run again.
  const attach = guard(() => {
    const page = document.documentElement;
    if (host?.isConnected || !page) return;
    observer.observe(page, { childList: true });
    host = document.createElement('touchpoint-widget');
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const [panel, trigger] = build();
    root.append(panel);
    page.append(host);
    trigger.showPopover?.();
    panel.style.zoom = 1 / getComputedStyle(page).zoom;
  });
  const observer = new MutationObserver(attach);
  observer.observe(document, { childList: true });
  return attach;
}
