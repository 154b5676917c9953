// The widget's own localStorage keys, read and written as JSON. Storage that is blocked, full
// or holds something else reads as null and refuses writes quietly.

/** Return the value stored under `key`, or null. */
export function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

/** Store `value` under `key` (null or undefined removes it); tell whether that worked. */
export function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Return the time (ms since the epoch) `days` days before now, to compare stored times with. */
export function daysAgo(days) {
  return Date.now() - days * 864e5;
}
