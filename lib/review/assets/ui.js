// ui.js - small DOM helpers: element building, messages that stay until read, formatting.

// el('div', {class: 'x', dataset: {id: 3}}, child, 'text'...): children may be nodes,
// strings or null (skipped). Attributes go through setAttribute, never innerHTML,
// so paths and labels from the case are always text.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

const box = () => document.getElementById('messages');

// An error stays until the examiner dismisses it: a lost categorisation must be seen.
export function showError(text) {
  const m = el('div', { class: 'msg error', 'data-testid': 'error' },
    el('span', { text }),
    el('button', { type: 'button', class: 'dismiss', on: { click: () => m.remove() } }, 'dismiss'));
  box().append(m);
  return m;
}

// A notice goes by itself after a few seconds (no animation: it simply disappears).
export function showInfo(text) {
  const m = el('div', { class: 'msg info', 'data-testid': 'info', text });
  box().append(m);
  setTimeout(() => m.remove(), 4000);
  return m;
}

export const fmtCount = n => Number(n || 0).toLocaleString('en');

export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(1) : String(v)) + ' ' + units[i] + (i ? ` (${fmtCount(n)} B)` : '');
}

export const isTyping = t => t instanceof HTMLElement &&
  (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));
