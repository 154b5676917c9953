// Touchpoint's feedback widget: a trigger button and a modal dialog in an open shadow root.
// Nothing touches the network, cookies or storage until the visitor clicks or the page calls
// open/ask; the one exception is resending a response that was saved while offline.

import { hexColor, textColorOn } from './color.js';
import { TEXTS, pickLanguage } from './texts.js';
import { askedWithin, deliver, rememberAsked, resendWaiting } from './outbox.js';
import STYLES from './widget.css';

const RANGES = { csat: [1, 5], ces: [1, 7], nps: [0, 10], thumbs: [0, 1] };
const GLYPHS = { csat: ['😞', '😟', '😐', '😊', '😄'], thumbs: ['👎', '👍'] };
const POSITIONS = ['bottom-right', 'bottom-left', 'right', 'left'];
const DEFAULT_COOLDOWN_DAYS = 30;
const CONFIG_TIMEOUT_MS = 4000;

const script =
  document.currentScript || document.querySelector('script[data-site][src*="widget.js"]');
const stub = window.Touchpoint;

function warn(error) {
  console.warn('Touchpoint:', error);
}

/** Wrap `fn` so that no error of the widget ever reaches the host page. */
function guard(fn) {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      warn(error);
    }
  };
}

/** Create an element with attributes (`on…` ones become listeners) and children. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), guard(value));
    else if (value != null && value !== false)
      element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.filter((child) => child != null));
  return element;
}

function newEventId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID exists only in secure contexts; build a version 4 UUID by hand.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 15) | 64;
  bytes[8] = (bytes[8] & 63) | 128;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/** Return the element that has focus, looking inside shadow roots. */
function focusedElement() {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  return element;
}

function install() {
  const data = (script && script.dataset) || {};
  const origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  const apiBase = (data.api || origin).replace(/\/+$/, '');
  const endpoint = `${apiBase}/api/v1/sites/${encodeURIComponent(data.site || '')}`;
  const localeTag = data.locale || navigator.language;
  const lang = pickLanguage([data.locale, navigator.language]);
  const texts = TEXTS[lang];
  const listeners = {};
  let settings = {};
  let settingsLoad;
  let pagePhase = data.phase;
  let pageTags = {};
  let host, root, panel, trigger, dialog, heading, message, fields, sendButton;
  let prompt = null;
  let returnFocusTo = null;
  let opening = 0;

  function emit(name, detail) {
    for (const callback of listeners[name] || []) guard(callback)(detail);
  }

  /** Fetch the site's public settings once; without them the defaults and data- attributes rule. */
  function loadSettings() {
    settingsLoad ||= fetch(`${endpoint}/config`, {
      credentials: 'omit',
      signal: AbortSignal.timeout && AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    })
      .then((answer) => (answer.ok ? answer.json() : {}))
      .catch(() => {
        settingsLoad = null;
        return {};
      })
      .then((body) => {
        settings = { ...(body && body.widget), enabled: !body || body.enabled !== false };
        paintTrigger();
        return settings;
      });
    return settingsLoad;
  }

  function paintTrigger() {
    const position = data.position || settings.position;
    const color = hexColor(data.color) || hexColor(settings.color);
    trigger.textContent = data.label || settings.label || texts.label;
    trigger.dataset.position = POSITIONS.includes(position) ? position : POSITIONS[0];
    if (color) {
      panel.style.setProperty('--accent', color);
      panel.style.setProperty('--on-accent', textColorOn(color));
    }
  }

  function mount() {
    if (host || !document.body) return;
    host = document.createElement('touchpoint-widget');
    root = host.attachShadow({ mode: 'open' });
    try {
      // A constructed sheet is not inline style, so a strict CSP without 'unsafe-inline' allows it.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLES);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(h('style', {}, STYLES));
    }
    trigger = h('button', {
      type: 'button',
      class: 'trigger',
      'aria-haspopup': 'dialog',
      onclick: () => show({}),
    });
    heading = h('h2', { id: 'tp-title' });
    message = h('p', { id: 'tp-message', role: 'status' });
    fields = h('div');
    sendButton = h('button', { type: 'submit' }, texts.send);
    dialog = h(
      'dialog',
      {
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'tp-title',
        'aria-describedby': 'tp-message',
        lang,
        oncancel: (event) => {
          event.preventDefault();
          hide();
        },
        onkeydown: keepFocusInside,
      },
      h(
        'form',
        { novalidate: true, onsubmit: submit },
        heading,
        message,
        fields,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: hide }, texts.close),
          sendButton,
        ),
      ),
    );
    panel = h('div', { class: 'root' }, trigger, dialog);
    root.append(panel);
    paintTrigger();
    document.body.append(host);
  }

  function keepFocusInside(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      return hide();
    }
    if (event.key !== 'Tab') return;
    const radio =
      dialog.querySelector('input[name=score]:checked') ||
      dialog.querySelector('input[name=score]');
    const stops = [radio, ...dialog.querySelectorAll('textarea, button')].filter(
      (element) => element && !element.disabled && element.getClientRects().length,
    );
    const active = root.activeElement;
    const atStart = active === stops[0] || (active && active.name === 'score');
    const target = event.shiftKey ? atStart && stops.at(-1) : active === stops.at(-1) && stops[0];
    if (target) {
      event.preventDefault();
      target.focus();
    }
  }

  /** Fill the dialog with a title, a message and optional fields (then Send is offered too). */
  function showView(title, text, content) {
    heading.textContent = title;
    message.textContent = text;
    fields.replaceChildren(...(content ? [content] : []));
    sendButton.hidden = !content;
    sendButton.disabled = false;
    dialog.querySelector(content ? 'input' : 'button').focus();
  }

  function ratingFields(metric) {
    const [low, high] = RANGES[metric];
    const names = texts.scale[metric];
    const options = [];
    for (let score = low; score <= high; score++) {
      const glyph = GLYPHS[metric] && GLYPHS[metric][score - low];
      const words = names[score] ? ` – ${names[score]}` : '';
      options.push(
        h(
          'label',
          {},
          h('input', { type: 'radio', name: 'score', value: score }),
          h(
            'span',
            {},
            glyph ? h('i', { 'aria-hidden': 'true' }, glyph) : String(score),
            words && h('span', { class: 'hidden' }, glyph ? score + words : words),
          ),
        ),
      );
    }
    return h(
      'div',
      {},
      h('fieldset', { role: 'radiogroup', 'aria-labelledby': 'tp-title' }, ...options),
      GLYPHS[metric]
        ? null
        : h(
            'div',
            { class: 'ends', 'aria-hidden': 'true' },
            h('span', {}, names[low]),
            h('span', {}, names[high]),
          ),
      h('label', { for: 'tp-comment', class: 'comment' }, texts.comment),
      h('textarea', { id: 'tp-comment', name: 'comment', maxlength: 2000, rows: 3 }),
      h('input', { name: 'hp', hidden: true, tabindex: -1, autocomplete: 'off' }),
    );
  }

  function question(metric, options) {
    if (options.question) return options.question;
    let custom = settings.questions && (settings.questions[localeTag] || settings.questions[lang]);
    if (custom && typeof custom === 'object') custom = custom[metric];
    const siteMetric = data.metric || settings.metric;
    return typeof custom === 'string' && (metric === siteMetric || !RANGES[siteMetric])
      ? custom
      : texts.questions[metric];
  }

  /** Open the dialog; an `ask` stays silent on a closed site or during the cooldown. */
  function show(options, isAsk) {
    if (!data.site) return;
    mount();
    if (!host || dialog.open) return;
    const ticket = ++opening;
    if (!isAsk) {
      returnFocusTo = focusedElement();
      dialog.showModal();
      showView(trigger.textContent, texts.loading);
      emit('open', {});
    }
    loadSettings().then(
      guard(() => {
        if (ticket !== opening) return;
        const cooldown = settings.cooldown_days ?? DEFAULT_COOLDOWN_DAYS;
        if (isAsk) {
          if (!settings.enabled || askedWithin(cooldown)) return;
          returnFocusTo = focusedElement();
          dialog.showModal();
          emit('open', {});
        }
        const metric =
          [options.metric, data.metric, settings.metric].find((name) => RANGES[name]) || 'csat';
        prompt = { ...options, metric, isAsk, answered: false };
        if (!settings.enabled) return showView(trigger.textContent, texts.closed);
        showView(question(metric, options), texts.intro, ratingFields(metric));
      }),
    );
  }

  function hide() {
    if (!dialog || !dialog.open) return;
    opening++;
    dialog.close();
    if (prompt && prompt.isAsk && !prompt.answered) rememberAsked();
    prompt = null;
    const target =
      returnFocusTo && returnFocusTo.isConnected && returnFocusTo !== document.body
        ? returnFocusTo
        : trigger;
    target.focus();
    emit('close', {});
  }

  function submit(event) {
    event.preventDefault();
    if (!prompt || prompt.answered) return;
    const form = event.target;
    const chosen = form.querySelector('input[name=score]:checked');
    if (!chosen) {
      message.textContent = texts.pick;
      return form.querySelector('input[name=score]').focus();
    }
    const tags = { ...pageTags, ...prompt.tags };
    const response = {
      metric: prompt.metric,
      score: Number(chosen.value),
      comment: form.comment.value.trim() || undefined,
      page: { url: location.href, title: document.title, referrer: document.referrer || undefined },
      phase: prompt.phase || pagePhase || undefined,
      locale: localeTag || undefined,
      tags: Object.keys(tags).length ? tags : undefined,
      event_id: newEventId(),
      hp: form.hp.value,
    };
    const current = prompt;
    current.answered = true;
    rememberAsked();
    sendButton.disabled = true;
    message.textContent = texts.sending;
    deliver(`${endpoint}/responses`, response).then(
      guard((result) => {
        if (prompt === current) showView(heading.textContent, texts[result]);
        const detail = { ...response, result };
        emit('submit', detail);
        if (result !== 'sent') emit('error', detail);
      }),
    );
  }

  const api = {
    open: (options) => show(options || {}, false),
    ask: (options) => show(options || {}, true),
    close: hide,
    setPhase: (phase) => {
      pagePhase = phase || undefined;
    },
    setTags: (tags) => {
      pageTags = { ...tags };
    },
    on: (name, callback) => {
      (listeners[name] ||= []).push(callback);
    },
  };
  const Touchpoint = guard((name, ...args) => api[name] && api[name](...args));
  for (const name of Object.keys(api)) Touchpoint[name] = guard(api[name]);
  Touchpoint.loaded = true;
  window.Touchpoint = Touchpoint;

  const start = guard(() => {
    if (!data.site) return warn('the script tag has no data-site attribute');
    mount();
    for (const args of (stub && stub.q) || []) Touchpoint(...args);
  });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
  addEventListener(
    'online',
    guard(() => resendWaiting(true)),
  );
  resendWaiting(false);
}

if (!(stub && stub.loaded)) guard(install)();
