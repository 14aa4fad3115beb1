import { h, s } from './dom.js';

/**
 * Draws the layouts the server computes (tools/console/asl-graph.ts and
 * context-map-graph.ts): this file only turns boxes and paths into SVG.
 */

export const OUTCOME_LABELS = {
  succeeded: 'Succeeded',
  retried: 'Succeeded after retries',
  caught: 'Failed, caught',
  failed: 'Failed',
  running: 'Running',
  'not-visited': 'Not visited',
};

const arrowMarker = (id, className) =>
  s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: className }, s('path', { d: 'M0,0 L10,5 L0,10 z' }));

const svgRoot = (width, height, label, ...children) =>
  s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'graph' }, ...children);

const nodeCaption = (node) => {
  if (node.outcome === 'not-visited' || node.type === 'Fail' || node.type === 'Succeed') return node.type;
  if (node.error) return node.error;
  if (node.attempts) return `${node.type} · ${node.attempts} attempts`;
  return node.type;
};

const isTerminal = (node) => node.type === 'Fail' || node.type === 'Succeed';

/** The state machine, each state coloured by how the execution went through it. */
export const renderStateMachine = (graph) => {
  const edges = graph.edges.map((edge) =>
    s(
      'path',
      {
        d: edge.path,
        class: `edge ${edge.kind}${edge.taken ? ' taken' : ''}`,
        'marker-end': `url(#${edge.taken ? 'arrow-taken' : 'arrow'})`,
        'data-from': edge.from,
        'data-to': edge.to,
      },
      s('title', {}, `${edge.from} → ${edge.to}${edge.errors ? ` on ${edge.errors.join(', ')}` : ''}${edge.taken ? ' (taken)' : ''}`),
    ),
  );
  const nodes = graph.nodes.map((node) =>
    s(
      'g',
      { class: `node outcome-${node.outcome}`, 'data-state': node.id, 'data-outcome': node.outcome, transform: `translate(${node.x},${node.y})` },
      s('title', {}, `${node.id} (${node.type}): ${OUTCOME_LABELS[node.outcome]}${node.attempts ? `, ${node.attempts} attempts` : ''}${node.error ? `, ${node.error}` : ''}`),
      s('rect', { width: node.width, height: node.height, rx: isTerminal(node) ? node.height / 2 : 8 }),
      s('text', { x: node.width / 2, y: 18, class: 'label' }, node.id),
      s('text', { x: node.width / 2, y: 34, class: 'caption' }, nodeCaption(node)),
    ),
  );
  return svgRoot(
    graph.width,
    graph.height,
    'State machine with the path this execution took',
    s('defs', {}, arrowMarker('arrow', 'arrowhead'), arrowMarker('arrow-taken', 'arrowhead taken')),
    s('g', { class: 'edges' }, edges),
    s('g', { class: 'nodes' }, nodes),
  );
};

export const outcomeLegend = () =>
  h(
    'ul',
    { class: 'legend' },
    Object.entries(OUTCOME_LABELS).map(([outcome, label]) => h('li', {}, h('span', { class: `swatch outcome-${outcome}` }), label)),
    h('li', {}, h('span', { class: 'swatch-line catch' }), 'Catch'),
    h('li', {}, h('span', { class: 'swatch-line taken' }), 'Path taken'),
  );

const contextClass = (context) => `context-${context.toLowerCase()}`;

/** The bounded-context map as an event flow: publishers, events, consumers. */
export const renderContextMapGraph = (layout) => {
  const groups = layout.groups.map((group) =>
    s(
      'g',
      { class: `group ${contextClass(group.context)}`, transform: `translate(${group.x},${group.y})` },
      s('rect', { width: group.width, height: group.height, rx: 10 }),
      s('text', { x: 10, y: 17, class: 'group-title' }, group.column === 'events' ? `${group.context} events` : group.context),
    ),
  );
  const edges = layout.edges.map((edge) =>
    s('path', { d: edge.path, class: `edge ${edge.kind}`, 'marker-end': 'url(#map-arrow)' }, s('title', {}, edge.rule ? `delivered by rule ${edge.rule}` : 'publishes')),
  );
  const nodes = layout.nodes.map((node) =>
    s(
      'g',
      { class: `map-node ${node.kind} ${contextClass(node.context)}`, transform: `translate(${node.x},${node.y})`, 'data-node': node.id },
      s('title', {}, `${node.label}: ${node.detail}`),
      s('rect', { width: node.width, height: node.height, rx: node.kind === 'event' ? node.height / 2 : 6 }),
      s('text', { x: 10, y: 17, class: 'label' }, node.label),
      s('text', { x: 10, y: 32, class: 'caption' }, node.detail.length > 34 ? `${node.detail.slice(0, 33)}…` : node.detail),
    ),
  );
  return svgRoot(
    layout.width,
    layout.height,
    'Bounded-context map: handlers, the events they publish and the handlers the rules deliver them to',
    s('defs', {}, arrowMarker('map-arrow', 'arrowhead')),
    s('g', {}, groups),
    s('g', { class: 'edges' }, edges),
    s('g', {}, nodes),
  );
};
