// The response a visitor's answer becomes: what is sent to POST /responses and handed to the
// `submit` and `error` listeners.

import { pickedReasons } from './reasons.js';

/** Return a new version 4 UUID, the response's idempotency key. (`crypto.randomUUID` exists
 * only in secure contexts; this works on plain http pages too.) */
function newEventId() {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (digit ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (digit / 4)))).toString(16),
  );
}

/**
 * Describe `page` ({url, title, referrer}) as the server keeps it: the URL without its fragment
 * and with only the `kept` query parameters, the title cut to 300 characters, the referrer's
 * origin. So no token of a page URL is sent or stored, and no page makes a response too large.
 */
export function describePage(page, kept) {
  const url = new URL(page.url);
  url.hash = '';
  url.search = new URLSearchParams([...url.searchParams].filter(([name]) => kept.includes(name)));
  return {
    url: url.href,
    // Cut by characters, as the server counts them: never half of a surrogate pair.
    title: page.title && [...page.title].slice(0, 300).join(''),
    referrer: page.referrer ? new URL(page.referrer).origin : undefined,
  };
}

/**
 * Build the response to `prompt` (under its `eventId_`, made at its first answer) from its
 * `form` and `chosen` score radio, with the comment and `reasons` unless `scoreOnly`; `page`
 * holds what the page set with setPhase/setTags, `site` the visitor's language and the kept
 * parameters.
 */
export function buildResponse(prompt, page, form, chosen, site, scoreOnly) {
  const tags = { ...page.tags_, ...prompt.tags };
  const here = { url: location.href, title: document.title, referrer: document.referrer };
  return {
    metric: prompt.metric,
    score: +chosen.value,
    comment: (!scoreOnly && form.comment.value.trim()) || undefined,
    reasons: scoreOnly ? undefined : pickedReasons(form, prompt.metric),
    page: describePage(here, site.config_.keep_query_params || []),
    phase: prompt.phase || page.phase_ || undefined,
    locale: site.localeTag_ || undefined,
    tags: Object.keys(tags).length ? tags : undefined,
    // The same for a half answer and the rest of it.
    event_id: (prompt.eventId_ ||= newEventId()),
    hp: form.hp.value,
  };
}
