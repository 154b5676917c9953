// Touchpoint's feedback widget: a trigger button and a modal dialog in an open shadow root.
// Nothing touches the network, cookies or storage until the visitor clicks or the page calls
// open/ask; the one exception is resending a response that was saved while offline.
// This module starts the widget and publishes its API, `window.Touchpoint`.

import { guard, warn } from './dom.js';
import { on } from './events.js';
import { supported } from './host.js';
import { resendLater } from './lazy.js';
import { armTriggers, track } from './proactive.js';
import { hide, leaveHandler, mount, show } from './prompt.js';
import { readSite } from './settings.js';
import { TEXTS } from './texts.js';

const script =
  document.currentScript || document.querySelector('script[data-site][src*="widget.js"]');
const stub = window.Touchpoint;

/** Return `Touchpoint`: a function, `Touchpoint('open')`, that also carries the methods. */
function createApi(ctx) {
  const api = {
    open: (options) => show(ctx, options || {}, false),
    ask: (options) => show(ctx, options || {}, true),
    close: () => hide(ctx),
    track,
    setPhase: (phase) => {
      ctx.page_.phase_ = phase || undefined;
    },
    setTags: (tags) => {
      ctx.page_.tags_ = { ...tags };
    },
    on,
  };
  const Touchpoint = guard((name, ...args) => api[name]?.(...args));
  for (const name of Object.keys(api)) Touchpoint[name] = guard(api[name]);
  Touchpoint.loaded = true;
  return Touchpoint;
}

function install() {
  const site = readSite(script);
  const ctx = {
    site_: site,
    texts_: TEXTS[site.lang_],
    page_: { phase_: site.data_.phase, tags_: {} },
  };
  ctx.leave_ = leaveHandler(ctx);
  ctx.online_ = guard(() => resendLater(ctx, true));
  const Touchpoint = createApi(ctx);
  window.Touchpoint = Touchpoint;
  // Show the trigger and replay the calls the page queued before the script loaded.
  const begin = guard(() => {
    if (!site.key_) return warn('the script tag has no data-site attribute');
    mount(ctx);
    armTriggers(ctx);
    // One by one: an entry that is no list of arguments is skipped, the rest still run.
    const replay = guard((args) => Touchpoint(...args));
    for (const args of stub?.q || []) replay(args);
  });
  if (document.body) begin();
  else document.addEventListener('DOMContentLoaded', begin);
  resendLater(ctx);
}

// Below the declared baseline (docs/widget.md) the page gets no trigger rather than a dead one.
if (!stub?.loaded) guard(() => supported() && install())();
