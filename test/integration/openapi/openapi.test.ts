/**
 * docs/openapi.yaml against what is actually served: its operations are
 * exactly the routes serverless.yml declares, and each operation's
 * parameters, body, security and error answers are those its handler
 * enforces (the zod schemas in `handler.contract`, as JSON Schema). The
 * release answers are checked against the zod schemas the views are typed by.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { failureReasonsSchema, waveExecutionPageSchema } from '../../../lib/releases/execution-schemas.js';
import { releasePlanSchema } from '../../../lib/releases/plan-view.js';
import {
  historyEventViewSchema,
  pageSchema,
  releaseSummarySchema,
  releaseViewSchema,
} from '../../../lib/releases/release-view.js';
import {
  compareSchema,
  DocumentUpdates,
  generated,
  type Json,
  type Located,
  loadDocument,
  resolve,
  type ServedRoute,
  servedRoutes,
} from './contract.js';

/** Answers whose schema is generated from the view schemas. */
const answers: Record<string, z.ZodType> = {
  Release: releaseViewSchema,
  ReleasePage: pageSchema(releaseSummarySchema),
  ReleaseHistoryPage: pageSchema(historyEventViewSchema),
  ReleasePlan: releasePlanSchema,
  WaveExecutionPage: waveExecutionPageSchema,
  FailureReasons: failureReasonsSchema,
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const BOTH_AUTH = [{ awsSigV4: [] }, { bearerToken: [] }];

let doc: Json;
let routes: ServedRoute[];
const updates = new DocumentUpdates();

beforeAll(async () => {
  doc = await loadDocument();
  routes = await servedRoutes();
});

afterAll(async () => {
  await updates.write();
});

/** `POST /releases/{releaseId}/cancel` → the operation object and where it is. */
function operation(route: ServedRoute['route']): { pathItem: Located; op: Located } {
  const path = route.routeKey.slice(route.method.length + 1);
  const pathItem = { node: doc.paths?.[path], at: ['paths', path] };
  const method = route.method.toLowerCase();
  return { pathItem, op: { node: pathItem.node?.[method], at: ['paths', path, method] } };
}

/** The operation's parameters (path-item level, then operation level), `$ref`s followed. */
function parameters(pathItem: Located, op: Located): Located[] {
  const from = (owner: Located) =>
    ((owner.node?.parameters ?? []) as Json[]).map((p, i) => resolve(doc, p, [...owner.at, 'parameters', i]));
  return [...from(pathItem), ...from(op)];
}

const partOf = { path: 'path', query: 'query', headers: 'header' } as const;

describe('docs/openapi.yaml', () => {
  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info?.title).toBeTruthy();
  });

  it('documents exactly the routes serverless.yml declares', () => {
    const documented = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => r.route.routeKey).sort());
  });

  it('documents every path, query and header parameter each handler validates, with its schema', () => {
    const problems: string[] = [];
    for (const { route, contract } of routes) {
      const { pathItem, op } = operation(route);
      if (!op.node) continue; // reported by the route test
      const params = parameters(pathItem, op);
      for (const [part, where] of Object.entries(partOf) as [keyof typeof partOf, string][]) {
        const schema = contract.schemas[part];
        const json = schema ? generated(schema, part === 'headers' ? 'input' : 'output') : { properties: {} };
        const expected = Object.keys(json.properties ?? {});
        const documented = params.filter((p) => p.node.in === where);
        const names = documented.map((p) => (where === 'header' ? p.node.name.toLowerCase() : p.node.name));
        if (JSON.stringify([...names].sort()) !== JSON.stringify([...expected].sort())) {
          problems.push(
            `${route.routeKey}: ${where} parameters ${names} but the handler validates ${expected}`,
          );
          continue;
        }
        for (const p of documented) {
          const name = where === 'header' ? p.node.name.toLowerCase() : p.node.name;
          const required = where === 'path' || (json.required ?? []).includes(name);
          if (p.node.required !== required) {
            problems.push(`${route.routeKey}: ${where} parameter ${name} must have required: ${required}`);
          }
          const problem = compareSchema(
            `${route.routeKey} ${where} ${name}`,
            { node: p.node.schema, at: [...p.at, 'schema'] },
            json.properties[name],
            updates,
          );
          if (problem) problems.push(problem);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents each request body with the schema its handler enforces, required unless optional', () => {
    const problems: string[] = [];
    for (const { route, contract } of routes) {
      const { op } = operation(route);
      if (!op.node) continue; // reported by the route test
      const body = contract.schemas.body;
      const requestBody = op.node.requestBody;
      if (!body) {
        if (requestBody) problems.push(`${route.routeKey}: documents a body the handler does not accept`);
        continue;
      }
      if (!requestBody) {
        problems.push(`${route.routeKey}: the handler accepts a body that is not documented`);
        continue;
      }
      const optional = body.safeParse(undefined).success;
      if (requestBody.required !== !optional) {
        problems.push(`${route.routeKey}: requestBody.required must be ${!optional}`);
      }
      const schemaAt = [...op.at, 'requestBody', 'content', 'application/json', 'schema'];
      const documented = resolve(doc, requestBody.content?.['application/json']?.schema, schemaAt);
      const problem = compareSchema(`${route.routeKey} body`, documented, generated(body, 'input'), updates);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });

  it('documents the release answers with the schemas the views are typed by', () => {
    const problems = Object.entries(answers).flatMap(([name, schema]) => {
      const at = ['components', 'schemas', name];
      const problem = compareSchema(
        name,
        { node: doc.components.schemas[name], at },
        generated(schema, 'output'),
        updates,
      );
      return problem ? [problem] : [];
    });
    expect(problems).toEqual([]);
  });

  it('requires IAM (AWS) or the bearer token (local) on exactly the routes that authenticate callers', () => {
    for (const { route } of routes) {
      const { op } = operation(route);
      if (!op.node) continue; // reported by the route test
      const security = op.node.security ?? doc.security;
      expect(security, route.routeKey).toEqual(route.iamAuthorizer ? BOTH_AUTH : []);
    }
  });

  it('documents every error answer a route can give, each with the Error body', () => {
    const problems: string[] = [];
    for (const { route, contract } of routes) {
      const { op } = operation(route);
      if (!op.node) continue; // reported by the route test
      const { schemas } = contract;
      const want = ['429', '500', '502'];
      if (schemas.body || schemas.path || schemas.query || schemas.headers) want.push('400');
      if (route.iamAuthorizer) want.push('401');
      if (schemas.path) want.push('404');
      if (schemas.body) want.push('413', '415');
      for (const status of want) {
        const response = op.node.responses?.[status];
        if (!response) {
          problems.push(`${route.routeKey}: no ${status} answer documented`);
          continue;
        }
        const body = resolve(doc, response, []).node.content?.['application/json']?.schema;
        if (body?.$ref !== '#/components/schemas/Error') {
          problems.push(`${route.routeKey}: the ${status} answer must have the Error body`);
        }
      }
      const throttled = resolve(doc, op.node.responses?.['429'], []).node;
      if (!throttled?.headers?.['Retry-After']) problems.push(`${route.routeKey}: 429 without Retry-After`);
    }
    expect(problems).toEqual([]);
  });

  it('resolves every $ref in the document', () => {
    const refs: string[] = [];
    const walk = (node: Json) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if (typeof node.$ref === 'string') refs.push(node.$ref);
        Object.values(node).forEach(walk);
      }
    };
    walk(doc);
    // The document shares its error and view schemas by reference: none at all would mean the walk saw nothing.
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(() => resolve(doc, { $ref: ref }, []), ref).not.toThrow();
  });
});
