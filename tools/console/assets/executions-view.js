/* global window, setTimeout, clearTimeout, URLSearchParams */
import { fetchExecutions } from './api.js';
import { errorBox, formatDuration, formatTime, h, sagaOutcomeBadge, statusBadge, table } from './dom.js';

/**
 * "Failed" means the executions a person must act on: FAILED, TIMED_OUT or
 * ABORTED. A rejected purchase (seats taken, card declined) is SUCCEEDED,
 * with its outcome FAILED: it is settled, so it is under "Succeeded".
 */
const STATUS_FILTERS = [
  ['', 'All', undefined],
  ['RUNNING', 'Running', undefined],
  ['SUCCEEDED', 'Succeeded', 'Settled: confirmed, or rejected and compensated'],
  ['NEEDS_A_PERSON', 'Failed', 'Failed, timed out or aborted: needs a person'],
];
const PURCHASE_ID = /^[A-Za-z0-9-]{8,64}$/;
/** Each refresh reads the history of every execution not yet succeeded: slower than the purchase page, to stay clear of API throttling. */
const REFRESH_MS = 5000;

const hrefFor = ({ status, search }) => {
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (search) query.set('search', search);
  const text = query.toString();
  return `#/${text ? `?${text}` : ''}`;
};

const purchaseHref = (purchaseId) => `#/purchases/${encodeURIComponent(purchaseId)}`;

const row = (execution) =>
  h(
    'tr',
    {
      class: 'clickable',
      'data-purchase-id': execution.purchaseId,
      'data-status': execution.status,
      'data-outcome': execution.needsAPerson ? 'NEEDS_A_PERSON' : execution.outcome,
      onclick: () => (window.location.hash = purchaseHref(execution.purchaseId)),
    },
    h('td', {}, h('a', { class: 'mono', href: purchaseHref(execution.purchaseId) }, execution.purchaseId)),
    h('td', {}, statusBadge(execution.status)),
    h('td', {}, sagaOutcomeBadge(execution) ?? ''),
    h('td', { class: 'nowrap' }, formatTime(execution.startedAt)),
    h('td', { class: 'nowrap num' }, formatDuration(execution.durationMs)),
    h('td', {}, execution.step ?? ''),
    h('td', { class: 'error-text' }, execution.error ?? ''),
  );

const notes = (list, search) => {
  if (list.executions.length > 0) {
    return list.searchedBy === 'latest' ? h('p', { class: 'muted small' }, 'Matches among the latest executions only; a whole purchase ID finds an older one.') : undefined;
  }
  if (search && PURCHASE_ID.test(search)) {
    return h(
      'p',
      { class: 'empty' },
      `No execution named ${search}. The purchase may still be queued: `,
      h('a', { href: purchaseHref(search) }, 'open its purchase page'),
      '.',
    );
  }
  return h('p', { class: 'empty' }, search ? `No execution matches “${search}”.` : 'No executions yet.');
};

const renderList = (list, search) =>
  h(
    'div',
    {},
    list.executions.length > 0
      ? table(['Purchase', 'Status', 'Outcome', 'Started (UTC)', 'Duration', 'Step', 'Error'], list.executions.map(row), { class: 'executions', 'data-testid': 'executions' })
      : undefined,
    notes(list, search),
  );

export const renderExecutions = (root, params) => {
  const status = params.get('status') ?? '';
  const search = params.get('search') ?? '';
  let timer;
  let stopped = false;

  const input = h('input', {
    type: 'search',
    name: 'search',
    value: search,
    placeholder: 'Purchase ID, or a part of one',
    'aria-label': 'Search by purchase ID',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const form = h(
    'form',
    {
      class: 'search',
      role: 'search',
      onsubmit: (event) => {
        event.preventDefault();
        window.location.hash = hrefFor({ status, search: input.value.trim() });
      },
    },
    input,
    h('button', { type: 'submit' }, 'Search'),
  );
  const filters = h(
    'div',
    { class: 'filters', role: 'group', 'aria-label': 'Filter by status' },
    STATUS_FILTERS.map(([value, label, title]) =>
      h('a', { href: hrefFor({ status: value, search }), class: value === status ? 'chip active' : 'chip', 'data-filter': value || 'ALL', title }, label),
    ),
  );
  const results = h('div', { class: 'card' }, h('p', { class: 'muted' }, 'Loading…'));
  const updated = h('span', { class: 'muted small' });

  const load = async () => {
    clearTimeout(timer);
    try {
      const list = await fetchExecutions({ status, search });
      if (stopped) return;
      results.replaceChildren(renderList(list, search));
      const running = list.executions.some((execution) => execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE');
      updated.textContent = `${running ? 'Refreshing while executions run · ' : ''}updated ${new Date().toISOString().slice(11, 19)} UTC`;
      if (running) timer = setTimeout(load, REFRESH_MS);
    } catch (error) {
      if (!stopped) results.replaceChildren(errorBox(error.message));
    }
  };

  root.append(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Executions'), updated, h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh')),
    h('div', { class: 'controls' }, filters, form),
    results,
  );
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
