/**
 * The local Step Functions endpoint: an {@link AwsService} answering the
 * AWS JSON 1.0 protocol (`X-Amz-Target: AWSStepFunctions.<Op>`), running
 * state machines with aws-local-stepfunctions, each Task state mapped to a
 * local handler, every wait on the virtual clock.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../aws-endpoint/http-io.js';
import type { AwsService } from '../aws-endpoint/router.js';
import { substituteDefinition } from './definition/substitute.js';
import { SfnError, sfnError } from './errors.js';
import { tryParseJson } from './json.js';
import { sfnOperations } from './operations/index.js';
import { validateRequest } from './operations/operation.js';
import { operationOf, sendError, sendJson, TARGET_PREFIX } from './protocol.js';
import type { StepFunctionsClock } from './runtime/clock.js';
import type { ExecutionStatus } from './runtime/execution.js';
import type { TaskResolver } from './runtime/lambda.js';
import { SfnStore, type StateMachineType } from './store.js';

export interface StepFunctionsEmulatorOptions {
  /** The virtual clock (a `VirtualClock`); waits, retries and timeouts are timers on it. */
  clock: StepFunctionsClock;
  /** Defaults to `us-east-1`. */
  region?: string;
  /** Defaults to `000000000000`. */
  accountId?: string;
  /** Resolves the Task resources of machines created through CreateStateMachine; by default none resolve. */
  resolveTask?: TaskResolver;
  /** Randomness for `JitterStrategy: FULL` (a fixed function makes retry pauses reproducible). */
  random?: () => number;
}

interface RegisterStateMachineOptions {
  name: string;
  /** ASL text; give this or `definitionFile`. */
  definition?: string;
  /** Path of an ASL file, read at registration. */
  definitionFile?: string;
  /** `DefinitionSubstitutions`: each `${Name}` in the definition is replaced by its value. */
  substitutions?: Record<string, string>;
  /** Defaults to a local role ARN in the emulator's account. */
  roleArn?: string;
  type?: StateMachineType;
  /** Maps each function ARN (after substitution) or service-integration Resource to its local handler. */
  resolveTask: TaskResolver;
}

/** Cost figures of one execution: AWS bills STANDARD workflows per state transition. */
interface ExecutionStats {
  /** States entered, plus retries. */
  stateTransitions: number;
  historyEvents: number;
}

export interface StepFunctionsEmulator extends AwsService {
  readonly region: string;
  readonly accountId: string;
  /** Registers (or replaces) a machine as a deployment would; throws `InvalidDefinition`. */
  registerStateMachine(options: RegisterStateMachineOptions): { stateMachineArn: string };
  /** Transition and event counts of an execution, or undefined for an unknown ARN. */
  getExecutionStats(executionArn: string): ExecutionStats | undefined;
  /** Resolves with the final status once the execution has ended; rejects for an unknown ARN. */
  whenExecutionClosed(executionArn: string): Promise<ExecutionStatus>;
  /** Aborts every running execution and cancels their timers. */
  close(): Promise<void>;
}

export function createStepFunctionsEmulator(options: StepFunctionsEmulatorOptions): StepFunctionsEmulator {
  const location = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
  const store = new SfnStore(
    location,
    options.clock,
    options.random ?? Math.random,
    options.resolveTask ?? (() => undefined),
  );

  async function dispatch(req: IncomingMessage): Promise<unknown> {
    const name = operationOf(req);
    const operation = name === undefined ? undefined : sfnOperations[name];
    if (req.method !== 'POST' || !operation) {
      throw sfnError('UnknownOperationException', `Unknown operation ${String(req.headers['x-amz-target'])}`);
    }
    const text = await readBody(req);
    const body = text.trim() === '' ? { value: {} } : tryParseJson(text);
    if (!body || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
      throw sfnError('SerializationException', 'Start of structure or map found where not expected');
    }
    return operation.run(store, validateRequest(operation, body.value));
  }

  return {
    signingName: 'states',
    targetPrefixes: [TARGET_PREFIX],
    region: location.region,
    accountId: location.accountId,

    handle(req: IncomingMessage, res: ServerResponse): void {
      dispatch(req).then(
        (result) => sendJson(res, 200, result ?? {}),
        (error: unknown) => {
          if (error instanceof SfnError) return sendError(res, error);
          sendError(res, sfnError('InternalFailure', error instanceof Error ? error.message : String(error)));
        },
      );
    },

    registerStateMachine(registration) {
      const text = registration.definition ?? readDefinitionFile(registration.definitionFile);
      const machine = store.putMachine({
        name: registration.name,
        definition: substituteDefinition(text, registration.substitutions),
        roleArn: registration.roleArn ?? `arn:aws:iam::${location.accountId}:role/fleetwave-local-states`,
        type: registration.type ?? 'STANDARD',
        resolveTask: registration.resolveTask,
      });
      return { stateMachineArn: machine.arn };
    },

    getExecutionStats(executionArn) {
      const execution = store.executions.get(executionArn);
      if (!execution) return undefined;
      return {
        stateTransitions: execution.history.stateTransitions,
        historyEvents: execution.history.events.length,
      };
    },

    async whenExecutionClosed(executionArn) {
      const execution = store.executionByArn(executionArn);
      await execution.closed;
      return execution.status;
    },

    async close() {
      const running = [...store.executions.values()].filter((e) => e.status === 'RUNNING');
      await Promise.all(
        running.map((e) => e.stop('States.Aborted', 'The local Step Functions endpoint closed')),
      );
    },
  };
}

function readDefinitionFile(path: string | undefined): string {
  if (path === undefined) throw new Error('registerStateMachine needs a definition or a definitionFile');
  return readFileSync(path, 'utf8');
}
