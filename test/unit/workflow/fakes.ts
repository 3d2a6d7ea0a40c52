/**
 * In-memory fakes of the workflow's ports, for unit tests of the wave
 * tasks: a release store that applies the domain's transition tables the
 * way the DynamoDB repository does (retries are `changed: false`, a
 * forbidden move is a ConflictError), IoT jobs and thing groups that can be
 * told to fail, and a notifier that records what it was given.
 */
import { ConflictError, NotFoundError, type ThrottledError } from '../../../lib/domain/errors.js';
import type { AnyNotificationEvent } from '../../../lib/domain/notifications.js';
import {
  type HistoryEvent,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type WaveState,
} from '../../../lib/domain/release.js';
import {
  parseReleaseRequest,
  type ReleaseRequest,
  type ReleaseRequestInput,
  releaseRequestHash,
} from '../../../lib/domain/release-request.js';
import type {
  Changed,
  Page,
  ReleaseStore,
  ReleaseTransition,
  TakenTaskToken,
  TerminalWaveStatus,
  WaveObservation,
  WaveStart,
  WaveTransition,
} from '../../../lib/domain/release-store.js';
import {
  canTransition,
  isTerminalWaveStatus,
  releaseStatusesLeadingTo,
  releaseTransitions,
  type WaveStatus,
  waveStatusesLeadingTo,
  waveTransitions,
} from '../../../lib/domain/statuses.js';
import { type Instant, toEpochMs } from '../../../lib/domain/wave-evaluation.js';
import { countsEqual, type JobProcessCounts, ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import type {
  Notifier,
  ThingGroups,
  WaveJobRequest,
  WaveJobs,
  WaveJobView,
  WorkflowDeps,
} from '../../../lib/workflow/ports.js';

export const NOW = '2026-01-01T00:00:00.000Z';
export const TEMPLATE_ARN = 'arn:aws:iot:us-east-1:123456789012:jobtemplate/fw-2-0';

const iso = (at: Instant | undefined, fallback: string) =>
  at === undefined ? fallback : new Date(toEpochMs(at)).toISOString();

type StoredWave = WaveState & { taskToken?: string };

/** A {@link ReleaseStore} in memory, with the repository's rules. */
export class MemoryReleaseStore implements ReleaseStore {
  readonly releases = new Map<string, Release>();
  readonly waves = new Map<string, StoredWave>();
  readonly history: HistoryEvent[] = [];
  /** Writes made (not counting reads or unchanged retries). */
  writes = 0;
  private seq = 0;
  /** Runs once, at the start of the next release transition: a concurrent writer getting in first. */
  private interleaved: (() => void) | undefined;

  constructor(private readonly now = () => NOW) {}

  /** Makes `change` happen just before the next release transition reads the release. */
  interleave(change: () => void): void {
    this.interleaved = change;
  }

  private event(e: Omit<HistoryEvent, 'seq'>): void {
    this.history.push({ ...e, seq: String(++this.seq).padStart(6, '0') });
  }

  async createRelease(request: ReleaseRequest): Promise<Changed<Release>> {
    const existing = this.releases.get(request.releaseId);
    if (existing) return { value: existing, changed: false };
    const at = this.now();
    const release: Release = {
      ...request,
      status: 'PENDING',
      version: 1,
      requestHash: releaseRequestHash(request),
      createdAt: at,
      updatedAt: at,
    };
    this.releases.set(release.releaseId, release);
    this.writes++;
    this.event({ releaseId: release.releaseId, type: 'RELEASE_CREATED', at, to: 'PENDING' });
    return { value: release, changed: true };
  }

  /** Stores a release from a request, as the API does. */
  async seed(input: ReleaseRequestInput): Promise<Release> {
    return (await this.createRelease(parseReleaseRequest(input))).value;
  }

  async getRelease(releaseId: string): Promise<ReleaseWithWaves> {
    const release = this.releases.get(releaseId);
    if (!release) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    const waves = release.waves.map((_, i) => this.publicWave(releaseId, i + 1));
    return structuredClone({ release, waves });
  }

  async getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    return structuredClone(this.publicWave(releaseId, waveNumber));
  }

  async listReleases(): Promise<Page<Release>> {
    return { items: [...this.releases.values()] };
  }

  async listHistory(releaseId: string): Promise<Page<HistoryEvent>> {
    return { items: this.history.filter((e) => e.releaseId === releaseId) };
  }

  async transitionRelease(releaseId: string, transition: ReleaseTransition): Promise<Changed<Release>> {
    const change = this.interleaved;
    this.interleaved = undefined;
    change?.();
    const current = this.releases.get(releaseId);
    if (!current) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    if (current.status === transition.to) return { value: structuredClone(current), changed: false };
    const from = transition.from ?? releaseStatusesLeadingTo(transition.to);
    if (!from.includes(current.status) || !canTransition(releaseTransitions, current.status, transition.to)) {
      throw new ConflictError(
        `Release ${releaseId} is ${current.status}; it cannot move to ${transition.to}.`,
      );
    }
    const at = iso(transition.at, this.now());
    const next: Release = {
      ...current,
      status: transition.to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusReason: transition.reason,
      currentWave: transition.currentWave ?? current.currentWave,
      executionArn: transition.executionArn ?? current.executionArn,
    };
    this.releases.set(releaseId, next);
    this.writes++;
    this.event({
      releaseId,
      type: 'RELEASE_STATUS_CHANGED',
      at,
      from: current.status,
      to: next.status,
      reason: transition.reason,
    });
    return { value: structuredClone(next), changed: true };
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    const current = this.stored(releaseId, waveNumber);
    if (current.status !== 'PENDING') {
      if (current.jobId === start.jobId)
        return { value: this.publicWave(releaseId, waveNumber), changed: false };
      throw new ConflictError(`Wave ${waveNumber} is ${current.status} with job ${current.jobId}.`);
    }
    const at = iso(start.at, this.now());
    return this.put(
      {
        ...current,
        status: 'IN_PROGRESS',
        previousStatus: 'PENDING',
        version: current.version + 1,
        updatedAt: at,
        statusChangedAt: at,
        startedAt: at,
        jobId: start.jobId,
        ...(start.thingGroupName && { thingGroupName: start.thingGroupName }),
        ...(start.expectedThings !== undefined && { expectedThings: start.expectedThings }),
      },
      'status',
    );
  }

  async recordWaveProgress(
    releaseId: string,
    waveNumber: number,
    observation: WaveObservation,
  ): Promise<Changed<WaveState>> {
    const current = this.stored(releaseId, waveNumber);
    if (current.status !== 'IN_PROGRESS' && current.status !== 'BAKING') {
      throw new ConflictError(`Wave ${waveNumber} is ${current.status}, not running.`);
    }
    if (
      current.counts &&
      countsEqual(current.counts, observation.counts) &&
      current.jobStatus === observation.jobStatus
    ) {
      return { value: this.publicWave(releaseId, waveNumber), changed: false };
    }
    const at = iso(observation.polledAt, this.now());
    return this.put(
      {
        ...current,
        version: current.version + 1,
        counts: { ...observation.counts },
        jobStatus: observation.jobStatus,
        lastPolledAt: at,
        updatedAt: at,
      },
      'progress',
    );
  }

  async transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    transition: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    const current = this.stored(releaseId, waveNumber);
    if (current.status === to) return { value: this.publicWave(releaseId, waveNumber), changed: false };
    const from = transition.from ?? waveStatusesLeadingTo(to);
    if (!from.includes(current.status) || !canTransition(waveTransitions, current.status, to)) {
      throw new ConflictError(`Wave ${waveNumber} is ${current.status}; it cannot move to ${to}.`);
    }
    const at = iso(transition.at, this.now());
    const next: StoredWave = {
      ...current,
      status: to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusChangedAt: at,
      reason: transition.reason,
    };
    if (isTerminalWaveStatus(to)) {
      next.finishedAt = at;
      delete next.taskToken;
      delete next.waitingFor;
      delete next.waitingSince;
    }
    return this.put(next, 'status');
  }

  finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    transition?: WaveTransition,
  ): Promise<Changed<WaveState>> {
    return this.transitionWave(releaseId, waveNumber, to, transition);
  }

  async markRemainingWavesCanceled(
    releaseId: string,
    transition: Omit<WaveTransition, 'from'> = {},
  ): Promise<number[]> {
    const { waves } = await this.getRelease(releaseId);
    const canceled: number[] = [];
    for (const wave of waves.filter((w) => w.status === 'PENDING')) {
      await this.transitionWave(releaseId, wave.waveNumber, 'CANCELED', { ...transition, from: ['PENDING'] });
      canceled.push(wave.waveNumber);
    }
    return canceled;
  }

  async storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: 'APPROVAL' | 'WAIT'; at?: Instant },
  ): Promise<WaveState> {
    const current = this.stored(releaseId, waveNumber);
    const at = iso(token.at, this.now());
    return (
      await this.put({
        ...current,
        version: current.version + 1,
        taskToken: token.token,
        waitingFor: token.purpose,
        waitingSince: at,
      })
    ).value;
  }

  async takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: 'APPROVAL' | 'WAIT',
  ): Promise<TakenTaskToken | undefined> {
    const current = this.stored(releaseId, waveNumber);
    if (!current.taskToken || !current.waitingFor || !current.waitingSince) return undefined;
    if (purpose !== undefined && current.waitingFor !== purpose) return undefined;
    const taken = { token: current.taskToken, purpose: current.waitingFor, storedAt: current.waitingSince };
    const { taskToken: _t, waitingFor: _w, waitingSince: _s, ...rest } = current;
    await this.put({ ...rest, version: current.version + 1 });
    return taken;
  }

  /** The token a wave holds, as the API would take it. */
  tokenOf(releaseId: string, waveNumber: number): string | undefined {
    return this.stored(releaseId, waveNumber).taskToken;
  }

  private stored(releaseId: string, waveNumber: number): StoredWave {
    return structuredClone(
      this.waves.get(`${releaseId}#${waveNumber}`) ?? pendingWave(releaseId, waveNumber),
    );
  }

  private publicWave(releaseId: string, waveNumber: number): WaveState {
    const { taskToken: _secret, ...wave } = this.stored(releaseId, waveNumber);
    return wave;
  }

  private put(next: StoredWave, event?: 'status' | 'progress'): Changed<WaveState> {
    this.waves.set(`${next.releaseId}#${next.waveNumber}`, structuredClone(next));
    this.writes++;
    const base = {
      releaseId: next.releaseId,
      waveNumber: next.waveNumber,
      at: next.updatedAt ?? this.now(),
      jobId: next.jobId,
    };
    if (event === 'status') {
      this.event({
        ...base,
        type: 'WAVE_STATUS_CHANGED',
        from: next.previousStatus,
        to: next.status,
        reason: next.reason,
      });
    }
    if (event === 'progress') {
      this.event({ ...base, type: 'WAVE_PROGRESS', counts: next.counts, jobStatus: next.jobStatus });
    }
    return { value: this.publicWave(next.releaseId, next.waveNumber), changed: true };
  }
}

/** IoT jobs in memory; `failNext` makes the next calls of an operation throw. */
export class FakeWaveJobs implements WaveJobs {
  readonly jobs = new Map<string, WaveJobView>();
  readonly calls: string[] = [];
  private readonly failures: { op: 'create' | 'describe' | 'cancel'; error: Error }[] = [];

  failNext(op: 'create' | 'describe' | 'cancel', error: Error | ThrottledError, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ op, error });
  }

  /** Sets a job's status and counters, as devices and IoT would. */
  progress(jobId: string, change: { status?: string; counts?: Partial<JobProcessCounts> }): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    this.jobs.set(jobId, { ...job, ...change, counts: { ...job.counts, ...change.counts } });
  }

  private check(op: 'create' | 'describe' | 'cancel'): void {
    this.calls.push(op);
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) {
      const [failure] = this.failures.splice(i, 1);
      throw failure?.error;
    }
  }

  async create(request: WaveJobRequest): Promise<{ created: boolean; jobArn?: string }> {
    this.check('create');
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
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`Job ${jobId} cannot be found.`, jobId);
    return structuredClone(job);
  }

  async cancel(jobId: string): Promise<boolean> {
    this.check('cancel');
    const job = this.jobs.get(jobId);
    if (!job) throw new NotFoundError(`Job ${jobId} cannot be found.`, jobId);
    if (job.status !== 'IN_PROGRESS') return false;
    this.jobs.set(jobId, { ...job, status: 'CANCELED' });
    return true;
  }
}

/** Static thing groups in memory. */
export class FakeThingGroups implements ThingGroups {
  readonly groups = new Map<string, Set<string>>();
  adds = 0;
  failAddsAfter: number | undefined;

  constructor(initial: Record<string, string[]> = {}) {
    for (const [name, things] of Object.entries(initial)) this.groups.set(name, new Set(things));
  }

  async ensure(name: string): Promise<void> {
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
    this.adds++;
    this.groups.get(name)?.add(thing);
  }
}

export class RecordingNotifier implements Notifier {
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

export interface FakeWorkflow extends WorkflowDeps {
  store: MemoryReleaseStore;
  jobs: FakeWaveJobs;
  groups: FakeThingGroups;
  notifier: RecordingNotifier;
}

/** Fresh fakes; the template `fw-2-0` exists. */
export function fakeWorkflow(groups: Record<string, string[]> = {}): FakeWorkflow {
  return {
    store: new MemoryReleaseStore(),
    jobs: new FakeWaveJobs(),
    groups: new FakeThingGroups(groups),
    templates: {
      arnOf: async (id) => {
        if (id !== 'fw-2-0') throw new NotFoundError(`The job template ${id} does not exist.`, id);
        return TEMPLATE_ARN;
      },
    },
    notifier: new RecordingNotifier(),
  };
}
