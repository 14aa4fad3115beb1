/**
 * HTTP API route keys ("POST /purchases/{purchaseId}", "ANY /{proxy+}",
 * "$default") and the matching API Gateway does: among the routes that match
 * a request, the most specific wins, literal segments before path
 * variables before greedy variables, an exact method before ANY, and
 * `$default` only when nothing else matches.
 */

const DEFAULT_ROUTE_KEY = '$default';
const ANY_METHOD = 'ANY';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', ANY_METHOD]);

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface RoutePattern {
  readonly routeKey: string;
  readonly method: string;
  /** Undefined for `$default`, which matches every request. */
  readonly segments?: readonly Segment[];
}

export interface RouteMatch<T> {
  readonly route: T;
  readonly routeKey: string;
  /** Undefined when the route has no path variables, as in the event API Gateway sends. */
  readonly pathParameters?: Record<string, string>;
}

export class InvalidRouteKeyError extends Error {
  override readonly name = 'InvalidRouteKeyError';
}

const VARIABLE = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

const parseSegment = (routeKey: string) => (text: string, index: number, all: readonly string[]): Segment => {
  const variable = VARIABLE.exec(text);
  if (!variable) {
    if (/[{}]/.test(text)) throw new InvalidRouteKeyError(`Route "${routeKey}": "${text}" is not a path variable like {name} or {name+}`);
    return { kind: 'literal', value: text };
  }
  const name = variable[1] ?? '';
  if (variable[2] !== '+') return { kind: 'variable', name };
  if (index !== all.length - 1) throw new InvalidRouteKeyError(`Route "${routeKey}": the greedy variable {${name}+} must be the last segment`);
  return { kind: 'greedy', name };
};

const parseRouteKey = (routeKey: string): RoutePattern => {
  if (routeKey === DEFAULT_ROUTE_KEY) return { routeKey, method: ANY_METHOD };
  const [method, path, ...rest] = routeKey.trim().split(/\s+/);
  if (!method || !path || rest.length > 0 || !METHODS.has(method) || !path.startsWith('/')) {
    throw new InvalidRouteKeyError(`Route key "${routeKey}" is not "<METHOD> /<path>" or "$default"`);
  }
  const texts = path.slice(1).split('/');
  return { routeKey, method, segments: texts.map(parseSegment(routeKey)) };
};

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The path variables when `pattern` matches the request path segments, undefined otherwise. */
const matchSegments = (segments: readonly Segment[], pathSegments: readonly string[]): Record<string, string> | undefined => {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const actual = pathSegments[index];
    if (segment.kind === 'greedy') {
      const remainder = pathSegments.slice(index);
      if (remainder.length === 0 || remainder.every((part) => part === '')) return undefined;
      parameters[segment.name] = remainder.map(decodeSegment).join('/');
      return parameters;
    }
    if (actual === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decodeSegment(actual) !== segment.value) return undefined;
    } else {
      if (actual === '') return undefined;
      parameters[segment.name] = decodeSegment(actual);
    }
  }
  return pathSegments.length === segments.length ? parameters : undefined;
};

const SEGMENT_RANK = { literal: 3, variable: 2, greedy: 1 } as const;
const rankOf = (segment: Segment | undefined): number => (segment ? SEGMENT_RANK[segment.kind] : 0);

/** Negative when `a` is more specific than `b`. */
const bySpecificity = (a: RoutePattern, b: RoutePattern): number => {
  if (!a.segments || !b.segments) return (a.segments ? -1 : 0) + (b.segments ? 1 : 0);
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const rankA = rankOf(a.segments[index]);
    const rankB = rankOf(b.segments[index]);
    if (rankA !== rankB) return rankB - rankA;
  }
  return (a.method === ANY_METHOD ? 1 : 0) - (b.method === ANY_METHOD ? 1 : 0);
};

/** Routes compiled once at startup; `match` is then a scan over them in order of specificity. */
export class RouteTable<T extends { readonly routeKey: string }> {
  private readonly entries: ReadonlyArray<{ readonly pattern: RoutePattern; readonly route: T }>;

  constructor(routes: readonly T[]) {
    const seen = new Set<string>();
    for (const route of routes) {
      if (seen.has(route.routeKey)) throw new InvalidRouteKeyError(`Route "${route.routeKey}" is declared twice`);
      seen.add(route.routeKey);
    }
    this.entries = routes
      .map((route) => ({ pattern: parseRouteKey(route.routeKey), route }))
      .sort((a, b) => bySpecificity(a.pattern, b.pattern));
  }

  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const pathSegments = rawPath.slice(1).split('/');
    for (const { pattern, route } of this.entries) {
      if (pattern.method !== ANY_METHOD && pattern.method !== method) continue;
      if (!pattern.segments) return { route, routeKey: pattern.routeKey };
      const parameters = matchSegments(pattern.segments, pathSegments);
      if (parameters) {
        return Object.keys(parameters).length > 0
          ? { route, routeKey: pattern.routeKey, pathParameters: parameters }
          : { route, routeKey: pattern.routeKey };
      }
    }
    return undefined;
  }
}
