// The events the page can listen to (`Touchpoint.on`): `open`, `close`, `submit`, `error`.
// `listeners` maps an event's name to its callbacks; the caller owns it.

import { guard } from './dom.js';

export function on(listeners, name, callback) {
  (listeners[name] ||= []).push(callback);
}

/** Call every listener of `name`; one that throws is logged and the others still run. */
export function emit(listeners, name, detail) {
  for (const callback of listeners[name] || []) guard(callback)(detail);
}
