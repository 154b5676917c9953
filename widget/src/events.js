// The events the page can listen to (`Touchpoint.on`): `open`, `close`, `submit`, `error`.
// `listeners` maps an event's name to its callbacks; it is this module's own, without a prototype
// so that names such as `__proto__` or `constructor` are names like any other.

import { guard } from './dom.js';

const listeners = Object.create(null);

export function on(name, callback) {
  (listeners[name] ||= []).push(callback);
}

/** Call every listener of `name`; one that throws is logged and the others still run. */
export function emit(name, detail) {
  for (const callback of listeners[name] || []) guard(callback)(detail);
}
