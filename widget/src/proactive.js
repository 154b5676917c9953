// Proactive prompts: the site's `widget.triggers` open the dialog on exit intent (a mouse leaving
// the viewport's top, with a fine pointer), after `value` seconds on the page, at a scroll depth
// of `value` % or when the page tracks the event `value`, on the pages their `paths` globs fit.
// They are armed only with the settings known at load (the per-site script), for a share
// `widget.sampling` of the page views they fit (one draw), and each fires once per page view;
// later.js's `fire` decides whether a prompt shows.

import { guard } from './dom.js';
import { fitsGlob } from './glob.js';
import { loadLater } from './lazy.js';
import { show } from './prompt.js';

// The `event` triggers' callbacks by event name, for `track`; this module's own.
const tracked = {};

/** Tell whether `trigger` applies to the current page (no `paths`: every page). */
export function fits(trigger) {
  const { paths } = trigger;
  return !Array.isArray(paths) || paths.some((glob) => fitsGlob(glob, location.pathname));
}

/** Watch for the moment `trigger` names, then call `fire()` (at most once). */
function watch(trigger, fire) {
  const { on, value } = trigger;
  if (on == 'time_on_page') setTimeout(fire, value * 1e3);
  if (on == 'event') (tracked[value] ||= []).push(fire);
  if (on == 'scroll_depth') {
    const page = document.documentElement;
    const reached = () => (scrollY + innerHeight) * 100 >= value * page.scrollHeight;
    addEventListener('scroll', () => reached() && fire(), { passive: true });
  }
  if (on == 'exit_intent' && matchMedia('(pointer:fine)').matches) {
    const leaving = (event) => event.relatedTarget || event.clientY > 0 || fire();
    document.addEventListener('mouseout', leaving);
  }
}

/** Arm the site's triggers that fit this page, after one sampling draw for the page view. */
export function armTriggers(ctx) {
  const { triggers, sampling = 1 } = ctx.site_.config_;
  const fitting = Array.isArray(triggers) ? triggers.filter(fits) : [];
  if (!fitting[0]) return;
  if (Math.random() >= sampling) return console.info('Touchpoint: no prompt, not sampled');
  for (const trigger of fitting) {
    let fired;
    watch(
      trigger,
      guard(() => {
        fired ||= loadLater(ctx).then((later) => later?.fire(ctx, trigger, show, fits));
      }),
    );
  }
}

/** Tell the `event` triggers that the page saw the event `name`. */
export function track(name) {
  for (const fire of tracked[name] || []) fire();
}
