/**
 * The fleet simulator: makes AWS IoT job executions move through their real
 * lifecycle on the virtual clock. It listens to the job store through
 * `JobServicePort`, notifies things at the job's rollout rate, plays each
 * device (start latency, then an outcome after a run latency, or offline, or
 * a hang), and applies the job's timeout, retry, abort and completion rules.
 *
 * An external thing (attribute `fleetwave:simulated` = `"false"`) is
 * notified at the same rate, but its device is real: the simulator hands the
 * execution to it (`releaseToDevice`) and plays nothing. What the device
 * does comes back as `executionMovedByDevice`, and the same timeout, retry,
 * abort and completion rules apply.
 *
 * All work is batched per virtual second (`SecondWheel`): one rollout tick
 * per job per second, device events grouped by the second they fall in.
 * A job's schedule (`schedulingConfig`) gates the rollout: nothing is
 * notified while the job is SCHEDULED or its maintenance windows are
 * closed, and a closed window costs one wake-up, at its next opening (or,
 * with none within two years, at that horizon, to look again), taken back
 * when the job ends.
 */
import { OPENING_HORIZON_MS } from '../../lib/domain/maintenance-windows.js';
import type { SchedulingClock } from '../clock/clock.js';
import type {
  ExecutionStatus,
  JobLifecycleListener,
  JobServicePort,
  SimExecution,
  SimJob,
} from '../iot/jobs/job-service-port.js';
import { type AbortDecision, evaluateAbort } from './abort-rules.js';
import {
  type BehaviourProfiles,
  defaultBehaviourProfiles,
  parseBehaviourProfiles,
} from './behaviour-profile.js';
import { type AttemptPlan, planAttempt } from './device-plan.js';
import type { EndStatus, FleetEvent, FleetJobStats } from './fleet-events.js';
import { JobRun, type SavedRun } from './job-run.js';
import { ProfileResolver } from './profile-resolver.js';
import { shouldRetry } from './retry-rules.js';
import { rolloutRatePerMinute } from './rollout-rate.js';
import { rebuildRun } from './run-restore.js';
import { ceilSecond, SecondWheel, type WheelTask } from './second-wheel.js';

export interface FleetSimulatorOptions {
  clock: SchedulingClock;
  /** The job store; it also answers each execution's thing groups (`groupsAt`), which pick its behaviour. */
  jobs: JobServicePort;
  /** Same seed, same per-thing outcomes and latencies. */
  seed: string | number;
  /** Defaults to {@link defaultBehaviourProfiles}. */
  profiles?: BehaviourProfiles;
  /** Called synchronously for every step; must not throw. */
  onEvent?: (event: FleetEvent) => void;
}

export interface FleetSimulator {
  /** Replaces the profiles (validated; throws ValidationError). Attempts notified from now on use them. */
  setProfiles(profiles: BehaviourProfiles): void;
  getProfiles(): BehaviourProfiles;
  /** The rollout of one job, or undefined for a job the simulator does not know. */
  jobStats(jobId: string): FleetJobStats | undefined;
  /**
   * Tells the simulator that an execution of `jobId` ended without it (for
   * example through CancelJobExecution), which `JobLifecycleListener` does
   * not report. If that was the job's last open execution, a SNAPSHOT job
   * completes at the next whole virtual second, inside or outside its windows.
   */
  executionEndedElsewhere(jobId: string): void;
  /** What a snapshot keeps of the run of `jobId` (see {@link SavedRun}), or undefined for a job the simulator does not know. */
  runState(jobId: string): SavedRun | undefined;
  /**
   * Puts back what {@link runState} kept, for a job just restored into the
   * store (`jobRestored`): the attempts its abort rule counts and the retries
   * each thing used, which the executions alone do not tell.
   */
  restoreRunState(jobId: string, saved: SavedRun): void;
  /** Unsubscribes from the store and drops all pending work. */
  stop(): void;
}

/** What a device that does not stay offline does, by the code a scheduled start carries. */
const startOutcomes = ['succeed', 'fail', 'reject', 'hang'] as const;
type StartOutcome = (typeof startOutcomes)[number];

/** How an attempt ends, by the code a scheduled end carries. */
const endStatuses = ['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'] as const satisfies readonly EndStatus[];

const deviceEndStatus: Record<Exclude<StartOutcome, 'hang'>, number> = {
  succeed: endStatuses.indexOf('SUCCEEDED'),
  fail: endStatuses.indexOf('FAILED'),
  reject: endStatuses.indexOf('REJECTED'),
};
const timedOut = endStatuses.indexOf('TIMED_OUT');

const isEndStatus = (status: ExecutionStatus): status is EndStatus =>
  (endStatuses as readonly string[]).includes(status);

/**
 * A job's device steps as wheel tasks, made once per job: a scheduled start
 * carries (position, attempt and outcome code, run delay); an end carries
 * (position, attempt, end status code).
 */
interface DeviceSteps {
  readonly start: WheelTask;
  readonly end: WheelTask;
}

class FleetSimulatorEngine implements FleetSimulator, JobLifecycleListener {
  private readonly clock: SchedulingClock;
  private readonly port: JobServicePort;
  private readonly seed: string;
  private readonly emit: (event: FleetEvent) => void;
  private readonly wheel: SecondWheel;
  private readonly runs = new Map<string, JobRun>();
  private readonly steps = new WeakMap<JobRun, DeviceSteps>();
  private resolver: ProfileResolver;
  private readonly unsubscribe: () => void;

  constructor(options: FleetSimulatorOptions) {
    this.clock = options.clock;
    this.port = options.jobs;
    this.seed = String(options.seed);
    this.emit = options.onEvent ?? (() => {});
    this.wheel = new SecondWheel(options.clock);
    this.resolver = new ProfileResolver(parseBehaviourProfiles(options.profiles ?? defaultBehaviourProfiles));
    this.unsubscribe = this.port.subscribe(this);
  }

  setProfiles(profiles: BehaviourProfiles): void {
    this.resolver = new ProfileResolver(parseBehaviourProfiles(profiles));
  }

  getProfiles(): BehaviourProfiles {
    return structuredClone(this.resolver.profiles);
  }

  jobStats(jobId: string): FleetJobStats | undefined {
    const run = this.runs.get(jobId);
    return run?.stats(rolloutRatePerMinute(run.job.jobExecutionsRolloutConfig, run));
  }

  executionEndedElsewhere(jobId: string): void {
    const run = this.runs.get(jobId);
    // A rollout tick with nothing left to notify checks completion; ticks are
    // deduplicated, so a burst of cancellations costs one check.
    if (run?.active) this.scheduleTick(run);
  }

  stop(): void {
    this.unsubscribe();
    this.wheel.clear();
    for (const run of this.runs.values()) run.deactivate();
    this.runs.clear();
  }

  // ---- JobLifecycleListener -------------------------------------------------

  jobCreated(job: SimJob): void {
    if (this.runs.has(job.jobId)) return;
    const run = this.addRun(job);
    // One pass over the initial executions, at creation; the rollout then
    // works from this queue and never scans the fleet again.
    for (const e of this.port.positions(job.jobId, 'QUEUED')) run.enqueue(e);
    // A SCHEDULED job waits for `jobStarted`, and costs nothing until then.
    if (job.status === 'IN_PROGRESS') this.scheduleTick(run);
  }

  jobStarted(job: SimJob): void {
    const run = this.runs.get(job.jobId);
    if (run?.active) this.scheduleTick(run);
  }

  jobRolloutStopped(job: SimJob): void {
    const run = this.runs.get(job.jobId);
    if (!run?.active) return;
    if (job.status !== 'IN_PROGRESS') {
      run.deactivate();
      return;
    }
    // What was never notified will not be: its execution is canceled, so the job can complete.
    for (const e of run.stopRollout()) this.port.transitionAt(run.jobId, e, 'CANCELED');
    this.maybeComplete(run);
  }

  jobRestored(job: SimJob): void {
    if (this.runs.has(job.jobId)) return;
    const run = this.addRun(job);
    rebuildRun(run, this.port);
    // A stopped rollout notifies nobody new. What is still QUEUED was notified before the restart
    // (the stop canceled the rest): its device hears of it again, or the job could never complete.
    if (run.rolloutStopped) {
      for (const e of run.stopRollout()) {
        const attempt = this.port.attemptAt(job.jobId, e, 'QUEUED');
        if (attempt !== 0 && job.status === 'IN_PROGRESS') this.notify(run, e, attempt, undefined);
      }
    }
    // Devices that were mid-attempt go on with it, in an ended job too (CancelJob
    // without force and an abort let them run on): the same plan, from the same start.
    for (const execution of [...this.port.executions(job.jobId, 'IN_PROGRESS')]) {
      const e = this.port.positionOf(job.jobId, execution.thingName);
      if (e !== undefined) this.resume(run, e, execution.executionNumber, execution.startedAt);
    }
    if (job.status === 'IN_PROGRESS') this.scheduleTick(run);
    else if (job.status !== 'SCHEDULED') run.deactivate();
  }

  runState(jobId: string): SavedRun | undefined {
    return this.runs.get(jobId)?.save((e) => this.port.thingNameAt(jobId, e));
  }

  restoreRunState(jobId: string, saved: SavedRun): void {
    this.runs.get(jobId)?.load(saved, (thingName) => this.port.positionOf(jobId, thingName));
  }

  /** A run for `job`, with its device steps, known from now on. */
  private addRun(job: SimJob): JobRun {
    const run = new JobRun(job);
    this.steps.set(run, {
      start: (e, attemptAndOutcome, runDelayMs) =>
        this.start(
          run,
          e,
          Math.floor(attemptAndOutcome / 4),
          startOutcomes[attemptAndOutcome % 4]!,
          runDelayMs,
        ),
      end: (e, executionNumber, status) => this.end(run, e, executionNumber, endStatuses[status]!),
    });
    this.runs.set(job.jobId, run);
    return run;
  }

  executionAdded(execution: SimExecution): void {
    const run = this.runs.get(execution.jobId);
    if (!run?.active) return;
    const e = this.port.positionOf(execution.jobId, execution.thingName);
    if (e === undefined) return;
    run.resetRetries(e);
    // A scheduled job, or one with windows, reaches the thing through its rollout, when that may go on.
    const status = this.port.getJob(execution.jobId)?.status;
    if (run.windows !== undefined || status === 'SCHEDULED') {
      run.enqueue(e);
      if (status === 'IN_PROGRESS') this.scheduleTick(run);
      return;
    }
    // AWS: the rollout configuration only paces the things targeted when the
    // job was created; a thing joining a CONTINUOUS job's group later gets
    // its execution in near-real time, outside the rollout rate.
    const { executionNumber } = execution;
    this.wheel.at(this.clock.now(), () => {
      if (!this.isAttempt(run, e, executionNumber, 'QUEUED') || !run.active) return;
      run.notifiedThings++;
      this.notify(run, e, executionNumber, undefined);
    });
  }

  executionMovedByDevice(
    jobId: string,
    e: number,
    executionNumber: number,
    from: ExecutionStatus,
    to: ExecutionStatus,
  ): void {
    const run = this.runs.get(jobId);
    if (run === undefined) return;
    const thingName = this.port.thingNameAt(jobId, e);
    if (to === 'IN_PROGRESS') {
      if (from !== 'QUEUED') return;
      this.emit({ type: 'started', at: this.clock.now(), jobId, thingName, executionNumber });
      // Only the in-progress timeout can end what a real device took, as for a hung simulated one.
      this.scheduleEnd(run, e, executionNumber, 'hang', this.clock.now(), 0);
      return;
    }
    if (isEndStatus(to)) this.ended(run, e, thingName, executionNumber, to);
  }

  executionReturnedToSimulator(jobId: string, e: number, executionNumber: number): void {
    const run = this.runs.get(jobId);
    // Released to a device that is no more: the simulator plays it, as if just notified.
    if (run?.active && this.isAttempt(run, e, executionNumber, 'QUEUED')) {
      this.notify(run, e, executionNumber, undefined);
    }
  }

  jobCanceled(job: SimJob): void {
    // The store has canceled QUEUED executions (and IN_PROGRESS ones with
    // force). Devices already IN_PROGRESS without force run on: their
    // endings are still attempted, and the store accepts them.
    this.runs.get(job.jobId)?.deactivate();
  }

  jobDeleted(jobId: string): void {
    this.runs.get(jobId)?.deactivate();
    this.runs.delete(jobId);
  }

  // ---- rollout --------------------------------------------------------------

  private scheduleTick(run: JobRun, atMs = this.clock.now()): void {
    if (run.tickScheduled) return;
    run.tickScheduled = true;
    this.wheel.at(atMs, () => this.tick(run));
  }

  /** A tick at `atMs`, outside the wheel so that ending the run (CancelJob, DeleteJob) can take it back. */
  private wakeAt(run: JobRun, atMs: number): void {
    const handle = this.clock.schedule(ceilSecond(atMs), () => {
      run.wokeUp();
      if (run.active) this.scheduleTick(run);
    });
    run.setWakeUp(() => this.clock.cancel(handle));
  }

  private tick(run: JobRun): void {
    run.tickScheduled = false;
    if (!this.isCurrent(run) || !run.active) return;
    const job = this.port.getJob(run.jobId);
    // In scaled mode a task runs a little after its second: count from the second, not from now.
    const second = Math.floor(this.clock.now() / 1000);
    const nextSecondMs = (second + 1) * 1000;
    // Not started yet: `jobStarted` ticks again.
    if (job?.status === 'SCHEDULED') return;
    if (job?.status !== 'IN_PROGRESS') {
      run.deactivate();
      return;
    }
    const gate = run.windows?.gate(this.clock.now());
    if (gate !== undefined && !gate.open) {
      // Executions canceled meanwhile (CancelJobExecution) may have left nothing to notify: complete now.
      this.maybeComplete(run);
      // One wake-up at the next opening; `max` time jumps straight there. With no opening within the
      // horizon, a look again at the horizon: the job is never left running with no timer at all.
      if (run.active && run.waiting > 0 && !run.wakeUpPending) {
        this.wakeAt(run, gate.opensAt ?? this.clock.now() + OPENING_HORIZON_MS);
      }
      return;
    }
    const rate = rolloutRatePerMinute(run.job.jobExecutionsRolloutConfig, run);
    const allowance = run.budget.allowance(second, rate);
    let sent = 0;
    while (sent < allowance) {
      const e = run.next();
      if (e === -1) break;
      const attempt = this.port.attemptAt(run.jobId, e, 'QUEUED');
      // Canceled or removed meanwhile (CancelJobExecution, DeleteJobExecution): no notification, no budget spent.
      if (attempt === 0) continue;
      if (!run.nextWasRetry) run.notifiedThings++;
      this.notify(run, e, attempt, rate);
      sent++;
    }
    run.budget.record(second, sent);
    if (run.waiting > 0) this.scheduleTick(run, nextSecondMs);
    else this.maybeComplete(run);
  }

  // ---- devices --------------------------------------------------------------

  /** The attempt's plan: a pure function of the seed, the attempt and the thing's behaviour now. */
  private plan(run: JobRun, e: number, thingName: string, executionNumber: number): AttemptPlan {
    const behaviour = this.resolver.resolve(thingName, this.port.groupsAt(run.jobId, e));
    return planAttempt({ seed: this.seed, jobId: run.jobId, thingName, executionNumber }, behaviour);
  }

  private notify(run: JobRun, e: number, executionNumber: number, ratePerMinute: number | undefined): void {
    const thingName = this.port.thingNameAt(run.jobId, e);
    const external = this.port.isExternalAt(run.jobId, e);
    const plan = external ? undefined : this.plan(run, e, thingName, executionNumber);
    const at = this.clock.now();
    const outcome = plan?.outcome ?? 'external';
    this.emit({ type: 'notified', at, jobId: run.jobId, thingName, executionNumber, ratePerMinute, outcome });
    if (plan === undefined) {
      // A real device plays the thing: it is told, and the simulator plays nothing.
      this.port.releaseToDevice(run.jobId, e, executionNumber);
      return;
    }
    // An offline device never picks the job up: the execution stays QUEUED
    // (AWS times out only IN_PROGRESS executions).
    if (plan.outcome === 'offline') return;
    const attemptAndOutcome = executionNumber * 4 + startOutcomes.indexOf(plan.outcome);
    this.wheel.at(at + plan.startDelayMs, this.steps.get(run)!.start, e, attemptAndOutcome, plan.runDelayMs);
  }

  private start(
    run: JobRun,
    e: number,
    executionNumber: number,
    outcome: StartOutcome,
    runDelayMs: number,
  ): void {
    if (!this.isAttempt(run, e, executionNumber, 'QUEUED')) return;
    // Made external (UpdateThing) since it was notified: its device takes it from here.
    if (this.port.isExternalAt(run.jobId, e)) {
      this.port.releaseToDevice(run.jobId, e, executionNumber);
      return;
    }
    // The store refuses a start once the job is no longer IN_PROGRESS.
    if (!this.port.transitionAt(run.jobId, e, 'IN_PROGRESS')) return;
    const startedAt = this.clock.now();
    const thingName = this.port.thingNameAt(run.jobId, e);
    this.emit({ type: 'started', at: startedAt, jobId: run.jobId, thingName, executionNumber });
    this.scheduleEnd(run, e, executionNumber, outcome, startedAt, runDelayMs);
  }

  /**
   * A restored IN_PROGRESS attempt: planned again (the same plan, with the
   * same seed and profiles), and ended, or timed out, as it would have been
   * from its start; a time already past falls at the next whole second. A
   * plan that now says offline (the profiles changed) leaves the device
   * silent, as a hang: only the timeout ends it.
   */
  private resume(run: JobRun, e: number, executionNumber: number, startedAt = this.clock.now()): void {
    // A real device's attempt ends by its device, or by the in-progress timeout.
    if (this.port.isExternalAt(run.jobId, e)) {
      this.scheduleEnd(run, e, executionNumber, 'hang', startedAt, 0);
      return;
    }
    const plan = this.plan(run, e, this.port.thingNameAt(run.jobId, e), executionNumber);
    const outcome = plan.outcome === 'offline' ? 'hang' : plan.outcome;
    this.scheduleEnd(run, e, executionNumber, outcome, startedAt, plan.runDelayMs);
  }

  /** Schedules how an attempt that started at `startedAt` ends: by its device, or by the in-progress timeout. */
  private scheduleEnd(
    run: JobRun,
    e: number,
    executionNumber: number,
    outcome: StartOutcome,
    startedAt: number,
    runDelayMs: number,
  ): void {
    const timeoutMinutes = run.job.timeoutConfig?.inProgressTimeoutInMinutes;
    const timeoutAt =
      timeoutMinutes === undefined ? Number.POSITIVE_INFINITY : startedAt + timeoutMinutes * 60_000;
    const endAt = outcome === 'hang' ? Number.POSITIVE_INFINITY : ceilSecond(startedAt + runDelayMs);
    const end = this.steps.get(run)!.end;
    // The in-progress timer fires only if the device is still IN_PROGRESS
    // *longer* than the timeout: a device ending exactly at it is in time.
    if (outcome !== 'hang' && endAt <= timeoutAt) {
      this.wheel.at(endAt, end, e, executionNumber, deviceEndStatus[outcome]);
    } else if (timeoutAt !== Number.POSITIVE_INFINITY) {
      this.wheel.at(timeoutAt, end, e, executionNumber, timedOut);
    }
    // Otherwise a hung device without a timeout stays IN_PROGRESS for good.
  }

  private end(run: JobRun, e: number, executionNumber: number, status: EndStatus): void {
    if (!this.isAttempt(run, e, executionNumber, 'IN_PROGRESS')) return;
    // Refused when the execution was force-canceled meanwhile.
    if (!this.port.transitionAt(run.jobId, e, status, this.detailsOf(run, e, status))) return;
    this.ended(run, e, this.port.thingNameAt(run.jobId, e), executionNumber, status);
  }

  /** What follows an attempt's end, whoever ended it (the simulated device, the timeout, or a real device). */
  private ended(run: JobRun, e: number, thingName: string, executionNumber: number, status: EndStatus): void {
    run.tally[status]++;
    if (status === 'SUCCEEDED') run.succeededThings++;
    this.emit({ type: 'ended', at: this.clock.now(), jobId: run.jobId, thingName, executionNumber, status });
    // A canceled job's IN_PROGRESS executions still end, but trigger nothing.
    if (!run.active) return;
    const decision = evaluateAbort(run.job.abortConfig, run.tally);
    if (decision) {
      this.abort(run, decision);
      return;
    }
    const retrying = (status === 'FAILED' || status === 'TIMED_OUT') && !run.rolloutStopped;
    if (retrying && this.retry(run, e, thingName, status)) return;
    this.maybeComplete(run);
  }

  private retry(run: JobRun, e: number, thingName: string, status: 'FAILED' | 'TIMED_OUT'): boolean {
    const used = run.retriesOf(e);
    if (!shouldRetry(run.job.jobExecutionsRetryConfig, status, used)) return false;
    const executionNumber = this.port.retryAt(run.jobId, e);
    if (executionNumber === 0) return false;
    used[status]++;
    this.emit({ type: 'retried', at: this.clock.now(), jobId: run.jobId, thingName, executionNumber });
    // A retry is a notification like any other: it waits for the rollout budget.
    run.enqueueRetry(e);
    this.scheduleTick(run);
    return true;
  }

  // ---- job endings ----------------------------------------------------------

  private abort(run: JobRun, decision: AbortDecision): void {
    run.deactivate();
    // Collect first: canceling while iterating would change what the store's iterator walks.
    const queued = [...this.port.positions(run.jobId, 'QUEUED')];
    let canceled = 0;
    for (const e of queued) if (this.port.transitionAt(run.jobId, e, 'CANCELED')) canceled++;
    if (this.port.getJob(run.jobId)?.status === 'IN_PROGRESS') {
      this.port.finishJob(run.jobId, {
        status: 'CANCELED',
        reasonCode: decision.reasonCode,
        comment: decision.comment,
      });
    }
    this.emit({ type: 'aborted', at: this.clock.now(), jobId: run.jobId, decision, canceled });
  }

  /** A SNAPSHOT job completes once every execution is terminal; a CONTINUOUS job never does on its own. */
  private maybeComplete(run: JobRun): void {
    if (!run.active || run.job.targetSelection !== 'SNAPSHOT') return;
    // What still waits in the run's queue counts only while its execution is QUEUED in the store
    // (a canceled one stays queued here until the rollout reaches it).
    if (this.port.countOf(run.jobId, 'QUEUED') > 0 || this.port.countOf(run.jobId, 'IN_PROGRESS') > 0) return;
    run.deactivate();
    if (this.port.getJob(run.jobId)?.status !== 'IN_PROGRESS') return;
    this.port.finishJob(run.jobId, { status: 'COMPLETED' });
    this.emit({ type: 'completed', at: this.clock.now(), jobId: run.jobId });
  }

  // ---- helpers --------------------------------------------------------------

  /** What the device reports as it ends an attempt in `status`: only a failing or rejecting device says why. */
  private detailsOf(run: JobRun, e: number, status: EndStatus): Record<string, string> | undefined {
    if (status !== 'FAILED' && status !== 'REJECTED') return undefined;
    const behaviour = this.resolver.resolve(
      this.port.thingNameAt(run.jobId, e),
      this.port.groupsAt(run.jobId, e),
    );
    return { ...behaviour.statusDetails[status === 'FAILED' ? 'fail' : 'reject'] };
  }

  private isCurrent(run: JobRun): boolean {
    return this.runs.get(run.jobId) === run;
  }

  /** Whether the thing's execution is still the attempt this work was planned for, in the expected status. */
  private isAttempt(
    run: JobRun,
    e: number,
    executionNumber: number,
    status: 'QUEUED' | 'IN_PROGRESS',
  ): boolean {
    return this.isCurrent(run) && this.port.attemptAt(run.jobId, e, status) === executionNumber;
  }
}

/** Starts a simulator listening to `jobs`; call `stop()` to detach it. */
export function createFleetSimulator(options: FleetSimulatorOptions): FleetSimulator {
  return new FleetSimulatorEngine(options);
}
