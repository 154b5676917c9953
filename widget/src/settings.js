// The site's settings: the script tag's data- attributes, and the public settings — inlined by
// the per-site script (/w/<key>.js), else fetched from /config the first time the dialog opens
// (never on page load). A data- attribute wins over the site's setting of the same name;
// without settings, the defaults and the attributes apply.

import { isMetric } from './rating.js';
import { pickLanguage } from './texts.js';
import { request } from './transport.js';

const CONFIG_TIMEOUT_MS = 4000;

// The per-site script replaces this literal, quotes included, by the site's settings object:
// `{"site": key, "config": <the /config body>, "keep_query_params": [...]}`.
const INLINED = '__TOUCHPOINT_SITE_SETTINGS__';

/** Read what the script tag asks for: the site, where its API is, the visitor's language. */
export function readSite(script) {
  const data = script?.dataset || {};
  const inlined = typeof INLINED == 'object' && INLINED;
  const origin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  // Only an absolute http(s) URL; anything else would send to the host page's own origin.
  const api = (data.api || '').trim();
  const apiBase = (/^https?:\/\/\w/i.test(api) ? api : origin).replace(/\/+$/, '');
  const key = data.site || inlined.site;
  const site = {
    data_: data,
    key_: key,
    // The Touchpoint server, which serves the lazily loaded modules (lazy.js) too.
    base_: apiBase,
    endpoint_: `${apiBase}/api/v1/sites/${encodeURIComponent(key || '')}`,
    localeTag_: data.locale || navigator.language,
    lang_: pickLanguage([data.locale, document.documentElement.lang, navigator.language]),
    config_: {},
    configLoad_: null,
  };
  if (inlined) {
    site.config_ = useConfig(inlined.config);
    site.configLoad_ = Promise.resolve(site.config_);
  }
  return site;
}

/** Return the settings the widget works with from a /config `body`: the widget settings, and
 * beside them `enabled` and `keep_query_params` (the page URL's kept query). */
function useConfig(body) {
  return { enabled: true, ...body, ...body?.widget };
}

/** Fetch the site's settings into `site.config_` once (again after a failure), then `onLoad()`. */
export function loadConfig(site, onLoad) {
  return (site.configLoad_ ||= request(`${site.endpoint_}/config`, {
    signal: AbortSignal.timeout?.(CONFIG_TIMEOUT_MS),
  })
    .then((answer) => (answer.ok ? answer.json() : {}))
    .catch(() => {
      site.configLoad_ = null;
      return {};
    })
    .then((body) => {
      site.config_ = useConfig(body);
      onLoad();
      return site.config_;
    }));
}

/** Return the setting `name`: the data- attribute if it is `valid` (by default: set), else the
 * site's setting if it is. */
export function setting(site, name, valid = Boolean) {
  return [site.data_[name], site.config_[name]].find(valid);
}

/** Return a prompt's metric: the call's, else the data- attribute's, else the site's, else CSAT. */
export function promptMetric(site, options) {
  const { metric } = options;
  return isMetric(metric) ? metric : setting(site, 'metric', isMetric) || 'csat';
}

/** Return a prompt's question: the call's, else the site's for its metric, else the standard. */
export function promptQuestion(site, texts, metric, options) {
  if (options.question) return options.question;
  const { questions } = site.config_;
  let custom = questions?.[site.localeTag_] || questions?.[site.lang_];
  if (custom && typeof custom === 'object') custom = custom[metric];
  const siteMetric = setting(site, 'metric');
  return typeof custom === 'string' && (metric === siteMetric || !isMetric(siteMetric))
    ? custom
    : texts.questions_[metric];
}
