/**
 * One execution: runs the library over the prepared definition with the
 * local state handlers, writes the history, enforces the machine-level
 * `TimeoutSeconds` on the virtual clock, and stops on request.
 */
import '../promise-with-resolvers.js';
import type { RunOptions } from 'aws-local-stepfunctions';
import type { SfnLocation } from '../arn.js';
import type { ParsedDefinition } from '../definition/parse.js';
import { type Json, tryParseJson } from '../json.js';
import { isoAt, type StepFunctionsClock } from './clock.js';
import { contextObject } from './context-object.js';
import { ExecutionHistory } from './history.js';
import type { TaskResolver } from './lambda.js';
import { type LocalStateHandler, taskStateHandler, waitStateHandler } from './state-handlers.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskTokenRegistry } from './task-tokens.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The state machine an execution runs, as registered. */
export interface MachineRecord {
  arn: string;
  name: string;
  roleArn: string;
  parsed: ParsedDefinition;
  resolveTask: TaskResolver;
}

/** What every execution of one emulator shares. */
export interface ExecutionServices {
  clock: StepFunctionsClock;
  location: SfnLocation;
  tokens: TaskTokenRegistry;
  random: () => number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class Execution {
  readonly history: ExecutionHistory;
  readonly startDate: number;
  status: ExecutionStatus = 'RUNNING';
  stopDate: number | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** Resolves once the execution has ended and its history is complete. */
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private readonly controller = new AbortController();
  private abortLibrary: () => void = () => undefined;
  private drained: Promise<void> = Promise.resolve();
  private timeoutTimer: { id: number; at: number } | undefined;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly machine: MachineRecord,
    readonly input: string,
    /** Creation order, for listing newest first. */
    readonly seq: number,
    private readonly services: ExecutionServices,
  ) {
    this.startDate = services.clock.now();
    this.history = new ExecutionHistory(services.clock, machine.parsed.prepared.states);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  start(): void {
    const { clock } = this.services;
    const { prepared, machine } = this.machine.parsed;
    this.history.append('ExecutionStarted', {
      input: this.input,
      inputDetails: { truncated: false },
      roleArn: this.machine.roleArn,
    });
    const run = machine.run((tryParseJson(this.input)?.value ?? {}) as never, this.runOptions());
    this.abortLibrary = run.abort;
    this.drained = (async () => {
      for await (const event of run.eventLogs) this.history.ingest(event);
    })();
    const outcome: Promise<Outcome> = run.result.then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error }),
    );
    void Promise.all([outcome, this.drained]).then(([result]) => this.finish(result));
    if (prepared.timeoutSeconds !== undefined) {
      this.timeoutTimer = clock.schedule(this.startDate + prepared.timeoutSeconds * 1000, () => {
        void this.end('TIMED_OUT', 'States.Timeout', undefined);
      });
    }
  }

  /** StopExecution: ends the execution as ABORTED; no further state runs. */
  stop(error: string | undefined, cause: string | undefined): Promise<void> {
    return this.end('ABORTED', error, cause);
  }

  private runOptions(): RunOptions {
    const env: TaskEnvironment = {
      ...this.services,
      executionArn: this.arn,
      signal: this.controller.signal,
      history: this.history,
      resolveTask: this.machine.resolveTask,
    };
    const handlers: Record<string, LocalStateHandler> = {};
    for (const info of this.machine.parsed.prepared.states.values()) {
      if (info.type === 'Task') handlers[info.name] = taskStateHandler(env, info);
      if (info.type === 'Wait') handlers[info.name] = waitStateHandler(env);
    }
    return {
      overrides: {
        taskResourceLocalHandlers: handlers as NonNullable<
          RunOptions['overrides']
        >['taskResourceLocalHandlers'],
        retryIntervalOverrides: this.machine.parsed.prepared.retryPauseOverrides,
      },
      noThrowOnAbort: true,
      context: contextObject({
        executionArn: this.arn,
        executionName: this.name,
        roleArn: this.machine.roleArn,
        startTime: isoAt(this.startDate),
        stateMachineArn: this.machine.arn,
        stateMachineName: this.machine.name,
      }),
    };
  }

  private async end(status: 'ABORTED' | 'TIMED_OUT', error: string | undefined, cause: string | undefined) {
    if (this.status !== 'RUNNING') return this.closed;
    this.settle(status, { error, cause });
    this.controller.abort();
    this.abortLibrary();
    await this.drained;
    this.history.abortOpenStates();
    const details = { ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) };
    this.history.close(status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut', details);
    this.markClosed();
    return this.closed;
  }

  private finish(result: Outcome): void {
    if (this.status !== 'RUNNING') return;
    if (result.ok) {
      const output = JSON.stringify((result.value ?? null) as Json);
      this.settle('SUCCEEDED', { output });
      this.history.close('ExecutionSucceeded', { output, outputDetails: { truncated: false } });
    } else {
      const { error, cause } = this.failureOf(result.error);
      this.settle('FAILED', { error, cause });
      const details = { ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) };
      this.history.close('ExecutionFailed', details);
    }
    // Nothing should still wait, but a stray timer must never outlive the execution.
    this.controller.abort();
    this.markClosed();
  }

  private settle(
    status: ExecutionStatus,
    fields: { output?: string; error?: string | undefined; cause?: string | undefined },
  ): void {
    this.status = status;
    this.stopDate = this.services.clock.now();
    this.output = fields.output;
    this.error = fields.error;
    this.cause = fields.cause;
    if (this.timeoutTimer) this.services.clock.cancel(this.timeoutTimer);
  }

  /** Error and cause of a failed run; a Fail state without Error/Cause leaves them unset, as on AWS. */
  private failureOf(thrown: unknown): { error: string | undefined; cause: string | undefined } {
    const failure = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
    if (!(failure instanceof Error)) return { error: 'States.Runtime', cause: String(failure) };
    let error: string | undefined = failure.name;
    let cause: string | undefined = typeof failure.cause === 'string' ? failure.cause : failure.message;
    const last = this.history.lastEntered;
    if (last?.type === 'Fail') {
      const def = last.definition;
      if (!('Error' in def) && !('ErrorPath' in def)) error = undefined;
      if (!('Cause' in def) && !('CausePath' in def)) cause = undefined;
    }
    return { error, cause };
  }
}
