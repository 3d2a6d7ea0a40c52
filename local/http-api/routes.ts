/**
 * The HTTP API's route table, built from the `httpApi` events in
 * `serverless.yml`, and API Gateway's route selection: the most specific
 * route wins (a literal segment beats `{param}`, which beats `{greedy+}`; an
 * explicit method beats `ANY`), and `$default` (`'*'`) catches the rest.
 */
import { functionLimits, httpApiEvents, type ServerlessYml } from '../serverless-yml.js';

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

/** One route: its key as API Gateway writes it and the function that serves it. */
export interface Route {
  /** `POST /job-templates`, `$default`. */
  routeKey: string;
  /** Upper-case method, or `ANY`. */
  method: string;
  segments: readonly Segment[];
  functionKey: string;
  /** `functions/api/create-job-template.handler` */
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  /** The route carries the `aws_iam` authorizer: locally, the API token guards it. */
  iamAuthorizer: boolean;
}

/** A selected route and the path parameters it bound (percent-decoded). */
export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

function parseSegments(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => {
      const greedy = /^\{(.+)\+\}$/.exec(s);
      if (greedy) return { kind: 'greedy', name: greedy[1]! };
      const param = /^\{(.+)\}$/.exec(s);
      if (param) return { kind: 'param', name: param[1]! };
      return { kind: 'literal', value: s };
    });
}

/** The routes `serverless.yml` declares. */
export function routesOf(yml: ServerlessYml): Route[] {
  const routes: Route[] = [];
  for (const [functionKey, fn] of Object.entries(yml.functions ?? {})) {
    for (const { method, path, iamAuthorizer } of httpApiEvents(fn)) {
      const isDefault = path === '*';
      const m = method === '*' ? 'ANY' : method;
      routes.push({
        routeKey: isDefault ? '$default' : `${m} ${path}`,
        method: m,
        segments: isDefault ? [{ kind: 'greedy', name: 'proxy' }] : parseSegments(path),
        functionKey,
        handler: fn.handler,
        ...functionLimits(yml, functionKey),
        iamAuthorizer,
      });
    }
  }
  return routes;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Binds `rawSegments` to `route`, or undefined; a lower score is more specific. */
function bind(
  route: Route,
  rawSegments: string[],
): { score: number[]; params: Record<string, string> } | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const raw = rawSegments[i];
    if (seg.kind === 'greedy') {
      const rest = rawSegments.slice(i);
      if (route.routeKey !== '$default' && (rest.length === 0 || rest.join('') === '')) return undefined;
      if (route.routeKey !== '$default') params[seg.name] = decode(rest.join('/'));
      score.push(2);
      return { score, params };
    }
    if (raw === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (decode(raw) !== seg.value) return undefined;
      score.push(0);
    } else {
      if (raw === '') return undefined;
      params[seg.name] = decode(raw);
      score.push(1);
    }
  }
  return rawSegments.length === route.segments.length ? { score, params } : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 3) - (b[i] ?? 3);
    if (d !== 0) return d;
  }
  return 0;
}

/** Selects the route for `method` and `rawPath` (still percent-encoded), as API Gateway does. */
export function selectRoute(
  routes: readonly Route[],
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  const rawSegments = rawPath.split('/').slice(1);
  let best: { route: Route; score: number[]; params: Record<string, string> } | undefined;
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method.toUpperCase()) continue;
    const bound = bind(route, rawSegments);
    if (!bound) continue;
    // An explicit method is more specific than ANY at equal path specificity.
    const score = [...bound.score, route.method === 'ANY' ? 1 : 0];
    if (route.routeKey === '$default') score.unshift(9);
    if (!best || compare(score, best.score) < 0) best = { route, score, params: bound.params };
  }
  return best && { route: best.route, pathParameters: best.params };
}
