// Delivery of responses, exactly once as long as the visitor comes back: a response that met a
// network error, a 429 or a 5xx waits in localStorage and is resent with the same event_id
// (the server's idempotency key) on the next page load or `online` event, with back-off.

import { daysAgo, read, write } from './storage.js';
import { post } from './transport.js';

const OUTBOX = 'touchpoint:outbox';
const KEEP_AT_MOST = 20;
const GIVE_UP_AFTER_DAYS = 30;
// The event_ids being resent right now, so that an `online` event does not send them twice;
// private to this module.
const sending = new Set();

function waiting() {
  const list = read(OUTBOX);
  return Array.isArray(list) ? list : [];
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

/** Send a new response; resolve to "sent", "queued" (kept for a later retry) or "failed". */
export function deliver(url, body) {
  return post(url, body).then((result) => {
    if (result !== 'retry') return result;
    return keep({ url, body, tries: 0, due: 0, since: Date.now() }) ? 'queued' : 'failed';
  });
}

/** Resend the responses that are due; `force` (an `online` event) ignores the back-off. */
export function resendWaiting(force) {
  const now = Date.now();
  const tooOld = daysAgo(GIVE_UP_AFTER_DAYS);
  for (const item of waiting()) {
    const id = item.body && item.body.event_id;
    if (!id || sending.has(id) || (!force && item.due > now)) continue;
    if (item.since < tooOld) forget(id);
    else resend(item, id);
  }
}

function resend(item, id) {
  sending.add(id);
  post(item.url, item.body).then((result) => {
    sending.delete(id);
    if (result !== 'retry') return forget(id);
    item.tries += 1;
    item.due = Date.now() + Math.min(36e5, 3e4 * 2 ** item.tries);
    keep(item);
  });
}
