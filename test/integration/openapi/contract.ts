/**
 * What the OpenAPI test compares: the document (`docs/openapi.yaml`), the
 * routes `serverless.yml` declares, the contract each route's handler
 * enforces (`handler.contract`: its zod schemas, body limit and auth), and
 * the JSON Schema zod generates from those schemas.
 *
 * Documented schemas may carry annotations (description, title, examples)
 * the generated ones lack; everything else must be equal. With
 * `FLEETWAVE_UPDATE_OPENAPI=1`, every generated section that differs is
 * written into the document (keeping its annotations) instead.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { z } from 'zod';
import { canonicalJson } from '../../../lib/domain/release-request.js';
import type { HttpRouteContract } from '../../../lib/http/index.js';
import { type Route, routesOf } from '../../../local/http-api/routes.js';
import { projectRoot, readServerlessYml } from '../../../local/serverless-yml.js';

const openApiFile = join(projectRoot, 'docs/openapi.yaml');
const updating = process.env.FLEETWAVE_UPDATE_OPENAPI === '1';

// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON walked by key
export type Json = any;
export type Pointer = (string | number)[];

/** A documented node and where it sits in the document (after following `$ref`s). */
export interface Located {
  node: Json;
  at: Pointer;
}

export async function loadDocument(): Promise<Json> {
  return parse(await readFile(openApiFile, 'utf8'));
}

/** Follows a local `$ref` (`#/components/...`, JSON-pointer escaped). */
export function resolve(doc: Json, node: Json, at: Pointer): Located {
  let current: Located = { node, at };
  while (current.node && typeof current.node.$ref === 'string') {
    const ref: string = current.node.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    const path = ref
      .slice(2)
      .split('/')
      .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    let target = doc;
    for (const key of path) target = target?.[key];
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    current = { node: target, at: path };
  }
  return current;
}

/** A route served by the local stack (from serverless.yml) and the contract its handler enforces. */
export interface ServedRoute {
  route: Route;
  contract: HttpRouteContract;
}

export async function servedRoutes(): Promise<ServedRoute[]> {
  const routes = routesOf(await readServerlessYml(projectRoot));
  return Promise.all(
    routes.map(async (route) => {
      const dot = route.handler.lastIndexOf('.');
      const file = join(projectRoot, `${route.handler.slice(0, dot)}.ts`);
      const mod = (await import(pathToFileURL(file).href)) as Record<
        string,
        { contract?: HttpRouteContract }
      >;
      const handler = mod[route.handler.slice(dot + 1)];
      if (!handler?.contract) throw new Error(`${route.handler} is not an httpHandler (no contract)`);
      return { route, contract: handler.contract };
    }),
  );
}

/** The JSON Schema of `schema` as zod generates it (2020-12, what OpenAPI 3.1 uses), without `$schema`. */
export function generated(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return json;
}

const ANNOTATIONS = new Set(['description', 'title', 'examples', 'example', 'deprecated']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['items', 'not', 'additionalProperties', 'contains']);

/** A schema without its annotations (a property *named* `description` is kept). */
function structure(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(structure);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (key === 'properties' || key === '$defs') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, structure(v)]));
    } else if (SCHEMA_LISTS.has(key) || SCHEMA_VALUES.has(key)) {
      out[key] = structure(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** `fresh` with the annotations `old` had at the same places, so an update keeps the prose. */
function keepAnnotations(fresh: Json, old: Json): Json {
  if (fresh === null || typeof fresh !== 'object' || old === null || typeof old !== 'object') return fresh;
  if (Array.isArray(fresh))
    return fresh.map((v, i) => keepAnnotations(v, Array.isArray(old) ? old[i] : undefined));
  const out: Json = {};
  for (const key of Object.keys(old)) if (ANNOTATIONS.has(key)) out[key] = old[key];
  for (const [key, value] of Object.entries(fresh)) {
    if (key === 'properties') {
      out[key] = Object.fromEntries(
        Object.entries(value as object).map(([k, v]) => [k, keepAnnotations(v, old.properties?.[k])]),
      );
    } else {
      out[key] = keepAnnotations(value, old[key]);
    }
  }
  return out;
}

/** Sections of the document to rewrite from generated schemas (update mode). */
export class DocumentUpdates {
  private readonly updates: { at: Pointer; value: Json }[] = [];

  set(at: Pointer, value: Json): void {
    this.updates.push({ at, value });
  }

  get size(): number {
    return this.updates.length;
  }

  async write(): Promise<void> {
    if (this.updates.length === 0) return;
    const doc = parseDocument(await readFile(openApiFile, 'utf8'));
    for (const { at, value } of this.updates) doc.setIn(at, doc.createNode(value));
    await writeFile(openApiFile, doc.toString({ lineWidth: 0 }));
  }
}

/**
 * Compares a documented schema with the generated one. In update mode a
 * difference is queued for writing and not reported; otherwise it is the
 * error message to fail with (undefined when they agree).
 */
export function compareSchema(
  where: string,
  documented: Located,
  fresh: Json,
  updates: DocumentUpdates,
): string | undefined {
  if (canonicalJson(structure(documented.node)) === canonicalJson(structure(fresh))) return undefined;
  if (updating) {
    updates.set(documented.at, keepAnnotations(fresh, documented.node));
    return undefined;
  }
  return `${where}: docs/openapi.yaml (${documented.at.join('.')}) differs from the enforced schema ${JSON.stringify(fresh)}; run FLEETWAVE_UPDATE_OPENAPI=1 npx vitest run test/integration/openapi, then npx biome check --write docs/openapi.yaml`;
}
