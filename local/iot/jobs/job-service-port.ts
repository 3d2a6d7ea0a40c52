/**
 * The seam between the IoT endpoint's job store and the fleet simulator.
 *
 * The store (local/iot) owns jobs and job executions: it creates executions
 * when a job is created, keeps the per-status counters exact, answers the
 * IoT API, and publishes the job and job-execution events. The simulator
 * (local/fleet) owns everything that makes executions move: rollout rates,
 * simulated devices, timeouts, retries, abort and completion rules. It reads
 * and moves executions only through this port, so either side can change
 * its internals without touching the other.
 */

import type {
  AbortConfig,
  JobExecutionsRetryConfig,
  JobExecutionsRolloutConfig,
  SchedulingConfig,
  TimeoutConfig,
} from '../../../lib/domain/iot-job-settings.js';
import { jobExecutionStatuses } from '../../../lib/domain/statuses.js';

export const jobStatuses = [
  'IN_PROGRESS',
  'CANCELED',
  'COMPLETED',
  'DELETION_IN_PROGRESS',
  'SCHEDULED',
] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const executionStatuses = jobExecutionStatuses;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** Statuses an execution never leaves (but a retry may start a new attempt after FAILED or TIMED_OUT). */
export const terminalExecutionStatuses: ReadonlySet<ExecutionStatus> = new Set(
  executionStatuses.filter((s) => s !== 'QUEUED' && s !== 'IN_PROGRESS'),
);

export type ExecutionCounts = Record<ExecutionStatus, number>;

/** A job as the simulator sees it (times are virtual epoch ms). */
export interface SimJob {
  readonly jobId: string;
  readonly jobArn: string;
  readonly status: JobStatus;
  readonly targetSelection: 'CONTINUOUS' | 'SNAPSHOT';
  /** Thing and thing-group ARNs, as given to CreateJob. */
  readonly targets: readonly string[];
  readonly createdAt: number;
  /** Effective settings: the template's, overridden by CreateJob's. */
  readonly jobExecutionsRolloutConfig?: JobExecutionsRolloutConfig;
  readonly abortConfig?: AbortConfig;
  readonly timeoutConfig?: TimeoutConfig;
  readonly jobExecutionsRetryConfig?: JobExecutionsRetryConfig;
  /** Start and end times, end behaviour and maintenance windows (the template's windows inherited). */
  readonly schedulingConfig?: SchedulingConfig;
  /** True once the end time stopped the rollout (STOP_ROLLOUT): nothing more is notified, retries included. */
  readonly rolloutStopped?: boolean;
}

/** One thing's current execution of a job. */
export interface SimExecution {
  readonly jobId: string;
  readonly thingName: string;
  readonly thingArn: string;
  readonly status: ExecutionStatus;
  /** 1 for the first attempt; each retry counts it up. */
  readonly executionNumber: number;
  readonly queuedAt: number;
  readonly startedAt?: number;
  readonly lastUpdatedAt: number;
  readonly versionNumber: number;
}

/** How a job ended, when the simulator ends it. */
export interface JobEnding {
  status: 'COMPLETED' | 'CANCELED';
  /** For an abort: e.g. `FAILED_PERCENTAGE_EXCEEDED`... as AWS's abort reason codes. */
  reasonCode?: string;
  comment?: string;
}

export interface JobLifecycleListener {
  /** A job was created; its initial executions already exist (QUEUED). */
  jobCreated?(job: SimJob): void;
  /** A CONTINUOUS job gained an execution because a thing joined a target group. */
  executionAdded?(execution: SimExecution): void;
  /**
   * A job was put back from a snapshot (the local stack's `--data-dir`), in
   * whatever status it had: ended jobs too, since their IN_PROGRESS
   * executions still run. Its executions are in the statuses the snapshot
   * kept, IN_PROGRESS ones with the `startedAt` of their attempt.
   */
  jobRestored?(job: SimJob): void;
  /** A SCHEDULED job reached its start (its start time, or the first window opening after it): now IN_PROGRESS. */
  jobStarted?(job: SimJob): void;
  /**
   * The job's end time came with `endBehavior` STOP_ROLLOUT (or none): the
   * simulator cancels the executions it never notified and lets the
   * notified ones run to their end, after which the job completes.
   */
  jobRolloutStopped?(job: SimJob): void;
  /**
   * A device moved one of its executions through the device side (the
   * HTTPS jobs data plane or the MQTT jobs topics), or its step timer ran
   * out: to IN_PROGRESS (it took the job, or only updated its details) or to
   * a terminal status. The store has already moved it; the simulator
   * applies the job's timeout, retry, abort and completion rules to it, as
   * to a simulated device's.
   */
  executionMovedByDevice?(
    jobId: string,
    position: number,
    executionNumber: number,
    from: ExecutionStatus,
    to: ExecutionStatus,
  ): void;
  /**
   * A thing stopped being external (UpdateThing) while the rollout had
   * released its QUEUED attempt `executionNumber` to its device: the
   * simulator plays it from now on.
   */
  executionReturnedToSimulator?(jobId: string, position: number, executionNumber: number): void;
  /** CancelJob was called; the store has already canceled QUEUED (and, with force, IN_PROGRESS) executions. */
  jobCanceled?(job: SimJob, force: boolean): void;
  /** DeleteJob removed the job and its executions. */
  jobDeleted?(jobId: string): void;
}

/** What the job store offers the simulator. */
export interface JobServicePort {
  getJob(jobId: string): SimJob | undefined;
  /** Exact counters, O(1). */
  counts(jobId: string): ExecutionCounts;
  getExecution(jobId: string, thingName: string): SimExecution | undefined;
  /** Current executions of a job in creation order, optionally only one status; cheap to iterate lazily. */
  executions(jobId: string, status?: ExecutionStatus): Iterable<SimExecution>;
  /**
   * The positions of {@link executions}: small integers that name one
   * execution of the job for as long as the job exists. The simulator works
   * on positions, so a step at fleet scale looks nothing up by thing name.
   */
  positions(jobId: string, status?: ExecutionStatus): Iterable<number>;
  /** The position of the thing's execution, undefined when the job or the execution does not exist. */
  positionOf(jobId: string, thingName: string): number | undefined;
  /** The thing whose execution is at `position` of an existing job. */
  thingNameAt(jobId: string, position: number): string;
  /**
   * The execution number of the current attempt at `position` when the
   * execution is in `status`, else 0: what the simulator checks at every
   * step of an attempt, without building the execution.
   */
  attemptAt(jobId: string, position: number, status: ExecutionStatus): number;
  /**
   * Every thing group of the thing whose execution is at `position`, parents
   * included, as `ThingDirectory.groupsOf` answers: what the simulator picks
   * a behaviour profile by, without looking the thing up by name.
   */
  groupsAt(jobId: string, position: number): readonly string[];
  /** Whether the thing whose execution is at `position` is external: a real device plays it, not the simulator. */
  isExternalAt(jobId: string, position: number): boolean;
  /**
   * The rollout reached an external thing's execution (attempt
   * `executionNumber`): its device may see it from now on, and is told
   * (`notify`, `notify-next`). The simulator plays nothing for it.
   */
  releaseToDevice(jobId: string, position: number, executionNumber: number): void;
  /** How many of the job's executions are in `status`, O(1). */
  countOf(jobId: string, status: ExecutionStatus): number;
  /**
   * Moves one execution to `to` at the current virtual time, keeps the
   * counters exact and publishes the matching job-execution event. Returns
   * false, changing nothing, when the move is not allowed (the execution is
   * already terminal, or the job is no longer IN_PROGRESS for a start).
   */
  transition(
    jobId: string,
    thingName: string,
    to: ExecutionStatus,
    statusDetails?: Record<string, string>,
  ): boolean;
  /** {@link transition} of the execution at `position`. */
  transitionAt(
    jobId: string,
    position: number,
    to: ExecutionStatus,
    statusDetails?: Record<string, string>,
  ): boolean;
  /** Starts a new attempt of a FAILED or TIMED_OUT execution: `executionNumber` + 1, status QUEUED. */
  retry(jobId: string, thingName: string): SimExecution | undefined;
  /** {@link retry} of the execution at `position`; returns the new execution number, 0 when refused. */
  retryAt(jobId: string, position: number): number;
  /** Ends an IN_PROGRESS (or SCHEDULED) job and publishes the job event (`completed` or `canceled`). */
  finishJob(jobId: string, ending: JobEnding): void;
  /** Subscribes to lifecycle changes; returns the unsubscribe function. */
  subscribe(listener: JobLifecycleListener): () => void;
}
