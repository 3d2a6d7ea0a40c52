/**
 * Matches `METHOD /path` against path templates with `{label}` segments and
 * returns the decoded labels. Literal segments win over labels, so a fixed
 * path such as `/thing-groups/addThingToThingGroup` is never read as a label.
 */

interface CompiledRoute<T> {
  method: string;
  segments: readonly string[];
  /** Count of literal segments: more literals match first. */
  specificity: number;
  value: T;
}

export interface RouteMatch<T> {
  value: T;
  params: Record<string, string>;
}

const isLabel = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

export class PathRouter<T> {
  private readonly routes: CompiledRoute<T>[] = [];

  add(method: string, pathTemplate: string, value: T): void {
    const segments = pathTemplate.split('/').slice(1);
    this.routes.push({
      method: method.toUpperCase(),
      segments,
      specificity: segments.filter((s) => !isLabel(s)).length,
      value,
    });
    this.routes.sort((a, b) => b.specificity - a.specificity);
  }

  /** The route for a method and a raw (still percent-encoded) path, or undefined. */
  match(method: string, rawPath: string): RouteMatch<T> | undefined {
    const parts = rawPath.split('/').slice(1);
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase() || route.segments.length !== parts.length) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { value: route.value, params };
    }
    return undefined;
  }
}

function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (isLabel(segment)) {
      if (part === '') return undefined;
      const decoded = safeDecode(part);
      if (decoded === undefined) return undefined;
      params[segment.slice(1, -1)] = decoded;
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
