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
 * reject it. StartRelease reads both from the table: the input is the same.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { type ResumePoint, resumePoint } from '../../lib/domain/resume-point.js';
import type { ReleaseStatus, WaveStatus } from '../../lib/domain/statuses.js';

/** What happened to one release that was not finished. */
export interface ReconciledRelease {
  readonly releaseId: string;
  readonly status: string;
  readonly outcome: 'resumed' | 'running' | 'not-resumed';
  /** Where a resumed release picks up (what StartRelease does with it). */
  readonly resumesAt?: ResumePoint;
  /** Why a release was not resumed. */
  readonly reason?: string;
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
  /** Wave items. */
  waveNumber?: number;
}

const resumable = new Set(['PENDING', 'IN_PROGRESS', 'WAITING_APPROVAL']);
const finished = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

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

/**
 * Starts a new execution for every release that is not finished and has
 * none; returns what it did for each unfinished release. A table of a few
 * thousand releases is one paged scan: this runs once, at start.
 */
export async function reconcileReleases(options: ReconcileOptions): Promise<ReconciledRelease[]> {
  const { dynamodb, sfn, tableName, stateMachineArn } = options;
  const items: StoredItem[] = [];
  const client = DynamoDBDocumentClient.from(dynamodb);
  for await (const page of paginateScan({ client }, { TableName: tableName })) {
    for (const item of page.Items ?? []) items.push(item as StoredItem);
  }
  const releases = items.filter(
    (i) => i.sk === 'RELEASE' && i.releaseId && i.status && !finished.has(i.status),
  );
  const waves = new Map<string, { waveNumber: number; status: WaveStatus }[]>();
  for (const { sk, releaseId, waveNumber, status } of items) {
    if (!sk.startsWith('WAVE#') || !releaseId || waveNumber === undefined || !status) continue;
    const list = waves.get(releaseId) ?? [];
    list.push({ waveNumber, status: status as WaveStatus });
    waves.set(releaseId, list);
  }
  const results: ReconciledRelease[] = [];
  for (const { releaseId, status, currentWave, waves: definitions = [] } of releases as (StoredItem & {
    releaseId: string;
    status: string;
  })[]) {
    const executionArn = executionArnOf(stateMachineArn, releaseId);
    if (await hasExecution(sfn, executionArn)) {
      results.push({ releaseId, status, outcome: 'running' });
    } else if (!resumable.has(status)) {
      results.push({
        releaseId,
        status,
        outcome: 'not-resumed',
        reason: `it was ${status} when the stack stopped; it stays as it is`,
      });
    } else {
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: releaseId, input: JSON.stringify({ releaseId }) }),
      );
      // A wave that never started has no item yet: it is PENDING.
      const recorded = waves.get(releaseId) ?? [];
      const all = definitions.map(
        (_, i) =>
          recorded.find((w) => w.waveNumber === i + 1) ?? { waveNumber: i + 1, status: 'PENDING' as const },
      );
      const resumesAt = resumePoint({ status: status as ReleaseStatus, currentWave }, all);
      results.push({ releaseId, status, outcome: 'resumed', resumesAt });
    }
  }
  return results;
}
