/**
 * Resumes releases after a restart of the local stack with `--data-dir`.
 * DynamoDB kept every release, but the Step Functions emulator keeps its
 * executions in memory: a release that was under way has no execution any
 * more. For each such release a new execution starts, under the same name
 * (the release id) and with the same input the API gives; StartRelease
 * finds the release already IN_PROGRESS and sends the machine to the first
 * wave that has not succeeded. That wave's PrepareWave finds its record and
 * fills its cohort group again, and StartWave's deterministic job id adopts
 * the wave's job if IoT still has it (restored from the snapshot) or
 * creates it once if not: never a second job for a wave.
 *
 * A wave that was BAKING bakes for what is left of its bake time (from when
 * it began) and is checked, without its job being run again; a release
 * WAITING_APPROVAL enters its approval gate again, so the API can approve or
 * reject it; a PAUSED release is held again, so the API can resume it (a
 * resume recorded meanwhile lets the new hold go on at once). StartRelease
 * reads all three from the table: the input is the same.
 *
 * A release CANCELED while a wave of it was still running (the stop came
 * between the cancel and its cleanup) gets an execution too: StartRelease
 * sends it down the cancel path, which cancels the wave's job and records
 * the wave CANCELED. Before any of this, the history events a writer that
 * was stopped left out are written again from the records (`repairHistory`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { ReleaseRepository } from '../../lib/adapters/release-repository.js';
import { type ResumePoint, resumePoint } from '../../lib/domain/resume-point.js';
import type { ReleaseStatus, WaveStatus } from '../../lib/domain/statuses.js';

/** What happened to one release that was not finished. */
export interface ReconciledRelease {
  readonly releaseId: string;
  readonly status: string;
  /** `cleanup`: canceled with a wave still running; the cancel's cleanup goes on. */
  readonly outcome: 'resumed' | 'running' | 'not-resumed' | 'cleanup';
  /** Where a resumed release picks up (what StartRelease does with it). */
  readonly resumesAt?: ResumePoint;
  /** Why a release was not resumed. */
  readonly reason?: string;
}

/** What the restart did about the releases it found. */
export interface Reconciled {
  /** Every release that was not finished (or whose cancel was not). */
  readonly releases: ReconciledRelease[];
  /** History events a stopped writer had left out, written again from the records. */
  readonly historyEventsRepaired: number;
}

export interface ReconcileOptions {
  dynamodb: DynamoDBClient;
  sfn: SFNClient;
  tableName: string;
  stateMachineArn: string;
}

interface StoredItem {
  pk: string;
  sk: string;
  status?: string;
  releaseId?: string;
  /** Release items. */
  currentWave?: number;
  /** Release items: the wave definitions (only their number counts here). */
  waves?: unknown[];
  /** Release items: a retry's or rollback's target set (only whether it was gathered counts here). */
  targetSet?: { gatheredAt?: string };
  /** Wave items. */
  waveNumber?: number;
  /** Wave items: when the gate after the wave was approved. */
  approvedAt?: string;
}

// A SCHEDULED release's new execution records it SCHEDULED again and waits for its start time.
const resumable = new Set(['PENDING', 'SCHEDULED', 'IN_PROGRESS', 'WAITING_APPROVAL', 'PAUSED']);
const finished = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
const running = new Set<string>(['IN_PROGRESS', 'BAKING']);

function executionArnOf(stateMachineArn: string, releaseId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${releaseId}`;
}

async function hasExecution(sfn: SFNClient, executionArn: string): Promise<boolean> {
  try {
    await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}

/** A new execution for the release, under its id and with the input the API gives. */
async function startExecution(sfn: SFNClient, stateMachineArn: string, releaseId: string): Promise<void> {
  await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: releaseId, input: JSON.stringify({ releaseId }) }),
  );
}

/**
 * Starts a new execution for every release that is not finished and has
 * none; returns what it did for each unfinished release. A table of a few
 * thousand releases is one paged scan: this runs once, at start.
 */
export async function reconcileReleases(options: ReconcileOptions): Promise<Reconciled> {
  const { dynamodb, sfn, tableName, stateMachineArn } = options;
  const items: StoredItem[] = [];
  const client = DynamoDBDocumentClient.from(dynamodb);
  for await (const page of paginateScan({ client }, { TableName: tableName })) {
    for (const item of page.Items ?? []) items.push(item as StoredItem);
  }
  const waves = new Map<string, { waveNumber: number; status: WaveStatus; approvedAt?: string }[]>();
  for (const { sk, releaseId, waveNumber, status, approvedAt } of items) {
    if (!sk.startsWith('WAVE#') || !releaseId || waveNumber === undefined || !status) continue;
    const list = waves.get(releaseId) ?? [];
    list.push({ waveNumber, status: status as WaveStatus, ...(approvedAt !== undefined && { approvedAt }) });
    waves.set(releaseId, list);
  }
  const cleanupCutShort = (i: StoredItem) =>
    i.status === 'CANCELED' && (waves.get(i.releaseId ?? '') ?? []).some((w) => running.has(w.status));
  const releases = items.filter(
    (i) => i.sk === 'RELEASE' && i.releaseId && i.status && (!finished.has(i.status) || cleanupCutShort(i)),
  );
  // First the history, so a resumed execution's next change finds it complete.
  const repository = new ReleaseRepository(client, { tableName });
  let historyEventsRepaired = 0;
  for (const { sk, releaseId } of items) {
    if (sk === 'RELEASE' && releaseId) historyEventsRepaired += await repository.repairHistory(releaseId);
  }
  const results: ReconciledRelease[] = [];
  for (const {
    releaseId,
    status,
    currentWave,
    targetSet,
    waves: definitions = [],
  } of releases as (StoredItem & {
    releaseId: string;
    status: string;
  })[]) {
    const executionArn = executionArnOf(stateMachineArn, releaseId);
    if (await hasExecution(sfn, executionArn)) {
      results.push({ releaseId, status, outcome: 'running' });
    } else if (status === 'CANCELED') {
      await startExecution(sfn, stateMachineArn, releaseId);
      results.push({ releaseId, status, outcome: 'cleanup' });
    } else if (!resumable.has(status)) {
      results.push({
        releaseId,
        status,
        outcome: 'not-resumed',
        reason: `it was ${status} when the stack stopped; it stays as it is`,
      });
    } else {
      await startExecution(sfn, stateMachineArn, releaseId);
      if (status === 'SCHEDULED') {
        results.push({ releaseId, status, outcome: 'resumed' });
        continue;
      }
      // A wave that never started has no item yet: it is PENDING.
      const recorded = waves.get(releaseId) ?? [];
      const all = definitions.map(
        (_, i) =>
          recorded.find((w) => w.waveNumber === i + 1) ?? { waveNumber: i + 1, status: 'PENDING' as const },
      );
      const resumesAt = resumePoint(
        { status: status as ReleaseStatus, currentWave, waves: definitions, targetSet },
        all,
      );
      results.push({ releaseId, status, outcome: 'resumed', resumesAt });
    }
  }
  return { releases: results, historyEventsRepaired };
}
