/* global setTimeout, clearTimeout */
import { fetchPurchase } from './api.js';
import { errorBox, formatClock, formatDuration, formatTime, h, sagaOutcomeBadge, section, statusBadge, table } from './dom.js';
import { OUTCOME_LABELS, outcomeLegend, renderStateMachine } from './graph-view.js';

const REFRESH_MS = 2000;

const RECORD_FIELDS = [
  ['status', 'Status'],
  ['buyerId', 'Buyer'],
  ['concertId', 'Concert'],
  ['seatIds', 'Seats'],
  ['total', 'Total'],
  ['paymentRef', 'Payment'],
  ['invoiceId', 'Invoice'],
  ['failedStep', 'Failed step'],
  ['failureReason', 'Failure reason'],
  ['failureMessage', 'Failure message'],
  ['createdAt', 'Created (UTC)'],
  ['updatedAt', 'Updated (UTC)'],
  ['correlationId', 'Correlation id'],
  ['idempotencyKey', 'Idempotency key'],
];

const formatField = (field, value) => {
  if (field === 'seatIds' && Array.isArray(value)) return value.join(', ');
  if (field === 'total' && value && typeof value === 'object') return `${(value.amount / 100).toFixed(2)} ${value.currency}`;
  if (field === 'createdAt' || field === 'updatedAt') return formatTime(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const outcomeBadge = (outcome) => h('span', { class: `outcome outcome-${outcome}` }, OUTCOME_LABELS[outcome] ?? outcome);

/** Confirmed, rejected and settled, running, or stopped and waiting for a person: each its own colour. */
const verdictClass = (page) => {
  if (page.personNeeded) return 'bad';
  if (page.outcome?.outcome === 'CONFIRMED') return 'ok';
  if (page.outcome?.outcome === 'FAILED') return 'rejected';
  return page.live ? 'live' : 'bad';
};

const verdictBox = (page) => h('p', { class: `verdict ${verdictClass(page)}`, 'data-testid': 'verdict' }, page.verdict);

/** What npm run inspect says, laid out: where it stopped, what is unsettled, what to do. */
const personNeededBox = (page) => {
  const person = page.personNeeded;
  if (!person) return undefined;
  return h(
    'section',
    { class: 'card person-needed', 'data-testid': 'person-needed', role: 'alert' },
    h('h2', {}, 'Needs a person'),
    person.stoppedIn
      ? h('p', {}, 'Stopped in ', h('strong', {}, person.stoppedIn), person.afterRetries ? ' after its retries' : '', person.error ? ` (${person.error})` : '', '.')
      : undefined,
    person.unsettled ? h('p', {}, 'Unsettled: ', person.unsettled, '.') : undefined,
    person.wentWrongAt
      ? h('p', { class: 'muted' }, 'It went wrong first at ', h('strong', {}, person.wentWrongAt.step), person.wentWrongAt.error ? ` (${person.wentWrongAt.error})` : '', '.')
      : undefined,
    h('p', { 'data-testid': 'action' }, h('strong', {}, 'What to do: '), person.action),
  );
};

const graphSection = (page) =>
  section(
    'State machine',
    page.graph ? h('div', { class: 'graph-scroll', 'data-testid': 'state-machine' }, renderStateMachine(page.graph)) : errorBox(page.graphProblem ?? 'no graph'),
    outcomeLegend(),
  );

const stepsSection = (page) =>
  section(
    'Steps',
    page.steps.length === 0
      ? h('p', { class: 'empty' }, 'No step has run yet.')
      : table(
          ['Step', 'Outcome', 'Attempts', 'Entered', 'Duration', 'Error'],
          page.steps.map((step) =>
            h(
              'tr',
              { 'data-step': step.name, 'data-outcome': step.outcome },
              h('td', {}, step.name, h('span', { class: 'muted small' }, ` ${step.type}`)),
              h('td', {}, outcomeBadge(step.outcome === 'succeeded' && step.retries > 0 ? 'retried' : step.outcome)),
              h('td', { class: 'num' }, step.attempts || ''),
              h('td', { class: 'nowrap mono small' }, formatClock(step.enteredAt)),
              h('td', { class: 'nowrap num' }, formatDuration(step.durationMs)),
              h('td', { class: 'error-text' }, step.error ?? ''),
            ),
          ),
          { class: 'steps', 'data-testid': 'steps' },
        ),
  );

const COMPENSATION_ENDINGS = {
  'not-run': 'No compensation ran.',
  completed: 'Compensation completed.',
  failed: 'Compensation stopped: the execution failed in it, a person must act.',
  running: 'Compensation in progress…',
};

const nothingToUndo = (step) => {
  if (step.voided === false) return h('span', { class: 'muted' }, ' (no invoice to void)');
  if (step.refunded === false) return h('span', { class: 'muted' }, ' (no charge to refund: the payment key is voided)');
  return '';
};

const compensationSection = (page) =>
  section(
    'Failure and compensation',
    page.failure
      ? h('p', { 'data-testid': 'failed-step' }, 'Failed at ', h('strong', {}, page.failure.step), page.failure.error ? `: ${page.failure.error}` : '')
      : h('p', { class: 'muted' }, 'No step failed.'),
    h('p', { class: `compensation-${page.compensation.ended}` }, COMPENSATION_ENDINGS[page.compensation.ended] ?? page.compensation.ended),
    page.compensation.steps.length > 0
      ? h(
          'ul',
          { class: 'compensations', 'data-testid': 'compensations' },
          page.compensation.steps.map((step) =>
            h(
              'li',
              { 'data-compensation': step.name, 'data-outcome': step.outcome },
              h('strong', {}, step.name),
              ' ',
              outcomeBadge(step.outcome),
              nothingToUndo(step),
              step.at ? h('span', { class: 'muted small' }, ` at ${formatClock(step.at)}`) : '',
              step.error ? h('span', { class: 'error-text' }, ` ${step.error}`) : '',
            ),
          ),
        )
      : undefined,
  );

const recordSection = (page) =>
  section(
    'Purchase record',
    page.record
      ? h(
          'dl',
          { class: 'record', 'data-testid': 'record' },
          RECORD_FIELDS.filter(([field]) => page.record[field] !== undefined).map(([field, label]) => [h('dt', {}, label), h('dd', {}, formatField(field, page.record[field]))]),
        )
      : h('p', { class: 'muted' }, 'No purchase record (the purchases table has no item with this id).'),
    page.recordProblems.length > 0 ? errorBox(`Fields with an unexpected shape: ${page.recordProblems.join('; ')}`) : undefined,
  );

/** A collapsible JSON block; `key` keeps it open across refreshes. */
const dataBlock = (key, label, text) => h('details', { 'data-key': key }, h('summary', {}, label), h('pre', {}, text));

const eventsSection = (page) =>
  section(
    'Domain events',
    h(
      'p',
      { class: 'muted small' },
      page.events.source === 'archive'
        ? `From the event bus archive (${page.events.location ?? 'local archive'}).`
        : 'Inferred from the steps that succeeded: no readable archive (AWS has no API to read one).',
    ),
    page.events.items.length === 0
      ? h('p', { class: 'empty' }, 'No events.')
      : table(
          ['Time (UTC)', 'Event', 'Source', 'Summary'],
          page.events.items.map((event, index) =>
            h(
              'tr',
              { 'data-event': event.detailType },
              h('td', { class: 'nowrap mono small' }, formatClock(event.time)),
              h('td', {}, h('strong', {}, event.detailType)),
              h('td', { class: 'muted' }, event.source),
              h('td', {}, event.summary, event.detail ? dataBlock(`event-${index}`, 'detail', JSON.stringify(event.detail, null, 2)) : ''),
            ),
          ),
          { class: 'events' },
        ),
  );

const historySection = (page) =>
  section(
    'Execution history',
    h('p', { class: 'muted small' }, 'Every event of the execution, with inputs and outputs. Payment tokens and other secrets show as ***.'),
    page.history.length === 0
      ? h('p', { class: 'empty' }, 'No execution yet.')
      : table(
          ['#', 'Time', 'Type', 'State', 'Details'],
          page.history.map((event) =>
            h(
              'tr',
              { class: event.error ? 'failure' : '', 'data-history-type': event.type },
              h('td', { class: 'num muted' }, event.id),
              h('td', { class: 'nowrap mono small' }, `+${formatDuration(event.elapsedMs)}`),
              h('td', {}, event.type),
              h('td', {}, event.state ?? ''),
              h(
                'td',
                {},
                event.error ? h('div', { class: 'error-text' }, event.error) : '',
                event.data.map((item) => dataBlock(`history-${event.id}-${item.label}`, item.label, item.text)),
              ),
            ),
          ),
          { class: 'history', 'data-testid': 'history' },
        ),
  );

const header = (page) =>
  h(
    'div',
    { class: 'toolbar' },
    h('a', { href: '#/', class: 'back' }, '← Executions'),
    h('h1', { class: 'mono' }, page.purchaseId),
    statusBadge(page.status),
    sagaOutcomeBadge({ ...(page.outcome ?? {}), needsAPerson: page.personNeeded !== undefined }),
    page.live ? h('span', { class: 'live-dot', title: 'Refreshing every 2 s' }, 'live') : undefined,
    page.execution ? h('span', { class: 'muted small' }, `started ${formatTime(page.execution.startedAt)} UTC · ${formatDuration(page.execution.durationMs)}`) : undefined,
  );

const renderPage = (page) => [
  header(page),
  verdictBox(page),
  personNeededBox(page),
  graphSection(page),
  h('div', { class: 'columns' }, stepsSection(page), h('div', {}, compensationSection(page), recordSection(page))),
  eventsSection(page),
  historySection(page),
];

/** The purchase page; polls every 2 s while the execution runs or the purchase is still queued. */
export const renderPurchase = (root, purchaseId) => {
  let timer;
  let stopped = false;
  root.replaceChildren(h('p', { class: 'muted' }, `Loading ${purchaseId}…`));

  const load = async () => {
    try {
      const page = await fetchPurchase(purchaseId);
      if (stopped) return;
      const open = new Set([...root.querySelectorAll('details[open]')].map((element) => element.dataset.key));
      root.replaceChildren(...renderPage(page));
      for (const element of root.querySelectorAll('details[data-key]')) if (open.has(element.dataset.key)) element.open = true;
      root.dataset.live = String(page.live);
      if (page.live) timer = setTimeout(load, REFRESH_MS);
    } catch (error) {
      if (!stopped) root.replaceChildren(h('a', { href: '#/', class: 'back' }, '← Executions'), errorBox(error.message));
    }
  };
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
