/**
 * The event-trigger wrapper: typed events, the two contracts for a malformed
 * event (throw, or log and drop), the invocation's log keys and the IoT call
 * scope on the event's clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { currentIotCallScope, type IotCallScope } from '../../../lib/adapters/iot-call-scope.js';
import { resetConfig } from '../../../lib/config.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { logger } from '../../../lib/logger.js';
import { type EventTriggerOptions, eventTrigger } from '../../../lib/triggers/event-trigger.js';
import { lambdaContext } from '../http/events.js';

const savedEnv = { ...process.env };
beforeAll(() => {
  process.env.AWS_REGION = 'us-east-1';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // The budget's clock is the event's, as on the local stack, so the scope's `now` can be checked.
  process.env.FLEETWAVE_IOT_BUDGET_CLOCK = 'event';
  resetConfig();
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  process.env = savedEnv;
  resetConfig();
});

const pingSchema = z.object({ id: z.string().min(1), at: z.string(), count: z.number().int() });
type Ping = z.infer<typeof pingSchema>;
const AT = '2026-01-01T00:00:00.000Z';
const ping: Ping = { id: 'p-1', at: AT, count: 3 };

function options(
  malformed: EventTriggerOptions<Ping, string>['malformed'],
): EventTriggerOptions<Ping, string> {
  return {
    what: 'ping event',
    schema: pingSchema,
    malformed,
    eventTime: (event) => Date.parse(event.at),
    logKeys: (event) => ({ pingId: event.id }),
  };
}

/** The JSON log lines written while `run` runs (INFO to stdout, WARN to stderr). */
async function logged<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: object[] }> {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    });
  }
  try {
    return { result: await run(), lines: parse(chunks) };
  } catch (error) {
    return { error, lines: parse(chunks) };
  } finally {
    vi.restoreAllMocks();
  }
}

function parse(chunks: string[]): object[] {
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as object);
}

describe('eventTrigger', () => {
  it('runs the use case with the parsed, typed event and answers what it returns', async () => {
    const seen: Ping[] = [];
    const handler = eventTrigger(options({ kind: 'throw' }), async (event) => {
      seen.push(event);
      return `pong ${event.count}`;
    });
    expect(await handler({ ...ping, extra: 'dropped by the schema' }, lambdaContext())).toBe('pong 3');
    expect(seen).toEqual([ping]);
  });

  it('throws a ValidationError naming the bad fields when the contract is to throw, without running', async () => {
    const run = vi.fn(async () => 'never');
    const handler = eventTrigger(options({ kind: 'throw' }), run);
    const error = await handler({ id: '', at: AT, count: 1.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('The trigger received a malformed ping event.');
    expect((error as ValidationError).details.map((d) => d.path)).toEqual(['id', 'count']);
    expect(run).not.toHaveBeenCalled();
  });

  it('logs and drops a malformed event with the fixed answer when the contract is to drop', async () => {
    const run = vi.fn(async () => 'never');
    const handler = eventTrigger(options({ kind: 'drop', answer: 'dropped' }), run);
    const { result, lines } = await logged(() => handler({ id: 'p-2', at: AT }));
    expect(result).toBe('dropped');
    expect(run).not.toHaveBeenCalled();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'ping event ignored: malformed',
        problems: [{ path: 'count', message: expect.any(String) }],
      }),
    ]);
  });

  it("gives every log line of the invocation the event's keys and the Lambda context, then removes them", async () => {
    const handler = eventTrigger(options({ kind: 'throw' }), async (_event, { logger }) => {
      logger.info('inside');
      return 'ok';
    });
    const { lines } = await logged(async () => {
      await handler(ping, lambdaContext());
      logger().info('after');
    });
    expect(lines[0]).toMatchObject({ message: 'inside', pingId: 'p-1', function_name: 'fleetwave-test-fn' });
    expect(lines[1]).toMatchObject({ message: 'after' });
    expect(lines[1]).not.toHaveProperty('pingId');
  });

  it('removes the keys when the use case fails, and lets the error through', async () => {
    const handler = eventTrigger(options({ kind: 'throw' }), async () => {
      throw new Error('boom');
    });
    const error = await handler(ping).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom');
    const { lines } = await logged(async () => logger().info('after'));
    expect(lines[0]).toMatchObject({ message: 'after' });
    expect(lines[0]).not.toHaveProperty('pingId');
  });

  it("counts the use case's IoT calls as borrowed, on the event's clock", async () => {
    let scope: IotCallScope | undefined;
    let now: number | undefined;
    const handler = eventTrigger(options({ kind: 'throw' }), async (_event, ctx) => {
      scope = currentIotCallScope();
      now = ctx.now();
      return 'ok';
    });
    await handler(ping);
    expect(scope).toMatchObject({ mode: 'borrow', now: Date.parse(AT) });
    expect(now).toBe(Date.parse(AT));
    expect(currentIotCallScope()).toBeUndefined();
  });

  it('falls back to the wall clock when the event carries no usable time', async () => {
    let now: number | undefined;
    const handler = eventTrigger(options({ kind: 'throw' }), async (_event, ctx) => {
      now = ctx.now();
      return 'ok';
    });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 5, 1) });
    try {
      await handler({ ...ping, at: 'not a time' });
    } finally {
      vi.useRealTimers();
    }
    expect(now).toBe(Date.UTC(2026, 5, 1));
  });
});
