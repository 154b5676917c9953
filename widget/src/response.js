// The response a visitor's answer becomes: what is sent to POST /responses and handed to the
// `submit` and `error` listeners.

/** Return a new version 4 UUID, the response's idempotency key. */
function newEventId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts; build a version 4 UUID by hand.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 15) | 64;
  bytes[8] = (bytes[8] & 63) | 128;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/**
 * Build the response to `prompt` from its `form` and `chosen` score radio; `page` holds what
 * the page set with setPhase/setTags, `localeTag` the visitor's language.
 */
export function buildResponse(prompt, page, form, chosen, localeTag) {
  const tags = { ...page.tags_, ...prompt.tags };
  return {
    metric: prompt.metric,
    score: Number(chosen.value),
    comment: form.comment.value.trim() || undefined,
    page: { url: location.href, title: document.title, referrer: document.referrer || undefined },
    phase: prompt.phase || page.phase_ || undefined,
    locale: localeTag || undefined,
    tags: Object.keys(tags).length ? tags : undefined,
    event_id: newEventId(),
    hp: form.hp.value,
  };
}
