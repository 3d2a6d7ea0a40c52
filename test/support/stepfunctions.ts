/**
 * Test harness for the local Step Functions endpoint: the emulator on a
 * loopback endpoint, a real SFN client, a manual virtual clock, and bounded
 * polling for the asynchronous task I/O between clock moves.
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { closeServer, listen } from '../../local/aws-endpoint/listen.js';
import { createAwsEndpoint } from '../../local/aws-endpoint/router.js';
import type { TimeMode } from '../../local/clock/clock.js';
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import {
  createStepFunctionsEmulator,
  type StepFunctionsEmulator,
  type StepFunctionsEmulatorOptions,
  type TaskHandler,
  type TaskResolver,
} from '../../local/stepfunctions/index.js';

export interface SfnHarness {
  clock: VirtualClock;
  emulator: StepFunctionsEmulator;
  client: SFNClient;
  endpoint: string;
  close(): Promise<void>;
}

/** 2026-01-01T00:00:00Z: a fixed virtual start. */
export const T0 = Date.UTC(2026, 0, 1);

export async function startSfnHarness(
  options: Omit<StepFunctionsEmulatorOptions, 'clock'> & { mode?: TimeMode } = {},
): Promise<SfnHarness> {
  const { mode, ...emulatorOptions } = options;
  const clock = new VirtualClock({ start: T0, mode: mode ?? { kind: 'manual' } });
  const emulator = createStepFunctionsEmulator({ clock, ...emulatorOptions });
  const server = createAwsEndpoint([emulator]);
  const port = await listen(server, 0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SFNClient({
    endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    clock,
    emulator,
    client,
    endpoint,
    async close() {
      client.destroy();
      clock.stop();
      await emulator.close();
      await closeServer(server);
    },
  };
}

export const functionArn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A `lambda:invoke` Task state passing its whole input and keeping the function's result. */
export const invokeState = (fn: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionArn(fn), 'Payload.$': '$' },
  OutputPath: '$.Payload',
});

/** A resolver over handlers keyed by function name. */
export function resolverOf(handlers: Record<string, TaskHandler>): TaskResolver {
  return (arnOrName) => handlers[arnOrName.split(':').at(-1) ?? arnOrName] ?? handlers[arnOrName];
}

/**
 * Polls `probe` until it returns a value, for asynchronous I/O (HTTP, task
 * handlers) to settle; never used to let simulated time pass.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  attempts = 1000,
  intervalMs = 5,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Waits until the history holds `count` events of `type`. */
export function untilHistoryHas(client: SFNClient, executionArn: string, type: string, count = 1) {
  return eventually(async () => {
    const events = await historyOf(client, executionArn);
    return events.filter((e) => e.type === type).length >= count ? events : undefined;
  }, `${count} ${type} event(s)`);
}

/** Waits until the execution has left RUNNING (or reached `status`). */
export function untilStatus(
  client: SFNClient,
  executionArn: string,
  status?: string,
): Promise<DescribeExecutionCommandOutput> {
  return eventually(
    async () => {
      const out = await client.send(new DescribeExecutionCommand({ executionArn }));
      const done = status === undefined ? out.status !== 'RUNNING' : out.status === status;
      return done ? out : undefined;
    },
    `execution ${status ?? 'closed'}`,
  );
}

/** The type sequence of a history, for order assertions. */
export const typesOf = (events: readonly HistoryEvent[]): string[] => events.map((e) => e.type ?? '?');
