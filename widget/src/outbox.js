// Delivery of responses, exactly once as long as the visitor comes back: a response that met a
// network error, a 429 or a 5xx waits in localStorage and is resent with the same event_id
// (the server's idempotency key) on the next page load (after a back-off) or `online` event,
// never before the server's Retry-After. It is in later.js's module: the bundle (lazy.js)
// fetches that when a response waits.

import { describePage } from './response.js';
import { OUTBOX, daysAgo, read, write } from './storage.js';
import { post } from './transport.js';

const KEEP_AT_MOST = 20;
const GIVE_UP_AFTER_DAYS = 30;
// The event_ids being resent right now, so that an `online` event does not send them twice;
// private to this module.
const sending = new Set();

function waiting() {
  const list = read(OUTBOX);
  return Array.isArray(list) ? list.filter(clean) : [];
}

/** Describe an entry's page as this version does; older ones kept the full URL, fragment and
 * query included, and the full referrer. Their query is dropped: the kept parameters are not
 * known before the visitor opens the dialog. Tell whether the entry can be sent. */
function clean(item) {
  try {
    item.body.page = describePage(item.body.page, item.kept || []);
    return true;
  } catch {
    return false;
  }
}

function waitingExcept(eventId) {
  return waiting().filter((other) => other.body.event_id !== eventId);
}

function keep(item) {
  return write(OUTBOX, [...waitingExcept(item.body.event_id), item].slice(-KEEP_AT_MOST));
}

function forget(eventId) {
  const list = waitingExcept(eventId);
  write(OUTBOX, list.length ? list : null);
}

/** Send a new response whose page keeps the `kept` query parameters; resolve to "sent",
 * "queued" (kept for a later retry), "refused" or "failed". */
export function deliver(url, body, kept) {
  return post(url, body).then(([result, wait]) => {
    if (result !== 'retry') return result;
    const now = Date.now();
    return keep({ url, body, kept, tries: 0, due: now + wait, since: now }) ? 'queued' : 'failed';
  });
}

/** Resend the responses that are due; `online` (an `online` event) skips the back-off, never
 * the server's Retry-After (`hold` once resent; before, `due` is just that). */
export function resendWaiting(online) {
  const now = Date.now();
  const tooOld = daysAgo(GIVE_UP_AFTER_DAYS);
  for (const item of waiting()) {
    const id = item.body?.event_id;
    if (!id || sending.has(id) || ((online && item.hold) || item.due) > now) continue;
    if (item.since < tooOld) forget(id);
    else resend(item, id);
  }
}

function resend(item, id) {
  sending.add(id);
  post(item.url, item.body).then(([result, wait]) => {
    sending.delete(id);
    if (result !== 'retry') return forget(id);
    item.tries += 1;
    item.hold = Date.now() + wait;
    // The back-off counts from the end of the server's Retry-After.
    item.due = item.hold + Math.min(36e5, 3e4 * 2 ** item.tries);
    keep(item);
  });
}
