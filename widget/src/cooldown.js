// The frequency cap: when the visitor was last shown a prompt (`ask`, a trigger) or answered,
// so that `ask` stays silent for the site's `cooldown_days`.

import { daysAgo, read, write } from './storage.js';

const ASKED = 'touchpoint:asked';
const DEFAULT_COOLDOWN_DAYS = 30;

/** Tell whether the visitor was shown a prompt or answered less than `days` days ago (the site's
 * `cooldown_days`; when it has none, 30). */
export function askedWithin(days = DEFAULT_COOLDOWN_DAYS) {
  // Anything but a number stored there compares false.
  const asked = read(ASKED) > daysAgo(days);
  // One line, so that a site owner testing `ask()` learns why no prompt appeared.
  if (asked) {
    console.info(`Touchpoint: ask() stays quiet for cooldown_days (${days}) after an answer`);
  }
  return asked;
}

/** Remember that the visitor was shown a prompt or answered just now. */
export function rememberAsked() {
  write(ASKED, Date.now());
}
