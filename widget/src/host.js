// The widget's place in the page: one <touchpoint-widget> element whose open shadow root holds
// the widget and its styles, out of reach of the host page's CSS.

import { h } from './dom.js';
import STYLES from './widget.css';

/** Create the host element around `panel`; the caller appends it to the page. */
export function createHost(panel) {
  const host = document.createElement('touchpoint-widget');
  const root = host.attachShadow({ mode: 'open' });
  try {
    // A constructed sheet is not inline style, so a strict CSP without 'unsafe-inline' allows it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h('style', {}, STYLES));
  }
  root.append(panel);
  return host;
}
