// The widget's own storage keys, read and written as JSON: in localStorage, or in sessionStorage
// (this visit only) when `visit` is set. Storage that is blocked, full or holds something else
// reads as null and refuses writes quietly.

/** The responses waiting to be resent (outbox.js). */
export const OUTBOX = 'touchpoint:outbox';

// Inside the try: reading `localStorage` itself throws where storage is blocked.
function area(visit) {
  return visit ? sessionStorage : localStorage;
}

/** Return the value stored under `key`, or null. */
export function read(key, visit) {
  try {
    return JSON.parse(area(visit).getItem(key));
  } catch {
    return null;
  }
}

/** Store `value` under `key` (null or undefined removes it); tell whether that worked. */
export function write(key, value, visit) {
  try {
    if (value == null) area(visit).removeItem(key);
    else area(visit).setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Return the time (ms since the epoch) `days` days before now, to compare stored times with. */
export function daysAgo(days) {
  return Date.now() - days * 864e5;
}
