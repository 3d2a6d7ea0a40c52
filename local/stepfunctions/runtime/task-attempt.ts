/**
 * One attempt of a Task state: resolve the handler, write the scheduled and
 * started events, invoke the handler with the clock held, wait for the task
 * token when the integration asks for one, and write how it ended. Events
 * follow AWS: `Task*` for service integrations (`lambda:invoke` included),
 * `LambdaFunction*` for a function ARN used directly as the Resource.
 */
import type { TaskTarget } from '../definition/task-target.js';
import { isJsonObject, type Json } from '../json.js';
import { holdClock, isoAt, type StepFunctionsClock } from './clock.js';
import { fillContextPlaceholders } from './context-object.js';
import type { StateEntry } from './history.js';
import { functionArnOf, invokeLocal, lambdaInvokeResponse, type TaskHandler } from './lambda.js';
import { TaskDeadline } from './task-deadline.js';
import type { TaskEnvironment } from './task-environment.js';
import { TaskFailure } from './task-failure.js';

export type AttemptOutcome = { ok: true; output: Json } | { ok: false; failure: TaskFailure };

export interface AttemptSpec {
  entry: StateEntry;
  target: Exclude<TaskTarget, { kind: 'unsupported' }>;
  /** Parameters as the library evaluated them, context placeholders still in. */
  rawParameters: Json;
  enteredAt: number;
  retryCount: number;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

interface Resolved {
  handler: TaskHandler | undefined;
  functionArn: string;
  event: unknown;
  notFound: TaskFailure;
}

function resolve(env: TaskEnvironment, spec: AttemptSpec, parameters: Json): Resolved | TaskFailure {
  const { target } = spec;
  if (target.kind === 'service') {
    return {
      handler: env.resolveTask(target.resource),
      functionArn: target.resource,
      event: parameters,
      notFound: new TaskFailure('States.Runtime', `No local handler for resource ${target.resource}`),
    };
  }
  let name: string;
  let event: unknown = parameters;
  if (target.kind === 'lambda-invoke') {
    const params = isJsonObject(parameters) ? parameters : {};
    if (typeof params.FunctionName !== 'string') {
      return new TaskFailure('States.Runtime', 'The field "FunctionName" is required for lambda:invoke');
    }
    name = params.FunctionName;
    event = params.Payload ?? {};
  } else {
    name = target.functionArn;
  }
  const functionArn = functionArnOf(name, env.location);
  return {
    handler: env.resolveTask(functionArn) ?? env.resolveTask(name),
    functionArn,
    event,
    notFound: new TaskFailure(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${functionArn} (Service: Lambda, Status Code: 404, Request ID: local)`,
    ),
  };
}

/** Event names and the resource fields they carry, per integration shape. */
function eventsFor(env: TaskEnvironment, spec: AttemptSpec, parameters: Json) {
  const { target } = spec;
  if (target.kind === 'lambda-function') {
    return {
      scheduled: [
        'LambdaFunctionScheduled',
        {
          resource: target.functionArn,
          input: JSON.stringify(parameters),
          inputDetails: { truncated: false },
          ...(spec.timeoutSeconds !== undefined && { timeoutInSeconds: spec.timeoutSeconds }),
        },
      ] as const,
      prefix: 'LambdaFunction',
      resourceFields: {},
    };
  }
  const [resourceType, resource] =
    target.kind === 'lambda-invoke'
      ? ['lambda', target.waitForTaskToken ? 'invoke.waitForTaskToken' : 'invoke']
      : [target.service, target.action];
  const resourceFields = { resourceType, resource };
  return {
    scheduled: [
      'TaskScheduled',
      {
        ...resourceFields,
        region: env.location.region,
        parameters: JSON.stringify(parameters),
        ...(spec.timeoutSeconds !== undefined && { timeoutInSeconds: spec.timeoutSeconds }),
        ...(spec.heartbeatSeconds !== undefined && { heartbeatInSeconds: spec.heartbeatSeconds }),
      },
    ] as const,
    prefix: 'Task',
    resourceFields,
  };
}

/** Runs one attempt; never throws for a task failure, only when the execution closes. */
export async function runAttempt(env: TaskEnvironment, spec: AttemptSpec): Promise<AttemptOutcome> {
  const waitsForToken = spec.target.kind !== 'lambda-function' && spec.target.waitForTaskToken;
  const waiter = waitsForToken ? new CallbackWaiter(env.clock) : undefined;
  const token = waiter ? env.tokens.issue(env.executionArn, spec.entry.name, waiter.callbacks) : undefined;
  const parameters = fillContextPlaceholders(spec.rawParameters, {
    stateName: spec.entry.name,
    enteredTime: isoAt(spec.enteredAt),
    retryCount: spec.retryCount,
    ...(token !== undefined && { taskToken: token }),
  });
  try {
    return await attempt(env, spec, parameters, waiter);
  } finally {
    if (token !== undefined) env.tokens.close(token);
  }
}

async function attempt(
  env: TaskEnvironment,
  spec: AttemptSpec,
  parameters: Json,
  waiter: CallbackWaiter | undefined,
): Promise<AttemptOutcome> {
  const events = eventsFor(env, spec, parameters);
  const emit = (suffix: string, details: Record<string, unknown> = {}) => {
    const merged = { ...events.resourceFields, ...details };
    env.history.emit(
      spec.entry,
      `${events.prefix}${suffix}`,
      Object.keys(merged).length > 0 ? merged : undefined,
    );
  };
  const fail = (failure: TaskFailure): AttemptOutcome => {
    const timedOut = failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout';
    emit(timedOut ? 'TimedOut' : 'Failed', {
      error: failure.error,
      ...(failure.causeText !== '' && { cause: failure.causeText }),
    });
    return { ok: false, failure };
  };

  env.history.emit(spec.entry, events.scheduled[0], events.scheduled[1]);
  const resolved = resolve(env, spec, parameters);
  if (resolved instanceof TaskFailure) return fail(resolved);
  emit('Started');
  if (!resolved.handler) return fail(resolved.notFound);

  const startedAt = env.clock.now();
  const timeoutAt = spec.timeoutSeconds === undefined ? undefined : startedAt + spec.timeoutSeconds * 1000;

  let response: Json;
  const invocation = new TaskDeadline(env.clock, env.signal, {
    since: startedAt,
    ...(timeoutAt !== undefined && { timeoutAt }),
  });
  const release = holdClock(env.clock);
  try {
    const { result, requestId } = await Promise.race([
      invokeLocal({
        handler: resolved.handler,
        functionArn: resolved.functionArn,
        event: resolved.event,
        remainingMs: () => (timeoutAt === undefined ? 900_000 : Math.max(0, timeoutAt - env.clock.now())),
      }),
      invocation.expired,
    ]);
    response =
      spec.target.kind === 'lambda-invoke'
        ? lambdaInvokeResponse(result, requestId, env.clock.now())
        : result;
  } catch (error) {
    if (error instanceof TaskFailure) return fail(error);
    throw error;
  } finally {
    release();
    invocation.dispose();
  }

  if (!waiter) {
    emit('Succeeded', { output: JSON.stringify(response), outputDetails: { truncated: false } });
    return { ok: true, output: response };
  }

  emit('Submitted', { output: JSON.stringify(response), outputDetails: { truncated: false } });
  const callback = new TaskDeadline(env.clock, env.signal, {
    since: waiter.lastHeartbeat ?? startedAt,
    ...(timeoutAt !== undefined && { timeoutAt }),
    ...(spec.heartbeatSeconds !== undefined && { heartbeatMs: spec.heartbeatSeconds * 1000 }),
  });
  waiter.deadline = callback;
  try {
    const outputText = await Promise.race([waiter.answer, callback.expired]);
    emit('Succeeded', { output: outputText, outputDetails: { truncated: false } });
    return { ok: true, output: JSON.parse(outputText) as Json };
  } catch (error) {
    if (error instanceof TaskFailure) return fail(error);
    throw error;
  } finally {
    callback.dispose();
  }
}

/** Receives SendTaskSuccess/Failure/Heartbeat for one token, even before the handler returns. */
class CallbackWaiter {
  deadline: TaskDeadline | undefined;
  /** A heartbeat received while the handler was still running. */
  lastHeartbeat: number | undefined;
  readonly answer: Promise<string>;
  private settle!: { resolve: (output: string) => void; reject: (failure: TaskFailure) => void };
  constructor(private readonly clock: StepFunctionsClock) {
    this.answer = new Promise<string>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.answer.catch(() => undefined);
  }
  readonly callbacks = {
    succeed: (output: string) => this.settle.resolve(output),
    fail: (error: string | undefined, cause: string | undefined) =>
      this.settle.reject(new TaskFailure(error ?? '', cause ?? '')),
    heartbeat: () => {
      if (this.deadline) this.deadline.heartbeat();
      else this.lastHeartbeat = this.clock.now();
    },
  };
}
