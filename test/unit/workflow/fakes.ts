/**
 * In-memory fakes of the workflow's ports, for unit tests of the wave
 * tasks: a release store that applies the domain's transition tables the
 * way the DynamoDB repository does (retries are `changed: false`, a
 * forbidden move is a ConflictError), IoT jobs and thing groups that can be
 * told to fail, and a notifier that records what it was given.
 */

import { ConflictError, NotFoundError, type ThrottledError } from '../../../lib/domain/errors.js';
import type { AnyNotificationEvent } from '../../../lib/domain/notifications.js';
import type { ReleaseRequestInput } from '../../../lib/domain/release-request.js';
import { type JobProcessCounts, ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import type {
  JobExecutionPage,
  JobExecutionSummary,
  Notifier,
  ThingGroups,
  WaveJobRequest,
  WaveJobs,
  WaveJobView,
  WorkflowDeps,
} from '../../../lib/workflow/ports.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import type { WaveWaker } from '../../../lib/workflow/wave-wake.js';
import type { WorkflowState } from '../../../lib/workflow/workflow-state.js';
import { MemoryReleaseStore } from '../../support/memory-release-store.js';

export const NOW = '2026-01-01T00:00:00.000Z';
/** The workflow's end of a release created at {@link NOW} without an end time: 364 days on, its lifetime. */
export const LIFETIME_END = '2026-12-31T00:00:00.000Z';
export const TEMPLATE_ARN = 'arn:aws:iot:us-east-1:123456789012:jobtemplate/fw-2-0';

type JobOp = 'create' | 'describe' | 'cancel' | 'list' | 'listExecutions';

/** IoT jobs in memory; `failNext` makes the next calls of an operation throw. */
class FakeWaveJobs implements WaveJobs {
  readonly jobs = new Map<string, WaveJobView>();
  readonly calls: string[] = [];
  /** Each job's executions, in the order IoT lists them. */
  readonly executions = new Map<string, JobExecutionSummary[]>();
  /** ListJobExecutionsForJob's page size here: small, so a test crosses pages with a few things. */
  pageSize = 2;
  /** Every CancelJob asked for, with its `force`. */
  readonly cancels: { jobId: string; force: boolean }[] = [];
  /** Every CreateJob asked for, in order. */
  readonly requests: WaveJobRequest[] = [];
  private readonly failures: { op: JobOp; error: Error }[] = [];

  failNext(op: JobOp, error: Error | ThrottledError, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ op, error });
  }

  /** Sets a job's status and counters, as devices and IoT would. */
  progress(jobId: string, change: { status?: string; counts?: Partial<JobProcessCounts> }): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    this.jobs.set(jobId, { ...job, ...change, counts: { ...job.counts, ...change.counts } });
  }

  private check(op: JobOp): void {
    this.calls.push(op);
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) {
      const [failure] = this.failures.splice(i, 1);
      throw failure?.error;
    }
  }

  async create(request: WaveJobRequest): Promise<{ created: boolean; jobArn?: string }> {
    this.check('create');
    this.requests.push(request);
    const jobArn = `arn:aws:iot:us-east-1:123456789012:job/${request.jobId}`;
    if (this.jobs.has(request.jobId)) return { created: false, jobArn };
    this.jobs.set(request.jobId, {
      jobId: request.jobId,
      jobArn,
      status: 'IN_PROGRESS',
      jobTemplateArn: request.jobTemplateArn,
      targets: [...request.targets],
      counts: { ...ZERO_COUNTS, numberOfQueuedThings: request.targets.length },
    });
    return { created: true, jobArn };
  }

  async describe(jobId: string): Promise<WaveJobView> {
    this.check('describe');
    const job = this.jobs.get(jobId) ?? this.viewOfExecutions(jobId);
    if (!job) throw new NotFoundError(`Job ${jobId} cannot be found.`, jobId);
    return structuredClone(job);
  }

  /** A job known only by its executions (a test's source release): its counters, from them. */
  private viewOfExecutions(jobId: string): WaveJobView | undefined {
    const all = this.executions.get(jobId);
    if (!all) return undefined;
    const counts = { ...ZERO_COUNTS };
    for (const { status } of all) {
      const counter = `numberOf${status
        .toLowerCase()
        .replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}Things` as keyof JobProcessCounts;
      if (counter in counts) counts[counter]++;
    }
    const ended = counts.numberOfQueuedThings + counts.numberOfInProgressThings === 0;
    return {
      jobId,
      jobArn: `arn:aws:iot:us-east-1:123456789012:job/${jobId}`,
      status: ended ? 'COMPLETED' : 'IN_PROGRESS',
      targets: [],
      counts,
    };
  }

  /** The job's executions in `status` (every one without), as IoT orders them. */
  private executionsOf(jobId: string, status: string | undefined, counted = true): JobExecutionSummary[] {
    if (counted) this.check('list');
    const all = this.executions.get(jobId);
    if (!all) throw new NotFoundError(`Job ${jobId} cannot be found.`, jobId);
    return structuredClone(all.filter((e) => status === undefined || e.status === status));
  }

  async listExecutionsPage(
    jobId: string,
    options: { status?: string; nextToken?: string } = {},
  ): Promise<JobExecutionPage> {
    const matching = this.executionsOf(jobId, options.status);
    const from = Number(options.nextToken ?? 0);
    const next = from + this.pageSize;
    return {
      executions: matching.slice(from, next),
      ...(next < matching.length && { nextToken: String(next) }),
    };
  }

  /** Every execution of a job (in `status`): a job created here and never given executions has none. */
  async listExecutions(jobId: string, status?: string): Promise<JobExecutionSummary[]> {
    this.check('listExecutions');
    if (!this.executions.has(jobId) && this.jobs.has(jobId)) return [];
    return this.executionsOf(jobId, status, false);
  }

  async cancel(jobId: string, why?: { reasonCode?: string; force?: boolean }): Promise<boolean> {
    this.check('cancel');
    this.cancels.push({ jobId, force: why?.force === true });
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`Job ${jobId} cannot be found.`, jobId);
    if (job.status !== 'IN_PROGRESS') return false;
    this.jobs.set(jobId, {
      ...job,
      status: 'CANCELED',
      ...(why?.reasonCode !== undefined && { reasonCode: why.reasonCode }),
    });
    return true;
  }
}

/** Static thing groups in memory. */
class FakeThingGroups implements ThingGroups {
  readonly groups = new Map<string, Set<string>>();
  /** Things the registry no longer has: adding one is ResourceNotFound. */
  readonly deleted = new Set<string>();
  adds = 0;
  failAddsAfter: number | undefined;
  /** Groups deleted, in order (a missing group too: IoT answers it as a success). */
  readonly deletedGroups: string[] = [];
  /** Set to make DeleteThingGroup fail with it. */
  failDeletes: Error | undefined;

  async thingExists(thing: string): Promise<boolean> {
    return !this.deleted.has(thing);
  }

  constructor(initial: Record<string, string[]> = {}) {
    for (const [name, things] of Object.entries(initial)) this.groups.set(name, new Set(things));
  }

  /** Each group's description, as `ensure` gave it (a group made by the test has none). */
  readonly descriptions = new Map<string, string>();

  async describe(name: string): Promise<{ description?: string } | undefined> {
    if (!this.groups.has(name)) return undefined;
    const description = this.descriptions.get(name);
    return description === undefined ? {} : { description };
  }

  async ensure(name: string, description?: string): Promise<void> {
    if (!this.groups.has(name) && description !== undefined) this.descriptions.set(name, description);
    if (!this.groups.has(name)) this.groups.set(name, new Set());
  }

  async listThings(name: string): Promise<string[]> {
    const group = this.groups.get(name);
    if (!group) throw new NotFoundError(`Thing Group ${name} cannot be found.`, name);
    return [...group];
  }

  async addThing(name: string, thing: string): Promise<void> {
    if (this.failAddsAfter !== undefined && this.adds >= this.failAddsAfter) {
      throw new ConflictError('injected');
    }
    if (this.deleted.has(thing)) throw new NotFoundError(`Thing ${thing} cannot be found.`, thing);
    this.adds++;
    this.groups.get(name)?.add(thing);
  }

  async delete(name: string): Promise<void> {
    if (this.failDeletes) throw this.failDeletes;
    this.deletedGroups.push(name);
    this.groups.delete(name);
  }
}

class RecordingNotifier implements Notifier {
  readonly events: AnyNotificationEvent[] = [];
  async publish(event: AnyNotificationEvent): Promise<void> {
    this.events.push(event);
  }
  /** `Wave Started 1`, `Release Succeeded`, ... */
  get types(): string[] {
    return this.events.map((e) => {
      const wave = (e.detail as { waveNumber?: number }).waveNumber;
      return wave === undefined ? e.detailType : `${e.detailType} ${wave}`;
    });
  }
}

/** SendTaskSuccess of a task to itself (a gate that finds its approval): records what it sent. */
class RecordingWaker implements WaveWaker {
  readonly wakes: { taskToken: string; output: object }[] = [];
  async wake(taskToken: string, output: object): Promise<'delivered'> {
    this.wakes.push({ taskToken, output });
    return 'delivered';
  }
}

/** StartExecution of other releases (a rollback): records the ids started. */
class RecordingExecutions {
  readonly started: string[] = [];
  async start(releaseId: string): Promise<{ started: boolean; executionArn: string }> {
    this.started.push(releaseId);
    return {
      started: true,
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:release:${releaseId}`,
    };
  }
}

export interface FakeWorkflow extends WorkflowDeps {
  store: MemoryReleaseStore;
  jobs: FakeWaveJobs;
  groups: FakeThingGroups;
  notifier: RecordingNotifier;
  waker: RecordingWaker;
  executions: RecordingExecutions;
}

/** Fresh fakes; the template `fw-2-0` exists. */
export function fakeWorkflow(groups: Record<string, string[]> = {}): FakeWorkflow {
  return {
    store: new MemoryReleaseStore(() => NOW),
    jobs: new FakeWaveJobs(),
    groups: new FakeThingGroups(groups),
    templates: {
      resolve: async (id) => {
        if (id !== 'fw-2-0') throw new NotFoundError(`The job template ${id} does not exist.`, id);
        return { jobTemplateArn: TEMPLATE_ARN };
      },
    },
    notifier: new RecordingNotifier(),
    waker: new RecordingWaker(),
    executions: new RecordingExecutions(),
  };
}

/**
 * Seeds `request` as release `r1` and runs StartRelease, PrepareWave and
 * StartWave at `now`: its first wave has its job. Returns the state after StartWave.
 */
export async function firstWaveStarted(
  deps: FakeWorkflow,
  request: Omit<ReleaseRequestInput, 'releaseId' | 'jobTemplateId'>,
  now = NOW,
): Promise<WorkflowState> {
  await deps.store.seed({ releaseId: 'r1', jobTemplateId: 'fw-2-0', ...request });
  const started = await startRelease(deps, { state: { releaseId: 'r1' }, now });
  const prepared = await prepareWave(deps, { state: started, now });
  return startWave(deps, { state: prepared, now });
}
