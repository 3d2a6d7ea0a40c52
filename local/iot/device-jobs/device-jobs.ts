/**
 * The device side of AWS IoT Jobs: what a device asks of its own job
 * executions, over the HTTPS jobs data plane or the MQTT jobs topics, both
 * of which are transports over this one class, so they share one store
 * with the control plane and the fleet simulator.
 *
 * A device sees its IN_PROGRESS executions and the QUEUED ones its job's
 * rollout has reached (see ../jobs/device-releases.ts), IN_PROGRESS first,
 * then oldest first. What it moves goes through the job store's
 * `devices.moveForDevice`, so the simulator applies the job's in-progress timeout,
 * retries, abort and completion rules to a real device as to a simulated
 * one. Times are epoch ms here; each transport writes them as AWS does.
 */
import type { SchedulingClock } from '../../clock/clock.js';
import type { ExecutionRecord, JobRecord } from '../jobs/job-records.js';
import type { ExecutionStatus } from '../jobs/job-service-port.js';
import type { JobStore } from '../jobs/job-store.js';
import type { ThingRegistry } from '../registry/thing-registry.js';
import { type DeviceExecutionStateView, DeviceJobsError } from './device-job-errors.js';
import type { DescribeInput, StartNextInput, UpdateInput } from './device-job-schemas.js';
import { StepTimers } from './step-timers.js';

/** One execution as its device sees it (`JobExecution`). */
export interface DeviceExecution {
  jobId: string;
  thingName: string;
  status: ExecutionStatus;
  statusDetails?: Record<string, string>;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  executionNumber: number;
  approximateSecondsBeforeTimedOut?: number;
  /** Only when asked for. */
  jobDocument?: string;
}

/** `JobExecutionSummary`: a pending execution in a list. */
export interface DeviceExecutionSummary {
  jobId: string;
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  executionNumber: number;
}

/** What UpdateJobExecution answers. */
export interface DeviceUpdateResult {
  executionState?: DeviceExecutionStateView;
  jobDocument?: string;
}

/** Turns a job's stored document into the one a device receives (e.g. presigned-URL placeholders). */
export type DocumentRenderer = (document: string, job: JobRecord) => string;

/** A pending execution found for a thing. */
interface Pending {
  readonly job: JobRecord;
  readonly position: number;
}

export class DeviceJobs {
  private readonly stepTimers: StepTimers;
  private render: DocumentRenderer = (document) => document;

  constructor(
    private readonly jobs: JobStore,
    private readonly things: ThingRegistry,
    private readonly clock: SchedulingClock,
  ) {
    this.stepTimers = new StepTimers(clock);
    jobs.subscribe({ jobDeleted: (jobId) => this.stepTimers.clearJob(jobId) });
  }

  /** Sets how a job document is rendered for a device (the local stack's presigned URLs). */
  setDocumentRenderer(render: DocumentRenderer): void {
    this.render = render;
  }

  /** Calls `listener` after anything that may change an external thing's pending queue; returns the unsubscribe function. */
  onQueueChange(listener: (thingName: string) => void): () => void {
    return this.jobs.devices.onQueueChange(listener);
  }

  /** GetPendingJobExecutions. */
  pending(thingName: string): {
    inProgressJobs: DeviceExecutionSummary[];
    queuedJobs: DeviceExecutionSummary[];
  } {
    const inProgressJobs: DeviceExecutionSummary[] = [];
    const queuedJobs: DeviceExecutionSummary[] = [];
    for (const { job, position } of this.pendingOf(thingName)) {
      const { status, ...summary } = this.summary(job, position);
      (status === 'IN_PROGRESS' ? inProgressJobs : queuedJobs).push(summary);
    }
    return { inProgressJobs, queuedJobs };
  }

  /** The execution `notify-next` and `$next` name: the first pending one, with its document. */
  next(thingName: string): DeviceExecution | undefined {
    const first = this.pendingOf(thingName)[0];
    return first && this.view(first.job, first.position, true);
  }

  /**
   * StartNextPendingJobExecution: the first pending execution; a QUEUED one
   * becomes IN_PROGRESS with the request's details and step timer, an
   * IN_PROGRESS one is answered as it is. Undefined when nothing is pending.
   */
  startNext(thingName: string, input: StartNextInput): DeviceExecution | undefined {
    const first = this.pendingOf(thingName)[0];
    if (first === undefined) return undefined;
    const { job, position } = first;
    if (job.executions.statusAt(position) === 'QUEUED') {
      this.move(job, position, 'IN_PROGRESS', input.statusDetails);
      if (input.stepTimeoutInMinutes !== undefined) {
        this.setStepTimer(job, position, input.stepTimeoutInMinutes);
      }
    }
    return this.view(job, position, true);
  }

  /** DescribeJobExecution; `$next` is the first pending execution, undefined when there is none. */
  describe(thingName: string, jobId: string, input: DescribeInput): DeviceExecution | undefined {
    const includeDocument = input.includeJobDocument ?? true;
    if (jobId === '$next') {
      const first = this.pendingOf(thingName)[0];
      return first && this.view(first.job, first.position, includeDocument);
    }
    const { job, position } = this.requireExecution(thingName, jobId, input.executionNumber);
    return this.view(job, position, includeDocument);
  }

  /** UpdateJobExecution. */
  update(thingName: string, jobId: string, input: UpdateInput): DeviceUpdateResult {
    const { job, position } = this.requireExecution(thingName, jobId, input.executionNumber);
    const table = job.executions;
    const from = table.statusAt(position);
    if (input.expectedVersion !== undefined && input.expectedVersion !== table.versionNumberAt(position)) {
      throw new DeviceJobsError(
        'VersionConflictException',
        `The expected version ${input.expectedVersion} does not match the job execution's version ${table.versionNumberAt(position)}.`,
        this.state(job, position),
      );
    }
    const moved = this.move(job, position, input.status, input.statusDetails);
    if (!moved) {
      throw new DeviceJobsError(
        'InvalidStateTransitionException',
        `Job execution of job ${jobId} on thing ${thingName} cannot move from ${from} to ${input.status}` +
          (job.status === 'IN_PROGRESS' ? '.' : ` while the job is ${job.status}.`),
        this.state(job, position),
      );
    }
    if (input.status === 'IN_PROGRESS') {
      if (input.stepTimeoutInMinutes === -1) this.stepTimers.clear(jobId, thingName);
      else if (input.stepTimeoutInMinutes !== undefined) {
        this.setStepTimer(job, position, input.stepTimeoutInMinutes);
      }
    }
    return {
      ...(input.includeJobExecutionState === true && { executionState: this.state(job, position) }),
      ...(input.includeJobDocument === true && { jobDocument: this.documentOf(job) }),
    };
  }

  // ---- helpers --------------------------------------------------------------

  /** The thing's pending executions, IN_PROGRESS first, then by when they were queued. */
  private pendingOf(thingName: string): Pending[] {
    if (this.things.keyOf(thingName) === undefined) {
      throw new DeviceJobsError('ResourceNotFoundException', `Thing ${thingName} cannot be found.`);
    }
    const found: Pending[] = [];
    // In no set order: the sort below decides it.
    for (const job of this.jobs.devices.jobsWithOpenExecutions()) {
      const position = job.executions.indexOf(thingName);
      if (position !== undefined && this.jobs.devices.visibleToDevice(job, position))
        found.push({ job, position });
    }
    const rank = (p: Pending) => (p.job.executions.statusAt(p.position) === 'IN_PROGRESS' ? 0 : 1);
    return found.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        a.job.executions.queuedAtOf(a.position) - b.job.executions.queuedAtOf(b.position) ||
        a.job.seq - b.job.seq,
    );
  }

  /** The thing's execution of `jobId` (of attempt `executionNumber` when given), or the refusal AWS answers. */
  private requireExecution(thingName: string, jobId: string, executionNumber: number | undefined): Pending {
    const job = this.jobs.getJob(jobId);
    const position = job?.executions.indexOf(thingName);
    if (
      job === undefined ||
      position === undefined ||
      (executionNumber !== undefined && executionNumber !== job.executions.executionNumberAt(position))
    ) {
      throw new DeviceJobsError(
        'ResourceNotFoundException',
        `Job execution of job ${jobId} on thing ${thingName} cannot be found.`,
      );
    }
    if (job.status === 'DELETION_IN_PROGRESS') {
      throw new DeviceJobsError('TerminalStateException', `Job ${jobId} is being deleted.`);
    }
    return { job, position };
  }

  private move(
    job: JobRecord,
    position: number,
    to: ExecutionStatus,
    details?: Record<string, string>,
  ): boolean {
    const moved = this.jobs.devices.moveForDevice(job, position, to, details);
    if (moved && to !== 'IN_PROGRESS') this.stepTimers.clear(job.jobId, job.executions.thingNameAt(position));
    return moved;
  }

  /** A step timer for the current attempt: when it runs out while the attempt is still IN_PROGRESS, the attempt is TIMED_OUT. */
  private setStepTimer(job: JobRecord, position: number, minutes: number): void {
    const table = job.executions;
    const attempt = table.executionNumberAt(position);
    this.stepTimers.set(job.jobId, table.thingNameAt(position), attempt, minutes, () => {
      if (this.jobs.getJob(job.jobId) !== job) return;
      if (table.statusAt(position) !== 'IN_PROGRESS' || table.executionNumberAt(position) !== attempt) return;
      this.jobs.devices.moveForDevice(job, position, 'TIMED_OUT');
    });
  }

  private documentOf(job: JobRecord): string {
    return this.render(job.document ?? '', job);
  }

  private state(job: JobRecord, position: number): DeviceExecutionStateView {
    const record = job.executions.record(position);
    return {
      status: record.status,
      ...(record.statusDetails !== undefined && { statusDetails: { ...record.statusDetails } }),
      versionNumber: record.versionNumber,
    };
  }

  private summary(job: JobRecord, position: number): DeviceExecutionSummary & { status: ExecutionStatus } {
    const r = job.executions.record(position);
    return {
      status: r.status,
      jobId: job.jobId,
      queuedAt: r.queuedAt,
      ...(r.startedAt !== undefined && { startedAt: r.startedAt }),
      lastUpdatedAt: r.lastUpdatedAt,
      versionNumber: r.versionNumber,
      executionNumber: r.executionNumber,
    };
  }

  private view(job: JobRecord, position: number, includeDocument: boolean): DeviceExecution {
    const r = job.executions.record(position);
    const secondsLeft = r.status === 'IN_PROGRESS' ? this.secondsBeforeTimedOut(job, r) : undefined;
    return {
      jobId: job.jobId,
      thingName: r.thingName,
      status: r.status,
      ...(r.statusDetails !== undefined && { statusDetails: { ...r.statusDetails } }),
      queuedAt: r.queuedAt,
      ...(r.startedAt !== undefined && { startedAt: r.startedAt }),
      lastUpdatedAt: r.lastUpdatedAt,
      versionNumber: r.versionNumber,
      executionNumber: r.executionNumber,
      ...(secondsLeft !== undefined && { approximateSecondsBeforeTimedOut: secondsLeft }),
      ...(includeDocument && { jobDocument: this.documentOf(job) }),
    };
  }

  /** Seconds until the earlier of the job's in-progress timeout and the step timer, undefined with neither. */
  private secondsBeforeTimedOut(
    job: JobRecord,
    { thingName, startedAt, executionNumber }: ExecutionRecord,
  ): number | undefined {
    const minutes = job.timeoutConfig?.inProgressTimeoutInMinutes;
    const step = this.stepTimers.deadline(job.jobId, thingName, executionNumber);
    const deadlines = [
      ...(minutes !== undefined && startedAt !== undefined ? [startedAt + minutes * 60_000] : []),
      ...(step !== undefined ? [step] : []),
    ];
    if (deadlines.length === 0) return undefined;
    return Math.max(0, Math.round((Math.min(...deadlines) - this.clock.now()) / 1000));
  }
}
