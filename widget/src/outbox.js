// Delivery of responses, exactly once as long as the visitor comes back: a response that met a
// network error, a 429 or a 5xx waits in localStorage and is resent with the same event_id
// (the server's idempotency key) on the next page load or `online` event, with back-off.

const OUTBOX = 'touchpoint:outbox';
const ASKED = 'touchpoint:asked';
const KEEP_AT_MOST = 20;
const GIVE_UP_AFTER = 30 * 864e5;
const sending = new Set();

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function waiting() {
  const list = read(OUTBOX);
  return Array.isArray(list) ? list : [];
}

function keep(item) {
  const list = waiting().filter((other) => other.body.event_id !== item.body.event_id);
  return write(OUTBOX, [...list, item].slice(-KEEP_AT_MOST));
}

function forget(eventId) {
  const list = waiting().filter((other) => other.body.event_id !== eventId);
  write(OUTBOX, list.length ? list : null);
}

/** Post `body` as text/plain (no CORS preflight); resolve to "sent", "retry" or "failed". */
function post(url, body) {
  return fetch(url, {
    method: 'POST',
    keepalive: true,
    credentials: 'omit',
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify(body),
  }).then(
    (answer) =>
      answer.ok ? 'sent' : answer.status === 429 || answer.status >= 500 ? 'retry' : 'failed',
    () => 'retry',
  );
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
  for (const item of waiting()) {
    const id = item.body && item.body.event_id;
    if (!id || sending.has(id) || (!force && item.due > now)) continue;
    if (now - item.since > GIVE_UP_AFTER) {
      forget(id);
      continue;
    }
    sending.add(id);
    post(item.url, item.body).then((result) => {
      sending.delete(id);
      if (result !== 'retry') return forget(id);
      item.tries += 1;
      item.due = Date.now() + Math.min(36e5, 3e4 * 2 ** item.tries);
      keep(item);
    });
  }
}

/** Tell whether the visitor answered or dismissed a prompt less than `days` days ago. */
export function askedWithin(days) {
  const at = read(ASKED);
  return typeof at === 'number' && Date.now() - at < days * 864e5;
}

/** Remember that the visitor answered or dismissed a prompt just now. */
export function rememberAsked() {
  write(ASKED, Date.now());
}
