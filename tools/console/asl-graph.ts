import { z } from 'zod';

/**
 * Lays out an Amazon States Language definition as a graph the browser draws
 * as SVG, without a layout library: the path from StartAt along `Next` is the
 * top row (the forward steps), and each `Catch` leads one row down (the
 * compensations, and below them whatever a compensation's own Catch leads
 * to, should a definition have one). A state
 * reached by a Catch sits under the rightmost state that catches into it, and
 * a chain of `Next` inside a lower row runs right to left, since
 * compensations undo the forward steps in reverse order.
 */

const catcherSchema = z.object({ ErrorEquals: z.array(z.string()).default([]), Next: z.string() });
const stateSchema = z.looseObject({
  Type: z.string(),
  Comment: z.string().optional(),
  Next: z.string().optional(),
  Default: z.string().optional(),
  Choices: z.array(z.looseObject({ Next: z.string() })).optional(),
  Catch: z.array(catcherSchema).optional(),
});
export const aslDefinitionSchema = z.looseObject({
  StartAt: z.string(),
  States: z.record(z.string(), stateSchema),
});
export type AslDefinition = z.infer<typeof aslDefinitionSchema>;

/** The colour a state gets: how its latest entry ended, or that the execution never entered it. */
type NodeOutcome = 'succeeded' | 'retried' | 'caught' | 'failed' | 'running' | 'not-visited';

type EdgeKind = 'next' | 'catch' | 'choice';

interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly row: number;
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly outcome: NodeOutcome;
  /** Task attempts of the latest entry, when more than one. */
  readonly attempts?: number;
  /** Why it was caught or failed, e.g. "PaymentDeclined". */
  readonly error?: string;
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The errors a Catch matches. */
  readonly errors?: readonly string[];
  /** The execution went from `from` to `to`. */
  readonly taken: boolean;
  /** SVG path data, ending where the arrowhead goes. */
  readonly path: string;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** What the execution did in each state it entered (see purchase-view.ts). */
export interface StateVisit {
  readonly outcome: Exclude<NodeOutcome, 'not-visited'>;
  readonly attempts: number;
  readonly error?: string;
}

export interface GraphOverlay {
  readonly visits: ReadonlyMap<string, StateVisit>;
  /** Consecutive states of the execution, as "from->to". */
  readonly transitions: ReadonlySet<string>;
}

const NO_OVERLAY: GraphOverlay = { visits: new Map(), transitions: new Set() };

export const GRAPH_METRICS = { nodeWidth: 176, nodeHeight: 44, columnGap: 32, rowGap: 64, margin: 16 } as const;

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly errors?: readonly string[];
}

const edgesOf = (definition: AslDefinition): Edge[] =>
  Object.entries(definition.States).flatMap(([name, state]) => [
    ...(state.Next ? [{ from: name, to: state.Next, kind: 'next' as const }] : []),
    ...(state.Choices ?? []).map((choice) => ({ from: name, to: choice.Next, kind: 'choice' as const })),
    ...(state.Default ? [{ from: name, to: state.Default, kind: 'choice' as const }] : []),
    ...(state.Catch ?? []).map((catcher) => ({ from: name, to: catcher.Next, kind: 'catch' as const, errors: catcher.ErrorEquals })),
  ]);

/**
 * Row of each state = the fewest Catch transitions on a path from StartAt
 * (a 0-1 breadth-first search: Next and Choice cost 0, Catch costs 1), in
 * the order states are discovered, which is the order they are placed in.
 */
const rowsOf = (definition: AslDefinition, edges: readonly Edge[]): Map<string, number> => {
  const rows = new Map<string, number>();
  const deque: Array<{ name: string; row: number }> = [{ name: definition.StartAt, row: 0 }];
  for (let next = deque.shift(); next; next = deque.shift()) {
    const { name, row } = next;
    if (rows.has(name) || !(name in definition.States)) continue;
    rows.set(name, row);
    const outgoing = edges.filter((e) => e.from === name && !rows.has(e.to));
    // Same-row states go first, in the order the definition lists them.
    deque.unshift(...outgoing.filter((e) => e.kind !== 'catch').map((e) => ({ name: e.to, row })));
    deque.push(...outgoing.filter((e) => e.kind === 'catch').map((e) => ({ name: e.to, row: row + 1 })));
  }
  const lastRow = Math.max(0, ...rows.values());
  // States nothing leads to still belong on the page: below everything else.
  for (const name of Object.keys(definition.States)) if (!rows.has(name)) rows.set(name, lastRow + 1);
  return rows;
};

const nearestFreeColumn = (taken: ReadonlySet<number>, wanted: number): number => {
  for (let distance = 0; ; distance += 1) {
    if (!taken.has(wanted + distance)) return wanted + distance;
    if (!taken.has(wanted - distance)) return wanted - distance;
  }
};

const columnsOf = (rows: ReadonlyMap<string, number>, edges: readonly Edge[]): Map<string, number> => {
  const columns = new Map<string, number>();
  const takenByRow = new Map<number, Set<number>>();
  let nextForwardColumn = 0;
  for (const [name, row] of rows) {
    const taken = takenByRow.get(row) ?? new Set<number>();
    takenByRow.set(row, taken);
    let wanted: number;
    if (row === 0) {
      wanted = nextForwardColumn;
      nextForwardColumn += 1;
    } else {
      const catchers = edges.filter((e) => e.to === name && e.kind === 'catch' && rows.get(e.from) === row - 1).map((e) => columns.get(e.from));
      const placedCatchers = catchers.filter((column): column is number => column !== undefined);
      const predecessor = edges.map((e) => (e.to === name && e.kind !== 'catch' && rows.get(e.from) === row ? columns.get(e.from) : undefined)).find((c) => c !== undefined);
      wanted = placedCatchers.length > 0 ? Math.max(...placedCatchers) : predecessor !== undefined ? predecessor - 1 : 0;
    }
    const column = nearestFreeColumn(taken, wanted);
    taken.add(column);
    columns.set(name, column);
  }
  const shift = -Math.min(0, ...columns.values());
  return new Map([...columns].map(([name, column]) => [name, column + shift]));
};

const { nodeWidth, nodeHeight, columnGap, rowGap, margin } = GRAPH_METRICS;

const round = (value: number) => Math.round(value * 10) / 10;

/** Straight between neighbours of a row, arched over a row otherwise, and an S-curve between rows. */
const pathBetween = (from: GraphNode, to: GraphNode, inboundOffset: number): string => {
  if (from.row === to.row) {
    const rightwards = to.x > from.x;
    const sx = rightwards ? from.x + from.width : from.x;
    const tx = rightwards ? to.x : to.x + to.width;
    const y = from.y + from.height / 2;
    if (Math.abs(from.column - to.column) === 1) return `M${sx},${y} L${tx},${y}`;
    const top = from.y - rowGap / 3;
    const fromX = from.x + from.width / 2;
    const toX = to.x + to.width / 2;
    return `M${fromX},${from.y} C${fromX},${top} ${toX},${top} ${toX},${to.y}`;
  }
  const downwards = to.row > from.row;
  const sx = from.x + from.width / 2;
  const sy = downwards ? from.y + from.height : from.y;
  const tx = round(to.x + to.width / 2 + inboundOffset);
  const ty = downwards ? to.y : to.y + to.height;
  const bend = (ty - sy) / 2;
  return `M${sx},${sy} C${sx},${round(sy + bend)} ${tx},${round(ty - bend)} ${tx},${ty}`;
};

const nodeOf = (name: string, type: string, row: number, column: number, visit: StateVisit | undefined): GraphNode => ({
  id: name,
  type,
  row,
  column,
  x: margin + column * (nodeWidth + columnGap),
  y: margin + row * (nodeHeight + rowGap),
  width: nodeWidth,
  height: nodeHeight,
  outcome: visit?.outcome ?? 'not-visited',
  ...(visit && visit.attempts > 1 ? { attempts: visit.attempts } : {}),
  ...(visit?.error ? { error: visit.error } : {}),
});

export const layoutStateMachine = (definition: AslDefinition, overlay: GraphOverlay = NO_OVERLAY): GraphLayout => {
  const edges = edgesOf(definition).filter((edge) => edge.to in definition.States);
  const rows = rowsOf(definition, edges);
  const columns = columnsOf(rows, edges);
  const nodes = [...rows].map(([name, row]) => nodeOf(name, definition.States[name]?.Type ?? 'Unknown', row, columns.get(name) ?? 0, overlay.visits.get(name)));
  const byId = new Map(nodes.map((node) => [node.id, node]));

  // Edges arriving from another row spread along the target's top edge, so their arrowheads stay apart.
  const inbound = new Map<string, Edge[]>();
  for (const edge of edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (from && to && from.row !== to.row) inbound.set(edge.to, [...(inbound.get(edge.to) ?? []), edge]);
  }
  const offsetOf = (edge: Edge): number => {
    const siblings = (inbound.get(edge.to) ?? []).slice().sort((a, b) => (byId.get(a.from)?.x ?? 0) - (byId.get(b.from)?.x ?? 0));
    const index = siblings.indexOf(edge);
    return siblings.length < 2 || index < 0 ? 0 : ((index / (siblings.length - 1)) - 0.5) * (nodeWidth * 0.5);
  };

  const graphEdges = edges.flatMap((edge): GraphEdge[] => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from || !to) return [];
    return [
      {
        from: edge.from,
        to: edge.to,
        kind: edge.kind,
        ...(edge.errors ? { errors: edge.errors } : {}),
        taken: overlay.transitions.has(`${edge.from}->${edge.to}`),
        path: pathBetween(from, to, offsetOf(edge)),
      },
    ];
  });
  const width = margin * 2 + (Math.max(0, ...nodes.map((node) => node.column)) + 1) * (nodeWidth + columnGap) - columnGap;
  const height = margin * 2 + (Math.max(0, ...nodes.map((node) => node.row)) + 1) * (nodeHeight + rowGap) - rowGap;
  return { width, height, nodes, edges: graphEdges };
};
