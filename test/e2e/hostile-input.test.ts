/**
 * Generated hostile input (fast-check) against every REST route and every
 * emulated AWS operation of one local stack: malformed, oversized, deeply
 * nested and oddly encoded bodies, paths, queries and headers. Whatever
 * comes, each request gets an answer (no hang), none is a 5xx, none shows a
 * stack trace or a file path, and afterwards the same stack still runs a
 * release to SUCCEEDED.
 *
 * The runs are bounded in count and time so CI stays fast, and seeded
 * (FLEETWAVE_FUZZ_SEED, default fixed) so a failure reproduces; set another
 * seed, or FLEETWAVE_FUZZ_RUNS, to look further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iotOperations } from '../../local/iot/operations/index.js';
import { httpApiEvents, readServerlessYml } from '../../local/serverless-yml.js';
import { sfnOperations } from '../../local/stepfunctions/operations/index.js';
import { fixedProfile } from '../support/fleet.js';
import { clearIotFaults } from '../support/local-stack.js';
import { useWorkflowStack } from '../support/workflow.js';
import { createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const seed = Number(process.env.FLEETWAVE_FUZZ_SEED ?? 20261206);
const runs = Number(process.env.FLEETWAVE_FUZZ_RUNS ?? 150);
/** Per property: past this, fast-check stops generating and the runs so far stand. */
const timeLimitMs = 40_000;

/**
 * Every REST route `serverless.yml` declares, with `{}` where a path id
 * goes: read from the declaration, so a new route is fuzzed from the day it
 * is added.
 */
const restRoutes: readonly (readonly [string, string])[] = Object.values(
  (await readServerlessYml()).functions ?? {},
).flatMap((fn) =>
  fn ? httpApiEvents(fn).map((e) => [e.method, e.path.replace(/\{[^}]+\}/g, '{}')] as const) : [],
);

/** A path id: plain, odd characters, broken or hostile percent-encodings. */
const pathId = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9_-]{1,70}$/),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('%ZZ', '%E0%A4%A', '%', '%00', '%2F', '..', '%2e%2e', '%C0%AF', '%FF%FE', 'a%20b', '%25'),
);

/**
 * A generated body, described rather than spelt out so a failure's
 * counterexample stays short: the text is built from it in the test.
 */
type BodySpec = { text: string } | { nested: number; open: '[' | '{"a":' } | { commentOfLength: number };

function bodyText(spec: BodySpec): string {
  if ('text' in spec) return spec.text;
  if ('nested' in spec) {
    const close = spec.open === '[' ? ']' : '}';
    return `${spec.open.repeat(spec.nested)}1${close.repeat(spec.nested)}`;
  }
  return JSON.stringify({ comment: 'x'.repeat(spec.commentOfLength) });
}

/** Bodies: valid-looking JSON of any shape, text that is not JSON, deep nesting, big strings. */
const body: fc.Arbitrary<BodySpec> = fc.oneof(
  fc.json({ maxDepth: 6 }).map((text) => ({ text })),
  fc.string({ maxLength: 200 }).map((text) => ({ text })),
  fc.record({
    nested: fc.integer({ min: 1, max: 20_000 }),
    open: fc.constantFrom('[' as const, '{"a":' as const),
  }),
  fc.record({ commentOfLength: fc.integer({ min: 1, max: 2_000_000 }) }),
  fc
    .dictionary(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'releaseId', 'waves'),
      fc.jsonValue(),
    )
    .map((o) => ({ text: JSON.stringify(o) })),
  fc.constant({ text: '' }),
);

const contentType = fc.constantFrom(
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  undefined,
);

const query = fc.oneof(
  fc.constant(''),
  fc
    .record({
      limit: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 10 })),
      nextToken: fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.json().map((j) => Buffer.from(j).toString('base64url')),
        fc.constant(Buffer.from(JSON.stringify({ after: 'x'.repeat(5000) })).toString('base64url')),
      ),
      status: fc.string({ maxLength: 12 }),
    })
    .map((q) => `?${new URLSearchParams(q)}`),
);

interface Sent {
  status: number;
  text: string;
}

async function send(url: string, init: RequestInit): Promise<Sent> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, text: await res.text() };
}

/** What no answer may hold: a stack trace, or a path into the project or its dependencies. */
function expectClean(answer: Sent, what: string): void {
  expect(answer.status, `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expect(answer.text, what).not.toMatch(/\n\s+at .+[(:]\d+/);
  expect(answer.text, what).not.toMatch(/node_modules|\/work\/|\.ts:\d+|file:\/\//);
}

function headersOf(type: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(type === undefined ? {} : { 'content-type': type }), ...extra };
}

/** A SigV4 Authorization header in form (the local endpoint routes by its scope and checks no signature). */
const signedFor = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  'x-amz-date': '20260101T000000Z',
});

describe('hostile input against the local stack', () => {
  const env = useWorkflowStack({
    fleet: { size: 20, canaryShare: 0 },
    profiles: fixedProfile({ startSeconds: 5, runSeconds: 30 }),
  });
  const settings = { seed, numRuns: runs, interruptAfterTimeLimit: timeLimitMs, endOnFailure: true };

  it('answers every REST route without a 5xx, a hang, a stack trace or a path', async () => {
    const { stack } = env();
    // The declared routes, the action routes among them.
    expect(restRoutes).toContainEqual(['POST', '/releases/{}/pause']);
    expect(restRoutes).toContainEqual(['POST', '/releases/{}/resume']);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...restRoutes),
        pathId,
        query,
        body,
        contentType,
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async ([method, route], id, q, spec, type, idempotencyKey) => {
          const path = route.replace('{}', id) + (method === 'GET' ? q : '');
          const extra: Record<string, string> =
            idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey };
          let answer: Sent;
          try {
            answer = await send(stack.apiUrl + path, {
              method,
              headers: headersOf(type, extra),
              ...(method === 'POST' && { body: bodyText(spec) }),
            });
          } catch (error) {
            // Headers fetch itself refuses to send (a control character in a header) never reach the stack.
            if (error instanceof TypeError && /header/i.test(String(error.cause ?? error.message))) return;
            throw error;
          }
          expectClean(answer, `${method} ${path.slice(0, 120)}`);
        },
      ),
      settings,
    );
  });

  it('answers every emulated IoT operation without a 5xx, a hang, a stack trace or a path', async () => {
    const { stack } = env();
    const routes = iotOperations.map((op) => [op.method, op.path] as const);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        pathId,
        query,
        body,
        async ([method, route], id, q, spec) => {
          const path = route.replace(/\{[^}]+\}/g, id) + q;
          const answer = await send(stack.awsUrl + path, {
            method,
            headers: headersOf('application/json', signedFor('iot')),
            ...(method !== 'GET' && method !== 'DELETE' && { body: bodyText(spec) }),
          });
          expectClean(answer, `IoT ${method} ${path.slice(0, 120)}`);
        },
      ),
      settings,
    );
  });

  it('answers every JSON-protocol operation (DynamoDB, Step Functions, EventBridge) the same way', async () => {
    const { stack } = env();
    const targets = [
      ...Object.keys(sfnOperations).map((op) => `AWSStepFunctions.${op}`),
      ...[
        'PutItem',
        'GetItem',
        'Query',
        'Scan',
        'UpdateItem',
        'DeleteItem',
        'BatchWriteItem',
        'CreateTable',
      ].map((op) => `DynamoDB_20120810.${op}`),
      'AWSEvents.PutEvents',
      'AWSEvents.ListRules',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, async (target, spec) => {
        const service = target.startsWith('DynamoDB')
          ? 'dynamodb'
          : target.startsWith('AWSEvents')
            ? 'events'
            : 'states';
        const answer = await send(stack.awsUrl, {
          method: 'POST',
          headers: headersOf(
            service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
            { 'x-amz-target': target, ...signedFor(service) },
          ),
          body: bodyText(spec),
        });
        expectClean(answer, target);
      }),
      settings,
    );
  });

  it('answers SNS query requests and the admin surface the same way', async () => {
    const { stack } = env();
    const adminPaths = [
      '/_fleetwave/faults',
      '/_fleetwave/clock/set',
      '/_fleetwave/clock/advance',
      '/_fleetwave/fleet/seed',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant('sns' as const),
            form: fc.dictionary(
              fc.constantFrom('Action', 'Version', 'TopicArn', 'Message', 'Subject'),
              fc.string({ maxLength: 80 }),
            ),
          }),
          fc.record({
            kind: fc.constant('admin' as const),
            path: fc.constantFrom(...adminPaths),
            text: body,
          }),
        ),
        async (request) => {
          const answer =
            request.kind === 'sns'
              ? await send(stack.awsUrl, {
                  method: 'POST',
                  headers: headersOf('application/x-www-form-urlencoded', signedFor('sns')),
                  body: new URLSearchParams(request.form).toString(),
                })
              : await send(stack.awsUrl + request.path, {
                  method: 'POST',
                  headers: headersOf('application/json'),
                  body: bodyText(request.text),
                });
          expectClean(answer, request.kind === 'sns' ? 'SNS' : request.path);
        },
      ),
      { ...settings, numRuns: Math.ceil(runs / 2) },
    );
  });

  it('still runs a release to SUCCEEDED afterwards', async () => {
    const { stack } = env();
    // A generated body may have been a valid fault to inject: the release runs on a healthy endpoint.
    await clearIotFaults(stack);
    const releaseId = await createReleaseOk(
      stack,
      releaseRequest({ releaseId: 'after-the-storm', waves: [{ percentage: 100 }] }),
    );
    const view = await runUntilApi(
      stack,
      releaseId,
      (v) => v.release.status !== 'PENDING' && v.release.status !== 'IN_PROGRESS',
      'ends',
    );
    expect(view.release.status).toBe('SUCCEEDED');
  });
});
