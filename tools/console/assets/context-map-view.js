import { fetchContextMap } from './api.js';
import { errorBox, h, section, table } from './dom.js';
import { renderContextMapGraph } from './graph-view.js';

const list = (items) => (items.length === 0 ? h('span', { class: 'muted' }, '—') : items.join(', '));
const contextChip = (context) => h('span', { class: `context-chip context-${context.toLowerCase()}` }, context);

const handlersTable = (model, runsOn) =>
  table(
    ['Context', 'Handler', 'Runs on', 'Publishes', 'Consumes'],
    model.contexts.flatMap((context) =>
      model.handlers
        .filter((handler) => handler.context === context.name)
        .map((handler) =>
          h(
            'tr',
            {},
            h('td', {}, contextChip(handler.context)),
            h('td', { class: 'mono' }, handler.name),
            h('td', {}, list(runsOn[handler.name] ?? [])),
            h('td', {}, list(handler.publishes)),
            h('td', {}, list(handler.consumes)),
          ),
        ),
    ),
  );

const eventsTable = (model) =>
  table(
    ['Event', 'Owner', 'Published by', 'Delivered to'],
    model.events.map((event) =>
      h(
        'tr',
        {},
        h('td', {}, h('strong', {}, event.detailType), h('div', { class: 'muted small' }, event.description)),
        h('td', {}, contextChip(event.context)),
        h('td', { class: 'mono' }, list(event.publishers)),
        h('td', { class: 'mono' }, list(event.consumers)),
      ),
    ),
  );

const rulesTable = (model) =>
  table(
    ['Rule', 'Detail-types', 'Target'],
    model.rules.map((rule) => h('tr', {}, h('td', { class: 'mono' }, rule.name), h('td', {}, rule.detailTypes.join(', ')), h('td', { class: 'mono' }, list(rule.targets)))),
  );

const stepsTable = (model) =>
  table(
    ['State', 'Role', 'Handler'],
    model.steps.map((step) => h('tr', {}, h('td', {}, step.state), h('td', {}, step.role), h('td', { class: 'mono' }, step.handler))),
  );

export const renderContextMap = (root) => {
  let stopped = false;
  root.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Bounded-context map')), h('p', { class: 'muted' }, 'Loading…'));
  fetchContextMap()
    .then(({ model, layout, runsOn }) => {
      if (stopped) return;
      root.replaceChildren(
        h('div', { class: 'toolbar' }, h('h1', {}, 'Bounded-context map'), h('span', { class: 'muted small' }, 'generated from the code and the synthesized template (docs/context-map.md)')),
        section('Event flow', h('div', { class: 'graph-scroll', 'data-testid': 'context-map' }, renderContextMapGraph(layout))),
        section('Handlers by bounded context', handlersTable(model, runsOn)),
        section('Events', eventsTable(model)),
        h('div', { class: 'columns' }, section('Rules', rulesTable(model)), section('State machine steps', stepsTable(model))),
      );
    })
    .catch((error) => {
      if (!stopped) root.replaceChildren(errorBox(error.message));
    });
  return () => {
    stopped = true;
  };
};
