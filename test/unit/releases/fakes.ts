/**
 * In-memory fakes of what the release use cases call: a release store with
 * the repository's rules (conditional, versioned, one write per call), Step
 * Functions executions with StartExecution's idempotency, wave jobs and job
 * templates. Each can be told to fail its next calls (throttling, outages)
 * and to run a hook before a call (to interleave a concurrent request).
 */
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import {
  type HistoryEvent,
  pendingWave,
  type Release,
  type ReleaseWithWaves,
  type TaskTokenPurpose,
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
  PageRequest,
  ReleaseStore,
  ReleaseTransition,
  TakenTaskToken,
  TerminalWaveStatus,
  WaveStart,
  WaveTransition,
} from '../../../lib/domain/release-store.js';
import {
  isTerminalWaveStatus,
  type ReleaseStatus,
  releaseStatusesLeadingTo,
  type WaveStatus,
  waveStatusesLeadingTo,
} from '../../../lib/domain/statuses.js';
import type { Instant } from '../../../lib/domain/wave-evaluation.js';
import type {
  ExecutionStart,
  JobTemplateLookup,
  ReleaseExecutions,
  ReleaseJobCanceller,
  RequestMeta,
  SendOutcome,
  StopOutcome,
} from '../../../lib/releases/ports.js';

/** 2026-03-01T10:00:00Z */
export const T0 = Date.UTC(2026, 2, 1, 10);

/** Planned failures and hooks, by operation name. */
export class Faults<Op extends string> {
  private readonly failures = new Map<Op, Error[]>();
  private readonly hooks = new Map<Op, (() => Promise<void> | void)[]>();
  readonly calls: Op[] = [];

  /** The next `times` calls of `op` throw `error`. */
  fail(op: Op, error: Error, times = 1): void {
    this.failures.set(op, [...(this.failures.get(op) ?? []), ...Array.from({ length: times }, () => error)]);
  }

  /** Runs `hook` once, at the start of the next call of `op` (before it reads anything). */
  before(op: Op, hook: () => Promise<void> | void): void {
    this.hooks.set(op, [...(this.hooks.get(op) ?? []), hook]);
  }

  async enter(op: Op): Promise<void> {
    this.calls.push(op);
    // Yield, so concurrent callers interleave between operations as they would over the network.
    await Promise.resolve();
    const hook = this.hooks.get(op)?.shift();
    if (hook) await hook();
    const failure = this.failures.get(op)?.shift();
    if (failure) throw failure;
  }

  count(op: Op): number {
    return this.calls.filter((c) => c === op).length;
  }
}

type StoreOp = keyof ReleaseStore;
type WaveItem = WaveState & { taskToken?: string };

/** A {@link ReleaseStore} in memory. */
export class FakeReleaseStore implements ReleaseStore {
  readonly faults = new Faults<StoreOp>();
  readonly releases = new Map<string, Release>();
  readonly waveItems = new Map<string, WaveItem>();
  readonly history: HistoryEvent[] = [];
  private seq = 0;

  constructor(private readonly now: () => number = () => T0) {}

  private iso(at?: Instant): string {
    return new Date(
      at === undefined ? this.now() : typeof at === 'string' ? Date.parse(at) : Number(at),
    ).toISOString();
  }

  private event(event: Omit<HistoryEvent, 'seq'>): void {
    this.history.push({ ...event, seq: String(++this.seq).padStart(8, '0') });
  }

  private requireRelease(releaseId: string): Release {
    const release = this.releases.get(releaseId);
    if (!release) throw new NotFoundError(`Release ${releaseId} does not exist.`, releaseId);
    return release;
  }

  private wave(releaseId: string, waveNumber: number): WaveItem {
    return this.waveItems.get(`${releaseId}#${waveNumber}`) ?? pendingWave(releaseId, waveNumber);
  }

  private public(item: WaveItem): WaveState {
    const { taskToken: _t, ...state } = item;
    return state;
  }

  /** Stores a release directly in `status` (with waves in the given statuses): test set-up. */
  seed(input: ReleaseRequestInput, status: ReleaseStatus, waves: Partial<WaveItem>[] = []): Release {
    const request = parseReleaseRequest(input);
    const at = this.iso();
    const release: Release = {
      ...request,
      status,
      version: 1,
      requestHash: releaseRequestHash(request),
      createdAt: at,
      updatedAt: at,
    };
    this.releases.set(release.releaseId, release);
    waves.forEach((w, i) => {
      const waveNumber = i + 1;
      this.waveItems.set(`${release.releaseId}#${waveNumber}`, {
        ...pendingWave(release.releaseId, waveNumber),
        version: 1,
        ...w,
      });
    });
    return release;
  }

  async createRelease(request: ReleaseRequest): Promise<Changed<Release>> {
    await this.faults.enter('createRelease');
    const hash = releaseRequestHash(request);
    const existing = this.releases.get(request.releaseId);
    if (existing) {
      if (existing.requestHash !== hash)
        throw new ConflictError('exists with another request', request.releaseId);
      return { value: existing, changed: false };
    }
    const at = this.iso();
    const release: Release = {
      ...request,
      status: 'PENDING',
      version: 1,
      requestHash: hash,
      createdAt: at,
      updatedAt: at,
    };
    this.releases.set(release.releaseId, release);
    this.event({ releaseId: release.releaseId, type: 'RELEASE_CREATED', at, to: 'PENDING' });
    return { value: release, changed: true };
  }

  async getRelease(releaseId: string): Promise<ReleaseWithWaves> {
    await this.faults.enter('getRelease');
    const release = this.requireRelease(releaseId);
    return { release, waves: release.waves.map((_, i) => this.public(this.wave(releaseId, i + 1))) };
  }

  async getWave(releaseId: string, waveNumber: number): Promise<WaveState> {
    await this.faults.enter('getWave');
    return this.public(this.wave(releaseId, waveNumber));
  }

  private page<T>(all: T[], request: PageRequest, fallback: number, max: number): Page<T> {
    const limit = request.limit ?? fallback;
    if (limit < 1 || limit > max)
      throw new ValidationError('bad limit', [{ path: 'limit', message: 'out of range' }]);
    const start = request.nextToken ? Number(Buffer.from(request.nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(start))
      throw new ValidationError('bad token', [{ path: 'nextToken', message: 'bad' }]);
    const items = all.slice(start, start + limit);
    const next =
      start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
    return { items, ...(next && { nextToken: next }) };
  }

  async listReleases(request: PageRequest & { status?: ReleaseStatus } = {}): Promise<Page<Release>> {
    await this.faults.enter('listReleases');
    const all = [...this.releases.values()]
      .filter((r) => !request.status || r.status === request.status)
      .sort((a, b) => `${b.createdAt}#${b.releaseId}`.localeCompare(`${a.createdAt}#${a.releaseId}`));
    return this.page(all, request, 25, 100);
  }

  async listHistory(releaseId: string, request: PageRequest = {}): Promise<Page<HistoryEvent>> {
    await this.faults.enter('listHistory');
    this.requireRelease(releaseId);
    return this.page(
      this.history.filter((e) => e.releaseId === releaseId),
      request,
      100,
      500,
    );
  }

  async transitionRelease(releaseId: string, t: ReleaseTransition): Promise<Changed<Release>> {
    await this.faults.enter('transitionRelease');
    const current = this.requireRelease(releaseId);
    if (current.status === t.to) return { value: current, changed: false };
    const from = t.from ?? releaseStatusesLeadingTo(t.to);
    if (!from.includes(current.status)) {
      throw new ConflictError(
        `Release ${releaseId} is ${current.status}; it cannot move to ${t.to}.`,
        releaseId,
      );
    }
    const at = this.iso(t.at);
    const next: Release = {
      ...current,
      status: t.to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusReason: t.reason,
      currentWave: t.currentWave ?? current.currentWave,
      executionArn: t.executionArn ?? current.executionArn,
    };
    this.releases.set(releaseId, next);
    this.event({
      releaseId,
      type: 'RELEASE_STATUS_CHANGED',
      at,
      from: current.status,
      to: t.to,
      reason: t.reason,
    });
    return { value: next, changed: true };
  }

  async startWave(releaseId: string, waveNumber: number, start: WaveStart): Promise<Changed<WaveState>> {
    await this.faults.enter('startWave');
    const current = this.wave(releaseId, waveNumber);
    if (current.status !== 'PENDING') {
      if (current.jobId === start.jobId) return { value: this.public(current), changed: false };
      throw new ConflictError(`Wave ${waveNumber} is ${current.status}`, releaseId);
    }
    return this.writeWave(
      current,
      'IN_PROGRESS',
      { jobId: start.jobId, startedAt: this.iso(start.at) },
      start.at,
    );
  }

  async recordWaveProgress(): Promise<Changed<WaveState>> {
    throw new Error('not used by the API');
  }

  private writeWave(
    current: WaveItem,
    to: WaveStatus,
    extra: Partial<WaveItem>,
    atInput?: Instant,
    reason?: string,
  ) {
    const at = this.iso(atInput);
    const next: WaveItem = {
      ...current,
      ...extra,
      status: to,
      previousStatus: current.status,
      version: current.version + 1,
      updatedAt: at,
      statusChangedAt: at,
      ...(reason !== undefined && { reason }),
    };
    if (isTerminalWaveStatus(to)) {
      next.finishedAt = at;
      delete next.taskToken;
      delete next.waitingFor;
      delete next.waitingSince;
    }
    this.waveItems.set(`${current.releaseId}#${current.waveNumber}`, next);
    this.event({
      releaseId: current.releaseId,
      type: 'WAVE_STATUS_CHANGED',
      at,
      waveNumber: current.waveNumber,
      from: current.status,
      to,
      reason,
      jobId: next.jobId,
    });
    return { value: this.public(next), changed: true };
  }

  async transitionWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    t: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.faults.enter('transitionWave');
    return this.moveWave(releaseId, waveNumber, to, t);
  }

  private moveWave(
    releaseId: string,
    waveNumber: number,
    to: WaveStatus,
    t: WaveTransition,
  ): Changed<WaveState> {
    const current = this.wave(releaseId, waveNumber);
    if (current.status === to) return { value: this.public(current), changed: false };
    if (!(t.from ?? waveStatusesLeadingTo(to)).includes(current.status)) {
      throw new ConflictError(`Wave ${waveNumber} is ${current.status}; it cannot move to ${to}.`, releaseId);
    }
    return this.writeWave(current, to, {}, t.at, t.reason);
  }

  async finishWave(
    releaseId: string,
    waveNumber: number,
    to: TerminalWaveStatus,
    t: WaveTransition = {},
  ): Promise<Changed<WaveState>> {
    await this.faults.enter('finishWave');
    return this.moveWave(releaseId, waveNumber, to, t);
  }

  async markRemainingWavesCanceled(
    releaseId: string,
    t: Omit<WaveTransition, 'from'> = {},
  ): Promise<number[]> {
    await this.faults.enter('markRemainingWavesCanceled');
    const release = this.requireRelease(releaseId);
    const canceled: number[] = [];
    release.waves.forEach((_, i) => {
      if (this.wave(releaseId, i + 1).status === 'PENDING') {
        this.moveWave(releaseId, i + 1, 'CANCELED', { ...t, from: ['PENDING'] });
        canceled.push(i + 1);
      }
    });
    return canceled;
  }

  async storeTaskToken(
    releaseId: string,
    waveNumber: number,
    token: { token: string; purpose: TaskTokenPurpose; at?: Instant },
  ): Promise<WaveState> {
    await this.faults.enter('storeTaskToken');
    const current = this.wave(releaseId, waveNumber);
    const next: WaveItem = {
      ...current,
      version: current.version + 1,
      taskToken: token.token,
      waitingFor: token.purpose,
      waitingSince: this.iso(token.at),
    };
    this.waveItems.set(`${releaseId}#${waveNumber}`, next);
    return this.public(next);
  }

  async takeTaskToken(
    releaseId: string,
    waveNumber: number,
    purpose?: TaskTokenPurpose,
  ): Promise<TakenTaskToken | undefined> {
    await this.faults.enter('takeTaskToken');
    const current = this.wave(releaseId, waveNumber);
    const { taskToken, waitingFor, waitingSince } = current;
    if (!taskToken || !waitingFor || !waitingSince) return undefined;
    if (purpose !== undefined && waitingFor !== purpose) return undefined;
    const { taskToken: _t, waitingFor: _w, waitingSince: _s, ...rest } = current;
    this.waveItems.set(`${releaseId}#${waveNumber}`, { ...rest, version: current.version + 1 });
    return { token: taskToken, purpose: waitingFor, storedAt: waitingSince };
  }

  /** The stored task token of a wave (test inspection). */
  tokenOf(releaseId: string, waveNumber: number): string | undefined {
    return this.wave(releaseId, waveNumber).taskToken;
  }
}

type ExecutionOp = 'start' | 'stop' | 'sendTaskSuccess' | 'sendTaskFailure';

/** Step Functions executions in memory, one per name, with the service's idempotency rules. */
export class FakeExecutions implements ReleaseExecutions {
  readonly faults = new Faults<ExecutionOp>();
  readonly executions = new Map<string, { status: 'RUNNING' | 'SUCCEEDED' | 'ABORTED'; input: string }>();
  readonly successes: { token: string; output: object }[] = [];
  readonly failures: { token: string; error: string; cause: string }[] = [];
  readonly stops: { releaseId: string; error: string; cause: string }[] = [];
  /** Tokens whose task still waits. */
  readonly openTokens = new Set<string>();

  executionArn(releaseId: string): string {
    return `arn:aws:states:us-east-1:123456789012:execution:fleetwave-release:${releaseId}`;
  }

  async start(releaseId: string): Promise<ExecutionStart> {
    await this.faults.enter('start');
    const input = JSON.stringify({ releaseId });
    const existing = this.executions.get(releaseId);
    if (existing && !(existing.status === 'RUNNING' && existing.input === input)) {
      return { executionArn: this.executionArn(releaseId), started: false };
    }
    if (!existing) this.executions.set(releaseId, { status: 'RUNNING', input });
    return { executionArn: this.executionArn(releaseId), started: true };
  }

  async stop(releaseId: string, why: { error: string; cause: string }): Promise<StopOutcome> {
    await this.faults.enter('stop');
    const execution = this.executions.get(releaseId);
    if (!execution) return 'not-started';
    if (execution.status === 'RUNNING') {
      execution.status = 'ABORTED';
      this.stops.push({ releaseId, ...why });
    }
    return 'stopped';
  }

  async sendTaskSuccess(token: string, output: object): Promise<SendOutcome> {
    await this.faults.enter('sendTaskSuccess');
    if (!this.openTokens.delete(token)) return 'task-gone';
    this.successes.push({ token, output });
    return 'delivered';
  }

  async sendTaskFailure(token: string, why: { error: string; cause: string }): Promise<SendOutcome> {
    await this.faults.enter('sendTaskFailure');
    if (!this.openTokens.delete(token)) return 'task-gone';
    this.failures.push({ token, ...why });
    return 'delivered';
  }
}

/** IoT jobs in memory: the jobs that exist and whether they ended. */
export class FakeJobs implements ReleaseJobCanceller {
  readonly faults = new Faults<'cancel'>();
  readonly jobs = new Map<string, 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED'>();
  readonly cancels: { jobId: string; reasonCode: string; comment: string; force?: boolean }[] = [];

  async cancel(
    jobId: string,
    why: { reasonCode: string; comment: string; force?: boolean },
  ): Promise<boolean> {
    await this.faults.enter('cancel');
    const status = this.jobs.get(jobId);
    if (!status) throw new NotFoundError(`Job ${jobId} does not exist.`, jobId);
    this.cancels.push({ jobId, ...why });
    if (status !== 'IN_PROGRESS') return false;
    this.jobs.set(jobId, 'CANCELED');
    return true;
  }
}

/** Job templates in memory. */
export class FakeTemplates implements JobTemplateLookup {
  readonly faults = new Faults<'describe'>();
  constructor(readonly ids = new Set<string>(['fw-2-4'])) {}

  async describe(jobTemplateId: string) {
    await this.faults.enter('describe');
    if (!this.ids.has(jobTemplateId)) throw new NotFoundError(`Job template ${jobTemplateId} does not exist`);
    return {
      jobTemplateId,
      jobTemplateArn: `arn:aws:iot:us-east-1:123456789012:jobtemplate/${jobTemplateId}`,
    };
  }
}

/** One of each fake, sharing a clock. */
export function fakes(now: () => number = () => T0) {
  return {
    store: new FakeReleaseStore(now),
    executions: new FakeExecutions(),
    jobs: new FakeJobs(),
    templates: new FakeTemplates(),
  };
}

export const meta = (actor?: string): RequestMeta => ({ now: () => T0 + 60_000, ...(actor && { actor }) });

/** A valid request: 3 waves of 10 → 50 → 100 % of one thing group; wave 1 waits for approval. */
export function releaseBody(overrides: Record<string, unknown> = {}) {
  return {
    jobTemplateId: 'fw-2-4',
    targets: { thingGroups: ['doors'] },
    waves: [{ percentage: 10, requireApproval: true }, { percentage: 50 }, { percentage: 100 }],
    ...overrides,
  };
}

/** A release waiting at the approval gate after wave 1 (`token-1` stored, its task open); waves 2 and 3 PENDING. */
export function waitingRelease(releaseId = 'r-gate') {
  const deps = fakes();
  deps.store.seed({ ...releaseBody(), releaseId }, 'WAITING_APPROVAL', [
    {
      status: 'SUCCEEDED',
      jobId: `${releaseId}-w01`,
      taskToken: 'token-1',
      waitingFor: 'APPROVAL',
      waitingSince: '2026-03-01T10:00:00.000Z',
    },
  ]);
  deps.executions.executions.set(releaseId, { status: 'RUNNING', input: JSON.stringify({ releaseId }) });
  deps.executions.openTokens.add('token-1');
  return deps;
}
