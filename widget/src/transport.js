// The widget's requests: none carries cookies, and a response is posted as text/plain JSON
// (no CORS preflight of its own) with keepalive, its outcome classified for the visitor.

/** `fetch` without credentials; a host `fetch` that throws rejects instead. */
export function request(url, init) {
  return new Promise((resolve) => resolve(fetch(url, { credentials: 'omit', ...init })));
}

/** Return the milliseconds a `Retry-After` header asks to wait (seconds or a date), else 0. */
function retryAfter(value) {
  return (value && (isNaN(value) ? Date.parse(value) - Date.now() : value * 1e3)) || 0;
}

/**
 * Post `body`; resolve to its outcome and the wait the server asked for (`Retry-After`, ms).
 * The outcome is "sent" (2xx), "refused" (403: the site does not allow this page's origin),
 * "failed" (any other 4xx but 429) or "retry" (no answer, 429, 5xx, and whatever a host's
 * `fetch` wrapper gets wrong: a throw, an answer without a status). Never rejects.
 */
export function post(url, body) {
  return request(url, {
    method: 'POST',
    keepalive: true,
    // A string body goes as text/plain;charset=UTF-8: a simple request, no preflight.
    body: JSON.stringify(body),
  })
    .then(({ ok, status, headers }) => [
      ok
        ? 'sent'
        : status === 403
          ? 'refused'
          : /^4(?!29)/.test(status)
            ? 'failed'
            : 'retry',
      // A wrapper's answer may have no `headers`, or headers without `get`.
      retryAfter(headers?.get?.('Retry-After')),
    ])
    .catch(() => ['retry', 0]);
}
