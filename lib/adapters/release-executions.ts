/**
 * The Step Functions side of the release API: StartExecution,
 * StopExecution, DescribeExecution, SendTaskSuccess and SendTaskFailure on the release state
 * machine, over `@aws-sdk/client-sfn`, with the service's exceptions
 * translated into domain errors at this boundary.
 *
 * An execution's name is its release id, so its ARN is known without asking
 * (`…:execution:<machine>:<releaseId>`). Answers that mean "already done"
 * are outcomes, not errors: a name already used by a closed execution, an
 * execution that never started, a task that stopped waiting.
 */
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type Config, perConfig, requireSetting } from '../config.js';
import { type FleetwaveError, ThrottledError, UpstreamError } from '../domain/errors.js';
import type { ExecutionStart, ReleaseExecutions, SendOutcome, StopOutcome } from '../releases/ports.js';

/** What the adapter needs from the configuration. */
export interface ReleaseExecutionsConfig {
  /** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` */
  stateMachineArn: string;
  /** `retryAfterSeconds` of a ThrottledError. */
  throttleRetryAfterSeconds: number;
}

/** Step Functions' own throttles, plus limits that lift by themselves: a caller can retry later. */
const THROTTLES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KmsThrottlingException',
  'ExecutionLimitExceeded',
]);

/** The task no longer waits for this token (answered, timed out, execution closed). */
const TASK_GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * The domain error for an error thrown by a Step Functions call: throttles
 * and execution limits → ThrottledError; anything else (a missing state
 * machine is a deployment fault, not the caller's) → UpstreamError with the
 * SDK name kept for the logs.
 */
export function fromSfnError(error: unknown, retryAfterSeconds: number): FleetwaveError {
  const name = errorName(error);
  if (name && THROTTLES.has(name)) {
    return new ThrottledError('AWS Step Functions is throttling requests. Retry later.', retryAfterSeconds);
  }
  return new UpstreamError('AWS Step Functions call failed.', name ?? 'UnknownError');
}

/** The ARN of execution `name` of state machine `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const marker = ':stateMachine:';
  const at = stateMachineArn.indexOf(marker);
  if (at < 0) throw new UpstreamError(`Not a state machine ARN: ${stateMachineArn}`, 'InvalidArn');
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + marker.length)}:${name}`;
}

/** {@link ReleaseExecutions} on an `SFNClient`; every method throws domain errors only. */
export class SfnReleaseExecutions implements ReleaseExecutions {
  constructor(
    private readonly client: SFNClient,
    private readonly config: ReleaseExecutionsConfig,
  ) {}

  executionArn(releaseId: string): string {
    return executionArnOf(this.config.stateMachineArn, releaseId);
  }

  private translate(error: unknown): FleetwaveError {
    return fromSfnError(error, this.config.throttleRetryAfterSeconds);
  }

  async start(releaseId: string): Promise<ExecutionStart> {
    try {
      // The same name and input as a running execution is not a second
      // execution: StartExecution answers the running one (idempotent).
      const out = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.config.stateMachineArn,
          name: releaseId,
          input: JSON.stringify({ releaseId }),
        }),
      );
      return { executionArn: out.executionArn ?? this.executionArn(releaseId), started: true };
    } catch (error) {
      // The name belongs to an execution that already ended: the release ran.
      if (errorName(error) === 'ExecutionAlreadyExists') {
        return { executionArn: this.executionArn(releaseId), started: false };
      }
      throw this.translate(error);
    }
  }

  async stop(releaseId: string, why: { error: string; cause: string }): Promise<StopOutcome> {
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn: this.executionArn(releaseId), ...why }),
      );
      return 'stopped';
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return 'not-started';
      throw this.translate(error);
    }
  }

  async isRunning(releaseId: string): Promise<boolean> {
    try {
      const out = await this.client.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(releaseId) }),
      );
      return out.status === 'RUNNING';
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return false;
      throw this.translate(error);
    }
  }

  async sendTaskSuccess(taskToken: string, output: object): Promise<SendOutcome> {
    return this.send(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async sendTaskFailure(taskToken: string, why: { error: string; cause: string }): Promise<SendOutcome> {
    return this.send(() => this.client.send(new SendTaskFailureCommand({ taskToken, ...why })));
  }

  private async send(call: () => Promise<unknown>): Promise<SendOutcome> {
    try {
      await call();
      return 'delivered';
    } catch (error) {
      if (TASK_GONE.has(errorName(error) ?? '')) return 'task-gone';
      throw this.translate(error);
    }
  }
}

/**
 * A new Step Functions client for `config`. The endpoint is left to the
 * SDK's standard resolution (`AWS_ENDPOINT_URL_SFN`, then `AWS_ENDPOINT_URL`),
 * as for the IoT and DynamoDB clients.
 */
function createSfnClient(config: Config): SFNClient {
  return new SFNClient({ region: config.region, maxAttempts: config.aws.maxAttempts, retryMode: 'standard' });
}

/** The process's Step Functions client. */
export const sfnClient: () => SFNClient = perConfig(createSfnClient);

/** The process's release executions. @throws ConfigError when FLEETWAVE_RELEASE_STATE_MACHINE_ARN is not set */
export const releaseExecutions: () => ReleaseExecutions = perConfig(
  (c) =>
    new SfnReleaseExecutions(sfnClient(), {
      stateMachineArn: requireSetting(c, 'releaseStateMachineArn'),
      throttleRetryAfterSeconds: c.aws.throttleRetryAfterSeconds,
    }),
);
