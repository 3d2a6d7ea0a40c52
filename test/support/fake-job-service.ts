/**
 * An in-memory JobServicePort for unit tests of the fleet simulator: jobs,
 * executions, exact per-status counters, the legal execution transitions,
 * retry, finishJob and lifecycle listeners, plus the operations a test
 * plays the IoT API with (createJob, addExecution, cancelJob, deleteJob,
 * cancelExecution). It keeps a log of every change so tests can check
 * invariants at each step.
 */
import type { Clock } from '../../local/clock/clock.js';
import type { ThingDirectory } from '../../local/fleet/thing-directory.js';
import { zeroCounts } from '../../local/iot/jobs/execution-table.js';
import { mayMoveExecution } from '../../local/iot/jobs/execution-transitions.js';
import type {
  ExecutionCounts,
  ExecutionStatus,
  JobEnding,
  JobLifecycleListener,
  JobServicePort,
  JobStatus,
  SimExecution,
  SimJob,
} from '../../local/iot/jobs/job-service-port.js';

type MutableJob = { -readonly [K in keyof SimJob]: SimJob[K] } & { reasonCode?: string; comment?: string };
type MutableExecution = { -readonly [K in keyof SimExecution]: SimExecution[K] };

interface JobRecord {
  job: MutableJob;
  executions: Map<string, MutableExecution>;
  /** The executions by position: creation order. */
  byPosition: MutableExecution[];
  counts: ExecutionCounts;
}

/** One accepted change, in order. */
export type FakeChange =
  | {
      kind: 'execution';
      at: number;
      jobId: string;
      thingName: string;
      from: ExecutionStatus;
      to: ExecutionStatus;
      executionNumber: number;
    }
  | { kind: 'job'; at: number; jobId: string; status: JobStatus; reasonCode?: string; comment?: string };

export interface CreateFakeJob {
  jobId: string;
  things: readonly string[];
  targetSelection?: SimJob['targetSelection'];
  status?: JobStatus;
  jobExecutionsRolloutConfig?: SimJob['jobExecutionsRolloutConfig'];
  abortConfig?: SimJob['abortConfig'];
  timeoutConfig?: SimJob['timeoutConfig'];
  jobExecutionsRetryConfig?: SimJob['jobExecutionsRetryConfig'];
}

export class FakeJobService implements JobServicePort {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new Set<JobLifecycleListener>();
  readonly changes: FakeChange[] = [];
  /** Called after every accepted change; tests check invariants here. */
  onChange: ((change: FakeChange) => void) | undefined;

  /** `directory` answers {@link groupsAt} (no groups without it). */
  constructor(
    private readonly clock: Clock,
    private readonly directory?: ThingDirectory,
  ) {}

  // ---- what a test does through the IoT API ---------------------------------

  createJob(request: CreateFakeJob): SimJob {
    const now = this.clock.now();
    const job: MutableJob = {
      jobId: request.jobId,
      jobArn: `arn:aws:iot:eu-west-1:123456789012:job/${request.jobId}`,
      status: request.status ?? 'IN_PROGRESS',
      targetSelection: request.targetSelection ?? 'SNAPSHOT',
      targets: [],
      createdAt: now,
      jobExecutionsRolloutConfig: request.jobExecutionsRolloutConfig,
      abortConfig: request.abortConfig,
      timeoutConfig: request.timeoutConfig,
      jobExecutionsRetryConfig: request.jobExecutionsRetryConfig,
    };
    const record: JobRecord = { job, executions: new Map(), byPosition: [], counts: zeroCounts() };
    this.jobs.set(job.jobId, record);
    for (const thingName of request.things) this.insertExecution(record, thingName);
    for (const listener of [...this.listeners]) listener.jobCreated?.({ ...job });
    return { ...job };
  }

  /** A thing joined a CONTINUOUS job's target group. */
  addExecution(jobId: string, thingName: string): SimExecution {
    const record = this.require(jobId);
    const execution = this.insertExecution(record, thingName);
    for (const listener of [...this.listeners]) listener.executionAdded?.({ ...execution });
    return { ...execution };
  }

  /** CancelJob: QUEUED executions (and IN_PROGRESS ones with force) become CANCELED. */
  cancelJob(jobId: string, force = false): void {
    const record = this.require(jobId);
    if (record.job.status !== 'IN_PROGRESS') throw new Error(`job ${jobId} is ${record.job.status}`);
    this.setJobStatus(record, { status: 'CANCELED', reasonCode: 'USER_CANCELED' });
    for (const execution of record.executions.values()) {
      if (execution.status === 'QUEUED' || (force && execution.status === 'IN_PROGRESS')) {
        this.move(record, execution, 'CANCELED');
      }
    }
    for (const listener of [...this.listeners]) listener.jobCanceled?.({ ...record.job }, force);
  }

  /** A SCHEDULED job reaches its start, as the store's schedule timer moves it: IN_PROGRESS, and `jobStarted`. */
  startJob(jobId: string): void {
    const record = this.require(jobId);
    if (record.job.status !== 'SCHEDULED') throw new Error(`job ${jobId} is ${record.job.status}`);
    this.setJobStatus(record, { status: 'IN_PROGRESS' });
    for (const listener of [...this.listeners]) listener.jobStarted?.({ ...record.job });
  }

  /** CancelJobExecution of a QUEUED execution. */
  cancelExecution(jobId: string, thingName: string): boolean {
    const record = this.require(jobId);
    const execution = record.executions.get(thingName);
    if (execution?.status !== 'QUEUED') return false;
    this.move(record, execution, 'CANCELED');
    return true;
  }

  deleteJob(jobId: string): void {
    this.jobs.delete(jobId);
    for (const listener of [...this.listeners]) listener.jobDeleted?.(jobId);
  }

  // ---- JobServicePort -------------------------------------------------------

  getJob(jobId: string): SimJob | undefined {
    const job = this.jobs.get(jobId)?.job;
    return job ? { ...job } : undefined;
  }

  counts(jobId: string): ExecutionCounts {
    return { ...(this.jobs.get(jobId)?.counts ?? zeroCounts()) };
  }

  getExecution(jobId: string, thingName: string): SimExecution | undefined {
    const execution = this.jobs.get(jobId)?.executions.get(thingName);
    return execution ? { ...execution } : undefined;
  }

  *executions(jobId: string, status?: ExecutionStatus): Iterable<SimExecution> {
    const record = this.jobs.get(jobId);
    if (!record) return;
    for (const execution of record.executions.values()) {
      if (status === undefined || execution.status === status) yield { ...execution };
    }
  }

  *positions(jobId: string, status?: ExecutionStatus): Iterable<number> {
    const executions = this.jobs.get(jobId)?.byPosition ?? [];
    for (let e = 0; e < executions.length; e++) {
      if (status === undefined || executions[e]!.status === status) yield e;
    }
  }

  positionOf(jobId: string, thingName: string): number | undefined {
    const record = this.jobs.get(jobId);
    const execution = record?.executions.get(thingName);
    return execution && record!.byPosition.indexOf(execution);
  }

  thingNameAt(jobId: string, position: number): string {
    return this.require(jobId).byPosition[position]!.thingName;
  }

  attemptAt(jobId: string, position: number, status: ExecutionStatus): number {
    const execution = this.jobs.get(jobId)?.byPosition[position];
    return execution?.status === status ? execution.executionNumber : 0;
  }

  groupsAt(jobId: string, position: number): readonly string[] {
    return this.directory?.groupsOf(this.thingNameAt(jobId, position)) ?? [];
  }

  /** The fake's fleet is simulated whole: no thing is played by a real device. */
  isExternalAt(): boolean {
    return false;
  }

  releaseToDevice(): void {
    throw new Error('the fake has no external things');
  }

  countOf(jobId: string, status: ExecutionStatus): number {
    return this.counts(jobId)[status];
  }

  transition(jobId: string, thingName: string, to: ExecutionStatus): boolean {
    const e = this.positionOf(jobId, thingName);
    return e !== undefined && this.transitionAt(jobId, e, to);
  }

  transitionAt(jobId: string, position: number, to: ExecutionStatus): boolean {
    const record = this.jobs.get(jobId);
    const execution = record?.byPosition[position];
    // The emulator's own rule, so the fake cannot drift from the store it stands in for.
    if (!record || !execution || !mayMoveExecution(record.job.status, execution.status, to)) return false;
    this.move(record, execution, to);
    return true;
  }

  retry(jobId: string, thingName: string): SimExecution | undefined {
    const e = this.positionOf(jobId, thingName);
    if (e === undefined || this.retryAt(jobId, e) === 0) return undefined;
    return { ...this.require(jobId).byPosition[e]! };
  }

  retryAt(jobId: string, position: number): number {
    const record = this.jobs.get(jobId);
    const execution = record?.byPosition[position];
    if (!record || !execution || record.job.status !== 'IN_PROGRESS') return 0;
    if (execution.status !== 'FAILED' && execution.status !== 'TIMED_OUT') return 0;
    execution.executionNumber++;
    execution.startedAt = undefined;
    execution.queuedAt = this.clock.now();
    execution.versionNumber = 0;
    this.move(record, execution, 'QUEUED');
    return execution.executionNumber;
  }

  finishJob(jobId: string, ending: JobEnding): void {
    const record = this.require(jobId);
    // A real store would ignore it; a test wants to know the simulator tried.
    if (record.job.status !== 'IN_PROGRESS') throw new Error(`finishJob on a ${record.job.status} job`);
    this.setJobStatus(record, ending);
  }

  subscribe(listener: JobLifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- helpers --------------------------------------------------------------

  /** Number of executions of a job, O(1). */
  size(jobId: string): number {
    return this.jobs.get(jobId)?.executions.size ?? 0;
  }

  /** Every execution of a job, current state. */
  all(jobId: string): SimExecution[] {
    return [...this.executions(jobId)];
  }

  /** The job's executions whose status is `status`, by thing name. */
  thingsIn(jobId: string, status: ExecutionStatus): string[] {
    return [...this.executions(jobId, status)].map((e) => e.thingName);
  }

  private require(jobId: string): JobRecord {
    const record = this.jobs.get(jobId);
    if (!record) throw new Error(`no job ${jobId}`);
    return record;
  }

  private insertExecution(record: JobRecord, thingName: string): MutableExecution {
    if (record.executions.has(thingName)) throw new Error(`${thingName} already has an execution`);
    const now = this.clock.now();
    const execution: MutableExecution = {
      jobId: record.job.jobId,
      thingName,
      thingArn: `arn:aws:iot:eu-west-1:123456789012:thing/${thingName}`,
      status: 'QUEUED',
      executionNumber: 1,
      queuedAt: now,
      lastUpdatedAt: now,
      versionNumber: 1,
    };
    record.executions.set(thingName, execution);
    record.byPosition.push(execution);
    record.counts.QUEUED++;
    this.record({
      kind: 'execution',
      at: now,
      jobId: record.job.jobId,
      thingName,
      from: 'QUEUED',
      to: 'QUEUED',
      executionNumber: 1,
    });
    return execution;
  }

  private move(record: JobRecord, execution: MutableExecution, to: ExecutionStatus): void {
    const from = execution.status;
    const now = this.clock.now();
    record.counts[from]--;
    record.counts[to]++;
    execution.status = to;
    execution.lastUpdatedAt = now;
    execution.versionNumber++;
    if (to === 'IN_PROGRESS') execution.startedAt = now;
    this.record({
      kind: 'execution',
      at: now,
      jobId: record.job.jobId,
      thingName: execution.thingName,
      from,
      to,
      executionNumber: execution.executionNumber,
    });
  }

  private setJobStatus(
    record: JobRecord,
    ending: { status: JobStatus; reasonCode?: string; comment?: string },
  ): void {
    record.job.status = ending.status;
    if (ending.reasonCode !== undefined) record.job.reasonCode = ending.reasonCode;
    if (ending.comment !== undefined) record.job.comment = ending.comment;
    this.record({ kind: 'job', at: this.clock.now(), jobId: record.job.jobId, ...ending });
  }

  private record(change: FakeChange): void {
    this.changes.push(change);
    this.onChange?.(change);
  }

  /** The job as the store holds it, with the reason code and comment of its ending. */
  jobRecord(jobId: string): Readonly<MutableJob> | undefined {
    return this.jobs.get(jobId)?.job;
  }
}
