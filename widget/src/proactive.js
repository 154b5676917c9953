// Proactive prompts: the site's `widget.triggers` open the dialog on exit intent (a mouse leaving
// the viewport's top, with a fine pointer), after `value` seconds the page was visible, at a
// scroll depth of `value` % or when the page tracks the event `value`, on the pages their
// `paths` globs fit. They are armed only with the settings known at load (the per-site script),
// anew for each page view — a new path, so that single-page apps are followed without patching
// `history` — for a share `widget.sampling` of the page views they fit (one draw), and each
// fires once per page view; later.js's `fire` decides whether a prompt shows.

import { guard } from './dom.js';
import { fitsGlob } from './glob.js';
import { loadLater } from './lazy.js';
import { show } from './prompt.js';

// This module's state: the triggers armed for the current page view (copies, with `fire_`),
// the path they were armed for, and the listener of `track`.
let armed = [];
let path;
let tracked;

/** Tell whether `trigger` applies to the current page (no `paths`: every page); globs are
 * matched against the decoded path (`/café/*` fits `/caf%C3%A9/1`), else the raw one. */
export function fits(trigger) {
  const { paths } = trigger;
  let page = location.pathname;
  try {
    page = decodeURI(page);
  } catch {}
  return !Array.isArray(paths) || paths.some((glob) => fitsGlob(glob, page));
}

/** Arm those of `triggers` that fit this page view, after one sampling draw. */
function arm(ctx, triggers) {
  const { sampling = 1 } = ctx.site_.config_;
  const fitting = triggers.filter(fits);
  path = location.pathname;
  armed = [];
  if (!fitting[0]) return;
  if (Math.random() >= sampling) return console.info('Touchpoint: no prompt, not sampled');
  armed = fitting.map((trigger) => {
    let fired;
    // A copy: a time_on_page trigger's `value` counts down the visible seconds left.
    return {
      ...trigger,
      fire_: () => (fired ||= loadLater(ctx).then((later) => later?.fire(ctx, trigger, show, fits))),
    };
  });
}

/** Arm the site's triggers for this page view, and watch the page for their moments and for
 * new page views (the Navigation API where there is one, `popstate`, and a look at the path
 * whenever a trigger's moment may have come). */
export function armTriggers(ctx) {
  const { triggers } = ctx.site_.config_;
  // Entries that are no trigger (null, a text…) are skipped; with none, nothing listens.
  const valid = Array.isArray(triggers) ? triggers.filter((trigger) => trigger?.on) : [];
  if (!valid[0]) return;
  // A listener that fires the armed triggers `on` names for which `reached(trigger, event)`.
  const when = (on, reached) =>
    guard((event) => {
      // A new page view: its triggers, and its depth at once (deep() finds the path armed).
      if (location.pathname != path) arm(ctx, valid), deep();
      for (const trigger of armed) trigger.on == on && reached(trigger, event) && trigger.fire_();
    });
  const page = document.documentElement;
  const deep = when(
    'scroll_depth',
    ({ value }) => (scrollY + innerHeight) * 100 >= value * page.scrollHeight,
  );
  tracked = when('event', ({ value }, name) => value === name);
  // Arm this page view: a page shorter than the viewport, or already scrolled that far, is
  // deep enough at once.
  deep();
  addEventListener('scroll', deep, { passive: true });
  addEventListener('resize', deep);
  addEventListener('popstate', deep);
  window.navigation?.addEventListener('navigatesuccess', deep);
  // Only visible seconds count: a prompt in a hidden tab would be used up unseen.
  setInterval(
    when('time_on_page', (trigger) => !document.hidden && --trigger.value < 1),
    1e3,
  );
  document.addEventListener(
    'mouseout',
    when(
      'exit_intent',
      (_, event) => !event.relatedTarget && event.clientY <= 0 && matchMedia('(pointer:fine)').matches,
    ),
  );
}

/** Tell the `event` triggers that the page saw the event `name`. */
export function track(name) {
  tracked?.(name);
}
