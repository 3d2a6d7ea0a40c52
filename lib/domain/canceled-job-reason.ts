/**
 * Why a wave's job ended CANCELED before the wave finished, said on the
 * basis the decision was made on. IoT's abort criteria judge failures among
 * the things EXECUTED so far, from the `minNumberOfExecutedThings`-th on,
 * not among the wave's things: one failure in the first 10 executed is 10 %
 * to IoT, and 0.04 % of a 2,505-thing wave. A reason that gave only the
 * wave's share ("1 of 2505 things (0.04 %)") beside a 10 % threshold would
 * read as a contradiction.
 */
import type { AbortConfig } from './iot-job-settings.js';
import { type JobProcessCounts, percentOf, reachesShare, type WaveProgress } from './wave-progress.js';

type AbortCriterion = AbortConfig['criteriaList'][number];

/** What IoT said when the job was canceled (DescribeJob's `reasonCode` and `comment`), when it said anything. */
export interface JobCancelNote {
  reasonCode?: string | undefined;
  comment?: string | undefined;
}

export interface CanceledJobInput {
  /** CANCELED or DELETION_IN_PROGRESS. */
  jobStatus: string;
  counts: JobProcessCounts;
  progress: WaveProgress;
  /** The abort criteria the wave's job was created with (`buildWaveJobOverrides`). */
  criteria: readonly AbortCriterion[];
  note?: JobCancelNote | undefined;
}

function failuresOf(counts: JobProcessCounts, type: AbortCriterion['failureType']): number {
  switch (type) {
    case 'FAILED':
      return counts.numberOfFailedThings;
    case 'REJECTED':
      return counts.numberOfRejectedThings;
    case 'TIMED_OUT':
      return counts.numberOfTimedOutThings;
    default:
      return counts.numberOfFailedThings + counts.numberOfRejectedThings + counts.numberOfTimedOutThings;
  }
}

const kinds: Record<AbortCriterion['failureType'], string> = {
  ALL: 'failed, rejected or timed out',
  FAILED: 'failed',
  REJECTED: 'rejected',
  TIMED_OUT: 'timed out',
};

/** The criterion the counters meet now, judged as IoT judges it (among executed things). */
function criterionMet(criteria: readonly AbortCriterion[], counts: JobProcessCounts, executed: number) {
  return criteria.find(
    (c) =>
      executed > 0 &&
      executed >= c.minNumberOfExecutedThings &&
      reachesShare(failuresOf(counts, c.failureType), executed, c.thresholdPercentage),
  );
}

/** ` IoT's note: <reasonCode>: <comment>`, or nothing when IoT said nothing. */
function iotSaid(note: JobCancelNote | undefined): string {
  const said = [note?.reasonCode, note?.comment].filter((s): s is string => !!s).join(': ');
  return said ? ` IoT's note: ${said}` : '';
}

const things = (n: number) => `${n} ${n === 1 ? 'thing' : 'things'}`;

/** The reason of a wave whose job was canceled or deleted before the wave finished. */
export function canceledJobReason(input: CanceledJobInput): string {
  const { counts, progress, criteria, note } = input;
  const { executed, failed, total } = progress;
  const neverRan = Math.max(0, total - executed - progress.pending);
  const figures =
    `${failed} of the ${executed} things executed had failed, rejected or timed out (${percentOf(failed, executed)}%)` +
    `; ${neverRan} of the wave's ${total} things never ran.`;
  const met = criterionMet(criteria, counts, executed);
  const saysAbort = /abort/i.test(`${note?.reasonCode ?? ''} ${note?.comment ?? ''}`);
  if (input.jobStatus === 'CANCELED' && (met || saysAbort)) {
    const basis = met ?? criteria[0];
    const rule = basis
      ? `IoT cancels it once ${basis.thresholdPercentage}% of the things executed so far ${kinds[basis.failureType]}, judged as soon as ${things(basis.minNumberOfExecutedThings)} had executed, whatever the wave's size`
      : 'IoT cancels it when its abort criteria are met';
    return `IoT's abort criteria canceled the job: ${rule}. ${figures}${iotSaid(note)}`;
  }
  return `The IoT job is ${input.jobStatus} before the wave finished (canceled outside fleetwave). ${figures}${iotSaid(note)}`;
}
