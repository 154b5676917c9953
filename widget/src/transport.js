// The widget's requests: none carries cookies, and a response is posted as text/plain JSON
// (no CORS preflight) with keepalive, its outcome classified as "sent", "retry" or "failed".

/** `fetch` without credentials. */
export function request(url, init) {
  return fetch(url, { credentials: 'omit', ...init });
}

/** Post `body`; resolve to "sent" (2xx), "retry" (no answer, 429, 5xx) or "failed" (other 4xx). */
export function post(url, body) {
  return request(url, {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify(body),
  }).then(
    (answer) =>
      answer.ok ? 'sent' : answer.status === 429 || answer.status >= 500 ? 'retry' : 'failed',
    () => 'retry',
  );
}
