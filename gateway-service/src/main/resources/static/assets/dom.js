// Small DOM helpers. Every text goes in through textContent or text nodes, never innerHTML,
// so server data can never become markup.

import { formatTime } from './util.js';

/**
 * Creates an element. props: `class`, `text` (textContent), boolean properties
 * (`hidden`, `disabled`), anything else as an attribute (null/undefined/false skipped).
 * Children: nodes or strings (as text); null, undefined and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'hidden' || name === 'disabled') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** <time datetime="2026-11-26T06:11:37Z">local time</time>. */
export function timeElement(iso) {
  return h('time', { datetime: iso, title: iso, text: formatTime(iso) });
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`console markup is missing #${id}`);
  }
  return element;
}

/**
 * Briefly highlights an element (CSS animation on .is-updated); restarts the animation
 * when it is already running.
 */
export function flash(element) {
  element.classList.remove('is-updated');
  void element.offsetWidth; // reflow, so that adding the class again restarts the animation
  element.classList.add('is-updated');
  setTimeout(() => element.classList.remove('is-updated'), 2500);
}

const NOTICE_LIMIT = 5;
const NOTICE_MS = { success: 6000, info: 8000, error: 15000 };

/**
 * The notice area: non-blocking messages that dismiss themselves (errors stay longer) or
 * with their close button. Returns notify({kind, title, detail, lines, requestId}).
 */
export function createNotices(container) {
  return function notify({ kind = 'info', title, detail, lines = [], requestId }) {
    const close = h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss', text: '×' });
    const notice = h('div', { class: `notice notice--${kind}`, 'data-testid': 'notice', 'data-kind': kind },
      h('div', { class: 'notice-body' },
        h('strong', { class: 'notice-title', text: title }),
        detail ? h('span', { class: 'notice-detail', text: detail }) : null,
        lines.length ? h('ul', { class: 'notice-lines' }, lines.map((line) => h('li', { text: line }))) : null,
        requestId ? h('small', { class: 'notice-request', text: `request ${requestId}` }) : null),
      close);
    const remove = () => notice.remove();
    close.addEventListener('click', remove);
    setTimeout(remove, NOTICE_MS[kind] ?? NOTICE_MS.info);
    container.prepend(notice);
    while (container.children.length > NOTICE_LIMIT) {
      container.lastElementChild.remove();
    }
    return notice;
  };
}

/**
 * Shows a field's error in its #<id>-error element and marks the field invalid (or clears
 * both when message is null).
 */
export function setFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (error) {
    error.textContent = message ?? '';
  }
  if (message) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}
