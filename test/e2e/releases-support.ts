/**
 * The release API end to end: HTTP calls with any headers, a valid release
 * request to vary, and driving the manual clock until the API shows what a
 * test waits for. Simulated time moves only through the workflow driver.
 */
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { httpFetch } from '../../cli/api/http-fetch.js';
import type { LocalStack } from '../../local/endpoints.js';
import { type ApiResponse, api, clearIotFaults, injectIotFault } from '../support/local-stack.js';
import { runUntilRead, type StackClients } from '../support/workflow.js';
import { run } from '../unit/cli/support/fake-io.js';

/** An HTTP answer, its body parsed as JSON when there is one. */
export type Answer = ApiResponse;

/** Calls the REST API. A string body is sent as is (malformed JSON, huge bodies); anything else as JSON. */
export function call(
  stack: LocalStack,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return api(stack, method, path, options.body, options.headers);
}

/** A valid request: 10 → 50 → 100 % of the seeded `fleet` group, from template `fw-2-0`. */
export function releaseRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobTemplateId: 'fw-2-0',
    targets: { thingGroups: ['fleet'] },
    waves: [{ percentage: 10 }, { percentage: 50 }, { percentage: 100 }],
    ...overrides,
  };
}

/**
 * POSTs `body` to `path` (/releases, or its dry run) while the local IoT
 * answers every `operation` call with ThrottlingException, and checks the
 * answer is the 429 with `Retry-After` that a throttle the SDK's retries did
 * not absorb gets.
 */
export async function expectThrottledCreate(
  stack: LocalStack,
  operation: string,
  body: Record<string, unknown>,
  path = '/releases',
): Promise<void> {
  await injectIotFault(stack, { operation, error: 'ThrottlingException' });
  try {
    const res = await call(stack, 'POST', path, { body });
    if (res.status !== 429)
      throw new Error(`POST /releases answered ${res.status}: ${JSON.stringify(res.json)}`);
    if (res.headers.get('retry-after') !== '1' || res.json.code !== 'ThrottledError') {
      throw new Error(
        `not the throttle answer: ${res.headers.get('retry-after')} ${JSON.stringify(res.json)}`,
      );
    }
  } finally {
    await clearIotFaults(stack);
  }
}

/** POSTs a release and checks the 202; returns its id. */
export async function createReleaseOk(stack: LocalStack, body: Record<string, unknown>): Promise<string> {
  const res = await call(stack, 'POST', '/releases', { body });
  if (res.status !== 202)
    throw new Error(`POST /releases answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.release.releaseId;
}

/** Drives the clock until GET /releases/{id} satisfies `done`; returns that answer's body. */
export function runUntilApi(
  stack: LocalStack,
  releaseId: string,
  // biome-ignore lint/suspicious/noExplicitAny: the release view as JSON
  done: (view: any) => boolean,
  what: string,
  // biome-ignore lint/suspicious/noExplicitAny: the release view as JSON
): Promise<any> {
  return runUntilRead(
    stack,
    async () => (await call(stack, 'GET', `/releases/${releaseId}`)).json,
    (view) => view !== undefined && done(view),
    `${releaseId}: ${what}`,
  );
}

/** The names of the release state machine's executions (ListExecutions, every page). */
export async function executionNames(stack: LocalStack, clients: StackClients): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn, maxResults: 100, nextToken }),
    );
    names.push(...(page.executions ?? []).map((e) => e.name ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

/** Runs the CLI in-process against `stack`; every wait of `watch` is one virtual minute of the workflow and the fleet. */
export function cliFor(stack: LocalStack) {
  return (argv: string[]) =>
    run(argv, {
      fetch: httpFetch,
      env: { FLEETWAVE_API_URL: stack.apiUrl },
      sleep: async () => {
        await stack.workflow.driver.settle();
        await stack.clock.advance(60_000);
      },
    });
}
