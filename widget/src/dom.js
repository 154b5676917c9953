// Small helpers shared by the widget's modules: building elements, and keeping every error of
// the widget away from the host page.

export function warn(error) {
  console.warn('Touchpoint:', error);
}

/** Wrap `fn` so that no error of the widget ever reaches the host page. */
export function guard(fn) {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      warn(error);
    }
  };
}

/** Create an element with attributes (`on…` ones become listeners; a boolean one is given as
 * `true`) and children (strings or elements; '' for none). */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), guard(value));
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** Return the element that has focus, looking inside shadow roots. */
export function focusedElement() {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  return element;
}
