/**
 * Jobs and their executions: what CreateJob, CancelJob and DeleteJob change,
 * what the Describe and List operations read, and the {@link JobServicePort}
 * through which the fleet simulator moves executions. The store never moves
 * an execution on its own beyond what an API call implies (CancelJob cancels
 * QUEUED executions; a CONTINUOUS job queues one for a thing that joins a
 * target group) or a job's schedule does (its start, and its end behaviour
 * at its end time): rollout, devices, timeouts, retries and completion
 * belong to the simulator.
 */
import type { SchedulingClock } from '../../clock/clock.js';
import type { ArnFactory } from '../arn.js';
import { IotError, invalidRequest, invalidStateTransition, notFound } from '../errors.js';
import type { InMemoryJobEventBus } from '../events/job-event-bus.js';
import { JobEventPublisher } from '../events/job-event-publisher.js';
import type { IotLimits } from '../limits.js';
import { SeqList } from '../pagination.js';
import type { ThingRegistry } from '../registry/thing-registry.js';
import { ContinuousTargets } from './continuous-targets.js';
import { DeviceSide } from './device-side.js';
import { ExecutionTable, type ExecutionThings, noThingKey } from './execution-table.js';
import { executionEventOperation, mayMoveExecution, mayRetryExecution } from './execution-transitions.js';
import {
  type CancelJobRequest,
  type CreateJobSpec,
  type ExecutionRecord,
  isActiveJob,
  type JobRecord,
} from './job-records.js';
import { rebuildJob, type SavedJob } from './job-restore.js';
import { endBehaviorOf, rolloutStart } from './job-schedule.js';
import type {
  ExecutionCounts,
  ExecutionStatus,
  JobEnding,
  JobLifecycleListener,
  JobServicePort,
} from './job-service-port.js';
import { resolveTargets, thingsReached } from './job-targets.js';
import { ScheduleTimers } from './schedule-timers.js';

export class JobStore implements JobServicePort {
  private readonly jobs = new Map<string, JobRecord>();
  /** Jobs in creation order (ListJobs, ListJobExecutionsForThing). */
  readonly jobList = new SeqList<JobRecord>((job) => this.jobs.get(job.jobId) === job);
  private readonly continuous = new ContinuousTargets();
  private readonly publish: JobEventPublisher;
  private readonly listeners = new Set<JobLifecycleListener>();
  private activeJobs = 0;
  private deletionsInProgress = 0;
  private seq = 0;
  private readonly things: ExecutionThings;
  private readonly scheduleTimers: ScheduleTimers;
  /** What devices see and do (../device-jobs/ serves it). */
  readonly devices: DeviceSide;

  constructor(
    private readonly clock: SchedulingClock,
    private readonly arns: ArnFactory,
    private readonly registry: ThingRegistry,
    bus: InMemoryJobEventBus,
    private readonly limits: IotLimits,
  ) {
    this.publish = new JobEventPublisher(bus, clock);
    this.things = {
      keyOf: (thingName) => registry.keyOf(thingName),
      arnOf: (thingName) => arns.thing(thingName),
    };
    registry.onMembership((thingName, thingGroupName) => this.thingJoined(thingName, thingGroupName));
    this.devices = new DeviceSide(registry.external, {
      jobOf: (jobId) => this.jobs.get(jobId),
      move: (job, e, to, details) => this.move(job, e, to, details),
      listeners: () => [...this.listeners],
    });
    registry.external.onReturn((key) => this.devices.thingReturned(registry.nameAt(key)));
    this.scheduleTimers = new ScheduleTimers(clock, {
      start: (jobId) => this.startScheduled(jobId),
      end: (jobId) => this.endSchedule(jobId),
    });
  }

  // ---- API side -----------------------------------------------------------

  /** Creates a job and queues one execution per thing its targets reach now. */
  createJob(spec: CreateJobSpec): JobRecord {
    const existing = this.jobs.get(spec.jobId);
    if (existing) {
      throw new IotError('ResourceAlreadyExistsException', `Job ${spec.jobId} already exists.`, {
        resourceId: spec.jobId,
        resourceArn: existing.jobArn,
      });
    }
    const resolved = resolveTargets(spec.targets, this.arns, this.registry);
    if (this.activeJobs >= this.limits.maxActiveJobs) {
      throw new IotError(
        'LimitExceededException',
        `The maximum number of active jobs (${this.limits.maxActiveJobs}) has been reached.`,
      );
    }
    const now = this.clock.now();
    const { jobId, ...rest } = spec;
    const settings = structuredClone(rest);
    // A scheduled job waits for its start time, and with windows for the first one open from then
    // (asked of the record's own config, so its windows are parsed once for the job's life).
    const start =
      settings.schedulingConfig === undefined ? now : rolloutStart(settings.schedulingConfig, now);
    const job: JobRecord = {
      ...settings,
      jobId,
      jobArn: this.arns.job(jobId),
      status: start !== undefined && start <= now ? 'IN_PROGRESS' : 'SCHEDULED',
      createdAt: now,
      lastUpdatedAt: now,
      seq: ++this.seq,
      executions: new ExecutionTable(jobId, this.things),
    };
    for (const key of thingsReached(resolved, this.registry)) {
      job.executions.addKey(key, this.registry.nameAt(key), now);
    }
    this.jobs.set(jobId, job);
    this.jobList.push(job.seq, job);
    this.devices.added(job);
    this.activeJobs++;
    if (job.targetSelection === 'CONTINUOUS') this.continuous.add(jobId, resolved.groups);
    this.scheduleTimers.arm(job);
    for (const listener of [...this.listeners]) listener.jobCreated?.(job);
    return job;
  }

  /** The job, or ResourceNotFoundException. */
  requireJob(jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job) throw notFound(`Job ${jobId} cannot be found.`);
    return job;
  }

  /**
   * CancelJob: the job becomes CANCELED and its QUEUED executions (with
   * `force`, its IN_PROGRESS ones too) become CANCELED. A CANCELED job can be
   * canceled again only with `force`, to stop the executions still running.
   */
  cancelJob(jobId: string, request: CancelJobRequest): JobRecord {
    const job = this.requireJob(jobId);
    // CancelJob's published errors hold no InvalidStateTransitionException (only CancelJobExecution's
    // do): a job that cannot be canceled is an InvalidRequestException.
    if (job.status === 'COMPLETED' || job.status === 'DELETION_IN_PROGRESS') {
      throw invalidRequest(`Job ${jobId} is ${job.status} and cannot be canceled.`);
    }
    if (job.status === 'CANCELED' && !request.force) {
      throw invalidRequest(`Job ${jobId} is already CANCELED; use force to cancel IN_PROGRESS executions.`);
    }
    const now = this.clock.now();
    if (job.status !== 'CANCELED') this.leaveActive(job);
    job.status = 'CANCELED';
    job.lastUpdatedAt = now;
    job.completedAt ??= now;
    if (request.force) job.forceCanceled = true;
    if (request.reasonCode !== undefined) job.reasonCode = request.reasonCode;
    if (request.comment !== undefined) job.comment = request.comment;
    this.publish.job(job, 'cancellation_in_progress');
    this.cancelExecutions(job, 'QUEUED', false);
    if (request.force) this.cancelExecutions(job, 'IN_PROGRESS', true);
    this.publish.job(job, 'canceled');
    for (const listener of [...this.listeners]) listener.jobCanceled?.(job, request.force);
    return job;
  }

  /**
   * DeleteJob: the job shows DELETION_IN_PROGRESS, then disappears with its
   * executions once `deletionDelayMs` of virtual time has passed.
   */
  deleteJob(jobId: string, force: boolean): void {
    const job = this.requireJob(jobId);
    if (job.status === 'DELETION_IN_PROGRESS') {
      throw invalidStateTransition(`Job ${jobId} is already being deleted.`);
    }
    if (isActiveJob(job) && !force) {
      throw invalidStateTransition(`Cannot delete job ${jobId} in status ${job.status} without force.`);
    }
    if (this.deletionsInProgress >= this.limits.maxDeletionsInProgress) {
      throw new IotError(
        'LimitExceededException',
        `Only ${this.limits.maxDeletionsInProgress} jobs may be in DELETION_IN_PROGRESS at the same time.`,
      );
    }
    this.leaveActive(job);
    job.status = 'DELETION_IN_PROGRESS';
    job.lastUpdatedAt = this.clock.now();
    this.deletionsInProgress++;
    this.publish.job(job, 'deletion_in_progress');
    this.clock.schedule(this.clock.now() + this.limits.deletionDelayMs, () => this.finishDeletion(job));
  }

  /**
   * Puts back a job a snapshot recorded (the local stack's `--data-dir`), as
   * {@link rebuildJob} rebuilds it, and hands it to the listeners
   * (`jobRestored`), whatever its status: the fleet simulator rolls out what
   * is left of a running job, and lets every IN_PROGRESS execution, of an
   * ended job too, run on to its end or its timeout. An existing job of that
   * id wins.
   */
  restoreJob(job: SavedJob, executions: readonly ExecutionRecord[]): void {
    if (this.jobs.has(job.jobId)) return;
    const record = rebuildJob(job, executions, ++this.seq, this.things);
    this.jobs.set(record.jobId, record);
    this.jobList.push(record.seq, record);
    this.devices.added(record);
    if (isActiveJob(record)) {
      this.activeJobs++;
      this.scheduleTimers.arm(record);
      // A CONTINUOUS job keeps reaching the things that join its groups after the restart.
      if (record.targetSelection === 'CONTINUOUS')
        this.continuous.add(record.jobId, this.targetGroups(record));
    }
    for (const listener of [...this.listeners]) listener.jobRestored?.(record);
  }

  /** Every job in creation order, for a snapshot. */
  allJobs(): JobRecord[] {
    return [...this.jobList.values()];
  }

  // ---- JobServicePort -----------------------------------------------------

  getJob(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  counts(jobId: string): ExecutionCounts {
    return this.requireJob(jobId).executions.counts();
  }

  getExecution(jobId: string, thingName: string): ExecutionRecord | undefined {
    return this.jobs.get(jobId)?.executions.get(thingName);
  }

  executions(jobId: string, status?: ExecutionStatus): Iterable<ExecutionRecord> {
    const job = this.jobs.get(jobId);
    return job ? job.executions.list(status).values() : [];
  }

  positions(jobId: string, status?: ExecutionStatus): Iterable<number> {
    const job = this.jobs.get(jobId);
    return job ? job.executions.positions(status) : [];
  }

  positionOf(jobId: string, thingName: string): number | undefined {
    return this.jobs.get(jobId)?.executions.indexOf(thingName);
  }

  thingNameAt(jobId: string, position: number): string {
    return this.requireJob(jobId).executions.thingNameAt(position);
  }

  attemptAt(jobId: string, position: number, status: ExecutionStatus): number {
    const table = this.jobHolding(jobId, position)?.executions;
    return table !== undefined && table.statusAt(position) === status ? table.executionNumberAt(position) : 0;
  }

  /**
   * The job, when it has an execution at `position`. The columns are zero-filled past the last
   * execution, and zero reads as QUEUED: a position past the end must never be read or moved.
   */
  private jobHolding(jobId: string, position: number): JobRecord | undefined {
    const job = this.jobs.get(jobId);
    return job !== undefined && Number.isInteger(position) && position >= 0 && position < job.executions.size
      ? job
      : undefined;
  }

  groupsAt(jobId: string, position: number): readonly string[] {
    const table = this.requireJob(jobId).executions;
    const key = table.thingKeyAt(position);
    return key === noThingKey
      ? this.registry.groupsOf(table.thingNameAt(position))
      : this.registry.groupsAt(key);
  }

  isExternalAt(jobId: string, position: number): boolean {
    const job = this.jobHolding(jobId, position);
    return job !== undefined && this.registry.external.has(job.executions.thingKeyAt(position));
  }

  releaseToDevice(jobId: string, position: number, executionNumber: number): void {
    const job = this.jobHolding(jobId, position);
    if (job !== undefined) this.devices.release(job, position, executionNumber);
  }

  countOf(jobId: string, status: ExecutionStatus): number {
    return this.requireJob(jobId).executions.count(status);
  }

  transition(
    jobId: string,
    thingName: string,
    to: ExecutionStatus,
    statusDetails?: Record<string, string>,
  ): boolean {
    const e = this.positionOf(jobId, thingName);
    return e !== undefined && this.transitionAt(jobId, e, to, statusDetails);
  }

  transitionAt(
    jobId: string,
    position: number,
    to: ExecutionStatus,
    statusDetails?: Record<string, string>,
  ): boolean {
    const job = this.jobHolding(jobId, position);
    if (!job || !mayMoveExecution(job.status, job.executions.statusAt(position), to)) return false;
    this.move(job, position, to, statusDetails);
    return true;
  }

  retry(jobId: string, thingName: string): ExecutionRecord | undefined {
    const e = this.positionOf(jobId, thingName);
    if (e === undefined || this.retryAt(jobId, e) === 0) return undefined;
    return this.requireJob(jobId).executions.record(e);
  }

  retryAt(jobId: string, position: number): number {
    const job = this.jobHolding(jobId, position);
    if (!job || !mayRetryExecution(job.status, job.executions.statusAt(position))) return 0;
    job.executions.retry(position, this.clock.now());
    return job.executions.executionNumberAt(position);
  }

  /**
   * Ends an IN_PROGRESS job (a no-op for a job that already ended, so a late
   * abort after a CancelJob is harmless). Ending it CANCELED also cancels the
   * executions still QUEUED, as an abort does in AWS.
   */
  finishJob(jobId: string, ending: JobEnding): void {
    const job = this.jobs.get(jobId);
    if (job === undefined || !isActiveJob(job)) return;
    const now = this.clock.now();
    this.leaveActive(job);
    job.status = ending.status;
    job.lastUpdatedAt = now;
    job.completedAt = now;
    if (ending.reasonCode !== undefined) job.reasonCode = ending.reasonCode;
    if (ending.comment !== undefined) job.comment = ending.comment;
    if (ending.status === 'CANCELED') {
      this.cancelExecutions(job, 'QUEUED', false);
      this.publish.job(job, 'canceled');
    } else {
      this.publish.job(job, 'completed');
    }
  }

  subscribe(listener: JobLifecycleListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- internals ----------------------------------------------------------

  private move(job: JobRecord, e: number, to: ExecutionStatus, details?: Record<string, string>) {
    const table = job.executions;
    table.move(e, to, this.clock.now(), details);
    const operation = executionEventOperation(to);
    if (operation) this.publish.execution(job.jobId, operation, table, e);
    this.devices.queueChanged(job, e);
  }

  private cancelExecutions(job: JobRecord, from: 'QUEUED' | 'IN_PROGRESS', force: boolean): void {
    // Collect first: moving an execution changes the list being read.
    for (const e of [...job.executions.positions(from)]) {
      if (force) job.executions.markForceCanceled(e);
      this.move(job, e, 'CANCELED');
    }
  }

  private finishDeletion(job: JobRecord): void {
    if (this.jobs.get(job.jobId) !== job) return;
    const table = job.executions;
    for (const e of table.positions()) this.publish.execution(job.jobId, 'deleted', table, e);
    this.jobs.delete(job.jobId);
    this.devices.deleted(job);
    this.jobList.markStale();
    this.deletionsInProgress--;
    this.publish.job(job, 'deleted');
    for (const listener of [...this.listeners]) listener.jobDeleted?.(job.jobId);
  }

  /** The thing groups a job targets, by name (a restored job's groups need not be looked up again). */
  private targetGroups(job: JobRecord): string[] {
    return job.targets.flatMap((arn) => this.arns.idOf(arn, 'thinggroup') ?? []);
  }

  /** Bookkeeping for a job leaving IN_PROGRESS/SCHEDULED. */
  private leaveActive(job: JobRecord): void {
    if (!isActiveJob(job)) return;
    this.activeJobs--;
    this.scheduleTimers.disarm(job.jobId);
    if (job.targetSelection === 'CONTINUOUS') this.continuous.remove(job.jobId);
  }

  /** The start of a SCHEDULED job has come: it rolls out from now. */
  private startScheduled(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job?.status !== 'SCHEDULED') return;
    job.status = 'IN_PROGRESS';
    job.lastUpdatedAt = this.clock.now();
    for (const listener of [...this.listeners]) listener.jobStarted?.(job);
  }

  /**
   * The end time of a job still rolling out: CANCEL and FORCE_CANCEL cancel
   * it as CancelJob does (without and with force); STOP_ROLLOUT, the
   * default, stops notifying devices. A job still SCHEDULED has notified
   * none: its executions are canceled and it completes at once. A running
   * one is left to the fleet simulator (`jobRolloutStopped`), which cancels
   * what it never notified and completes the job once the rest has ended.
   */
  private endSchedule(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined || !isActiveJob(job)) return;
    const behavior = endBehaviorOf(job.schedulingConfig);
    if (behavior !== 'STOP_ROLLOUT') {
      this.cancelJob(jobId, { force: behavior === 'FORCE_CANCEL' });
      return;
    }
    job.rolloutStopped = true;
    job.lastUpdatedAt = this.clock.now();
    if (job.status === 'SCHEDULED') {
      this.cancelExecutions(job, 'QUEUED', false);
      this.finishJob(jobId, { status: 'COMPLETED' });
    }
    for (const listener of [...this.listeners]) listener.jobRolloutStopped?.(job);
  }

  /** A CONTINUOUS job reaches a thing that joins one of its target groups (or a group below one). */
  private thingJoined(thingName: string, thingGroupName: string): void {
    if (this.continuous.empty) return;
    const now = this.clock.now();
    const reached = [thingGroupName, ...this.registry.ancestors(thingGroupName)];
    for (const jobId of this.continuous.jobsTargeting(reached)) {
      const job = this.jobs.get(jobId);
      // A scheduled job gains the execution too (its rollout will reach it); a stopped rollout gains none.
      if (job === undefined || !isActiveJob(job) || job.rolloutStopped) continue;
      const e = job.executions.add(thingName, now);
      if (e === undefined) continue;
      const execution = job.executions.record(e);
      for (const listener of [...this.listeners]) listener.executionAdded?.(execution);
    }
  }
}
