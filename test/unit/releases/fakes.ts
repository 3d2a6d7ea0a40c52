/**
 * In-memory fakes of what the release use cases call: a release store with
 * the repository's rules (conditional, versioned, one write per call), Step
 * Functions executions with StartExecution's idempotency, wave jobs and job
 * templates. Each can be told to fail its next calls (throttling, outages)
 * and to run a hook before a call (to interleave a concurrent request).
 */
import { NotFoundError } from '../../../lib/domain/errors.js';
import type { TargetKind } from '../../../lib/domain/release-targets.js';
import type {
  ExecutionStart,
  JobTemplateLookup,
  ReleaseExecutions,
  ReleaseJobCanceller,
  RequestMeta,
  SendOutcome,
  StopOutcome,
  TargetRegistry,
} from '../../../lib/releases/ports.js';
import {
  MemoryReleaseStore,
  type ReleaseStoreOperation,
  type StoredWave,
} from '../../support/memory-release-store.js';

/** 2026-03-01T10:00:00Z */
const T0 = Date.UTC(2026, 2, 1, 10);

/** Planned failures and hooks, by operation name. */
class Faults<Op extends string> {
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

/**
 * The shared in-memory {@link ReleaseStore} whose calls go through {@link Faults}:
 * each can be made to fail or to run a hook first (a concurrent request).
 */
class FakeReleaseStore extends MemoryReleaseStore {
  readonly faults = new Faults<ReleaseStoreOperation>();

  /** The stored waves, by `<releaseId>#<waveNumber>` (test inspection). */
  get waveItems(): Map<string, StoredWave> {
    return this.waves;
  }

  protected override enter(op: ReleaseStoreOperation): Promise<void> {
    return this.faults.enter(op);
  }
}

type ExecutionOp = 'start' | 'stop' | 'isRunning' | 'sendTaskSuccess' | 'sendTaskFailure';

/** Step Functions executions in memory, one per name, with the service's idempotency rules. */
class FakeExecutions implements ReleaseExecutions {
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

  async isRunning(releaseId: string): Promise<boolean> {
    await this.faults.enter('isRunning');
    return this.executions.get(releaseId)?.status === 'RUNNING';
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
class FakeJobs implements ReleaseJobCanceller {
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
class FakeTemplates implements JobTemplateLookup {
  readonly faults = new Faults<'describe'>();
  /** Maintenance windows a template has, by id (none unless set). */
  readonly windows = new Map<string, { startTime: string; durationInMinutes: number }[]>();
  constructor(readonly ids = new Set<string>(['fw-2-4'])) {}

  async describe(jobTemplateId: string) {
    await this.faults.enter('describe');
    if (!this.ids.has(jobTemplateId)) throw new NotFoundError(`Job template ${jobTemplateId} does not exist`);
    const maintenanceWindows = this.windows.get(jobTemplateId);
    return {
      jobTemplateId,
      jobTemplateArn: `arn:aws:iot:us-east-1:123456789012:jobtemplate/${jobTemplateId}`,
      ...(maintenanceWindows && { maintenanceWindows }),
    };
  }
}

/** The IoT registry in memory: the thing groups and things that exist (every name asked is recorded). */
class FakeRegistry implements TargetRegistry {
  readonly faults = new Faults<'exists'>();
  readonly asked: string[] = [];
  constructor(
    readonly thingGroups = new Set<string>(['doors', 'fleet']),
    readonly things = new Set<string>(['door-1', 'door-2']),
  ) {}

  async exists(kind: TargetKind, name: string): Promise<boolean> {
    this.asked.push(`${kind}:${name}`);
    await this.faults.enter('exists');
    return (kind === 'thingGroup' ? this.thingGroups : this.things).has(name);
  }
}

/** Thing groups deleted (DeleteThingGroup), in order; `failWith` makes every deletion fail. */
class FakeGroupDeleter {
  readonly deleted: string[] = [];
  failWith: Error | undefined;
  /** Each group as the release that named it made it (`fleetwave release <id>: …`). */
  async describe(thingGroupName: string): Promise<{ description?: string }> {
    const releaseId = /^fleetwave-(.+?)-(w\d\d(-r\d+)?|targets)$/.exec(thingGroupName)?.[1] ?? '';
    return { description: `fleetwave release ${releaseId}: its things` };
  }
  async delete(thingGroupName: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.deleted.push(thingGroupName);
  }
}

/** One of each fake, sharing a clock. */
export function fakes(now: () => number = () => T0) {
  return {
    store: new FakeReleaseStore(now),
    executions: new FakeExecutions(),
    jobs: new FakeJobs(),
    templates: new FakeTemplates(),
    registry: new FakeRegistry(),
    groups: new FakeGroupDeleter(),
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
export function waitingRelease(releaseId = 'r-gate', overrides: Record<string, unknown> = {}) {
  const deps = fakes();
  deps.store.seed({ ...releaseBody(overrides), releaseId }, 'WAITING_APPROVAL', [
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
