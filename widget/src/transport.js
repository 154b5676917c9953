// The widget's requests: none carries cookies, and a response is posted as text/plain JSON
// (no CORS preflight of its own) with keepalive, its outcome classified for the visitor.

/** `fetch` without credentials. */
export function request(url, init) {
  return fetch(url, { credentials: 'omit', ...init });
}

/** Return the milliseconds a `Retry-After` header asks to wait (seconds or a date), else 0. */
function retryAfter(value) {
  return (value && (isNaN(value) ? Date.parse(value) - Date.now() : value * 1e3)) || 0;
}

/**
 * Post `body`; resolve to its outcome and the wait the server asked for (`Retry-After`, ms).
 * The outcome is "sent" (2xx), "refused" (403: the site does not allow this page's origin),
 * "retry" (no answer, 429, 5xx) or "failed" (any other 4xx).
 */
export function post(url, body) {
  return request(url, {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify(body),
  }).then(
    ({ ok, status, headers }) => [
      ok
        ? 'sent'
        : status === 403
          ? 'refused'
          : status === 429 || status >= 500
            ? 'retry'
            : 'failed',
      retryAfter(headers.get('Retry-After')),
    ],
    () => ['retry', 0],
  );
}
