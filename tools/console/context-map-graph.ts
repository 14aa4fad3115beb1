import { describeTrigger } from '#tools/context-map/describe-trigger';
import { BOUNDED_CONTEXTS, type BoundedContext, type ContextMap, type HandlerEntry } from '#tools/context-map/model';

/**
 * The bounded-context map drawn as an event flow, left to right: the
 * handlers that publish (grouped by context), the events (grouped by the
 * context that owns them), the handlers the rules deliver them to (grouped by
 * context). Handlers that neither publish nor consume (queries, the starter)
 * stay with the publishers, in their context's box.
 */

interface MapGroup {
  readonly context: BoundedContext;
  readonly column: 'handlers' | 'events' | 'consumers';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface MapNode {
  readonly id: string;
  readonly kind: 'handler' | 'event';
  readonly label: string;
  /** What runs it (route, queue, state, rule) or, for an event, its source. */
  readonly detail: string;
  readonly context: BoundedContext;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface MapEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'publishes' | 'delivers';
  /** The rule that delivers the event. */
  readonly rule?: string;
  readonly path: string;
}

export interface ContextMapLayout {
  readonly width: number;
  readonly height: number;
  readonly groups: readonly MapGroup[];
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

const MAP_METRICS = { margin: 16, columnWidth: 220, columnGap: 150, nodeHeight: 42, nodeGap: 10, groupPadding: 10, groupTitle: 24, groupGap: 18 } as const;
const { margin, columnWidth, columnGap, nodeHeight, nodeGap, groupPadding, groupTitle, groupGap } = MAP_METRICS;

const handlerNodeId = (name: string) => `handler:${name}`;
const eventNodeId = (detailType: string) => `event:${detailType}`;
const consumerNodeId = (name: string) => `consumer:${name}`;

const triggersOf = (handler: HandlerEntry) => handler.triggers.map(describeTrigger).join(', ');

interface Column {
  readonly column: MapGroup['column'];
  readonly x: number;
  readonly members: ReadonlyArray<{ readonly context: BoundedContext; readonly nodes: ReadonlyArray<Omit<MapNode, 'x' | 'y' | 'width' | 'height'>> }>;
}

const placeColumn = ({ column, x, members }: Column): { groups: MapGroup[]; nodes: MapNode[]; bottom: number } => {
  const groups: MapGroup[] = [];
  const nodes: MapNode[] = [];
  let y = margin;
  for (const { context, nodes: groupNodes } of members) {
    if (groupNodes.length === 0) continue;
    const height = groupTitle + groupPadding + groupNodes.length * (nodeHeight + nodeGap) - nodeGap + groupPadding;
    groups.push({ context, column, x, y, width: columnWidth, height });
    groupNodes.forEach((node, index) => {
      nodes.push({
        ...node,
        x: x + groupPadding,
        y: y + groupTitle + groupPadding + index * (nodeHeight + nodeGap),
        width: columnWidth - 2 * groupPadding,
        height: nodeHeight,
      });
    });
    y += height + groupGap;
  }
  return { groups, nodes, bottom: y - groupGap };
};

const curve = (from: MapNode, to: MapNode): string => {
  const sx = from.x + from.width;
  const sy = from.y + from.height / 2;
  const tx = to.x;
  const ty = to.y + to.height / 2;
  const bend = (tx - sx) / 2;
  return `M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}`;
};

export const layoutContextMap = (map: ContextMap): ContextMapLayout => {
  const isConsumer = (handler: HandlerEntry) => handler.consumes.length > 0;
  const byContext = <T extends { context: BoundedContext }>(items: readonly T[]) =>
    BOUNDED_CONTEXTS.map((context) => ({ context, items: items.filter((item) => item.context === context) }));

  const columns: Column[] = [
    {
      column: 'handlers',
      x: margin,
      members: byContext(map.handlers.filter((handler) => !isConsumer(handler))).map(({ context, items }) => ({
        context,
        nodes: items.map((handler) => ({ id: handlerNodeId(handler.name), kind: 'handler' as const, label: handler.name, detail: triggersOf(handler), context })),
      })),
    },
    {
      column: 'events',
      x: margin + columnWidth + columnGap,
      members: byContext(map.events).map(({ context, items }) => ({
        context,
        nodes: items.map((event) => ({ id: eventNodeId(event.detailType), kind: 'event' as const, label: event.detailType, detail: event.source, context })),
      })),
    },
    {
      column: 'consumers',
      x: margin + 2 * (columnWidth + columnGap),
      members: byContext(map.handlers.filter(isConsumer)).map(({ context, items }) => ({
        context,
        nodes: items.map((handler) => ({ id: consumerNodeId(handler.name), kind: 'handler' as const, label: handler.name, detail: triggersOf(handler), context })),
      })),
    },
  ];
  const placed = columns.map(placeColumn);
  const nodes = placed.flatMap((column) => column.nodes);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const nodeOfHandler = (name: string) => byId.get(handlerNodeId(name)) ?? byId.get(consumerNodeId(name));

  const edges: MapEdge[] = [
    ...map.handlers.flatMap((handler) =>
      handler.publishes.flatMap((detailType): MapEdge[] => {
        const from = nodeOfHandler(handler.name);
        const to = byId.get(eventNodeId(detailType));
        return from && to ? [{ from: from.id, to: to.id, kind: 'publishes', path: curve(from, to) }] : [];
      }),
    ),
    ...map.rules.flatMap((rule) =>
      rule.detailTypes.flatMap((detailType) =>
        rule.targets.flatMap((target): MapEdge[] => {
          const from = byId.get(eventNodeId(detailType));
          const to = nodeOfHandler(target);
          return from && to ? [{ from: from.id, to: to.id, kind: 'delivers', rule: rule.name, path: curve(from, to) }] : [];
        }),
      ),
    ),
  ];
  const groups = placed.flatMap((column) => column.groups);
  return {
    width: margin + Math.max(0, ...groups.map((group) => group.x + group.width)),
    height: margin + Math.max(0, ...placed.map((column) => column.bottom)),
    groups,
    nodes,
    edges,
  };
};
