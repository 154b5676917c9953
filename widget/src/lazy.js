// What the widget needs only once the visitor interacts, fetched at the first sign of it
// (pointer over or focus on the trigger, or a prompt about to show): one module per language,
// <lang>.<hash>.js (LAZY is ".<hash>.js"; the hash names its content, so browsers may keep it
// for good), holding that language's texts — the rest of English and Dutch, all of the others —
// and later.js's code: sending answers (and resending those that wait), the reasons step.

import { OUTBOX, read } from './storage.js';
import { TEXTS } from './texts.js';

/** Import the visitor's module once (again after a failure) and merge its texts into
 * `ctx.texts_` (`ctx.later_` is the module then); when a language with no table in the bundle
 * cannot be fetched, fall back to English. Resolve to the module, or null; never reject. */
export function loadLater(ctx) {
  const { site_: site } = ctx;
  return (ctx.laterLoad_ ||= import(`${site.base_}/widget/${site.lang_}${LAZY}`)
    .then((later) => {
      Object.assign(ctx.texts_, later.texts);
      return (ctx.later_ = later);
    })
    .catch(() => {
      ctx.laterLoad_ = null;
      if (!ctx.texts_.send_) {
        site.lang_ = 'en';
        ctx.texts_ = TEXTS.en;
      }
      return null;
    }));
}

/** Resend the responses waiting in the outbox, if any (fetching later.js's module for that);
 * `online` (the browser is back online) skips the back-off. */
export function resendLater(ctx, online) {
  if (read(OUTBOX)) loadLater(ctx).then((later) => later?.resendWaiting(online));
}
