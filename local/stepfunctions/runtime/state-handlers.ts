/**
 * The local handlers the library calls for each Task state (and for each Wait
 * state, which the prepared definition turned into a Task). A Task handler
 * owns the whole state entry: attempts, `Retry` pauses on the virtual clock,
 * timeouts; only the final failure goes back to the library, for `Catch`.
 */
import type { StateInfo } from '../definition/prepare.js';
import { isJsonObject, type Json } from '../json.js';
import { sleepUntil } from './clock.js';
import { type Retrier, RetryPolicy } from './retry-policy.js';
import { runAttempt } from './task-attempt.js';
import type { TaskEnvironment } from './task-environment.js';
import { TaskFailure, toLibraryError } from './task-failure.js';

export type LocalStateHandler = (envelope: Json) => Promise<Json>;

const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function positiveInteger(value: Json | undefined, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new TaskFailure(
    'States.Runtime',
    `The value of ${field} must be a positive integer, got ${JSON.stringify(value)}`,
  );
}

/** The handler of a Task state. */
export function taskStateHandler(env: TaskEnvironment, info: StateInfo): LocalStateHandler {
  const target = info.target;
  if (!target || target.kind === 'unsupported') throw new Error(`state ${info.name} is not a runnable Task`);
  const retriers = (info.definition.Retry ?? []) as unknown as Retrier[];
  return async (envelope) => {
    const entry = env.history.openEntry(info.name);
    const enteredAt = env.clock.now();
    const fields = isJsonObject(envelope) ? envelope : {};
    const timeoutSeconds = positiveInteger(
      fields.timeoutSeconds ?? info.definition.TimeoutSeconds,
      'TimeoutSeconds',
    );
    const heartbeatSeconds = positiveInteger(
      fields.heartbeatSeconds ?? info.definition.HeartbeatSeconds,
      'HeartbeatSeconds',
    );
    const policy = new RetryPolicy(retriers, env.random);
    for (let retryCount = 0; ; retryCount++) {
      const outcome = await runAttempt(env, {
        entry,
        target,
        rawParameters: fields.parameters ?? null,
        enteredAt,
        retryCount,
        ...(timeoutSeconds !== undefined && { timeoutSeconds }),
        ...(heartbeatSeconds !== undefined && { heartbeatSeconds }),
      });
      if (outcome.ok) return outcome.output;
      const pause = policy.next(outcome.failure.error);
      if (pause === undefined) throw await toLibraryError(outcome.failure);
      env.history.countRetry();
      await sleepUntil(env.clock, env.clock.now() + pause, env.signal);
    }
  };
}

/** The handler of a Wait state: waits on the virtual clock, passes its input through. */
export function waitStateHandler(env: TaskEnvironment): LocalStateHandler {
  return async (envelope) => {
    const fields = isJsonObject(envelope) ? envelope : {};
    let until = env.clock.now();
    if (fields.seconds !== undefined) {
      const seconds = fields.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw new TaskFailure(
          'States.Runtime',
          `Wait seconds must be a non-negative integer, got ${JSON.stringify(seconds)}`,
        );
      }
      until += seconds * 1000;
    } else if (fields.timestamp !== undefined) {
      const timestamp = fields.timestamp;
      if (typeof timestamp !== 'string' || !RFC3339.test(timestamp)) {
        throw new TaskFailure(
          'States.Runtime',
          `Wait timestamp must be an RFC 3339 timestamp, got ${JSON.stringify(timestamp)}`,
        );
      }
      until = Date.parse(timestamp);
    }
    await sleepUntil(env.clock, until, env.signal);
    return fields.input ?? null;
  };
}
