/* global document */
/**
 * A few helpers so the views build the DOM without a framework. Text always
 * goes in as text nodes: nothing the API returns is ever parsed as HTML.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

const append = (element, children) => {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return element;
};

const setAttributes = (element, attributes) => {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  return element;
};

/** h('a', { href: '#/' }, 'text', child...) */
export const h = (tag, attributes, ...children) => append(setAttributes(document.createElement(tag), attributes), children);

/** The same for SVG elements. */
export const s = (tag, attributes, ...children) => append(setAttributes(document.createElementNS(SVG_NS, tag), attributes), children);

export const formatDuration = (ms) => {
  if (ms === undefined || ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
};

/** Times in UTC, as the command-line tools print them, so support can compare both. */
export const formatTime = (iso) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : '');
export const formatClock = (iso) => (iso ? iso.slice(11, 23) : '');

const STATUS_CLASS = {
  SUCCEEDED: 'ok',
  CONFIRMED: 'ok',
  FAILED: 'bad',
  TIMED_OUT: 'bad',
  ABORTED: 'bad',
  RUNNING: 'live',
  PENDING_REDRIVE: 'live',
  QUEUED: 'live',
};

export const statusBadge = (status) => h('span', { class: `badge ${STATUS_CLASS[status] ?? 'neutral'}`, 'data-status': status }, status.replace('_', ' '));

/**
 * A SUCCEEDED execution is settled either way: confirmed, or rejected (seats
 * taken, card declined) with its compensations run. One that is FAILED,
 * TIMED_OUT or ABORTED needs a person. Each gets its own colour.
 */
export const sagaOutcomeBadge = ({ outcome, reason, needsAPerson }) => {
  if (needsAPerson) return h('span', { class: 'badge bad', 'data-outcome': 'NEEDS_A_PERSON', title: 'A step kept failing: fix the cause, then redrive' }, 'NEEDS A PERSON');
  if (outcome === 'CONFIRMED') return h('span', { class: 'badge ok', 'data-outcome': outcome, title: 'Sold, paid and invoiced' }, 'CONFIRMED');
  if (outcome === 'FAILED') {
    return h('span', { class: 'badge rejected', 'data-outcome': outcome, title: 'Rejected, every compensation ran: settled, nobody has to act' }, reason ? `FAILED · ${reason}` : 'FAILED');
  }
  return undefined;
};

export const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children);

export const errorBox = (message) => h('p', { class: 'error-box', role: 'alert' }, message);

export const table = (headers, rows, attributes = {}) =>
  h('table', attributes, h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))), h('tbody', {}, rows));
