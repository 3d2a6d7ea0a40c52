/**
 * The promises a crash must not break, each checked on the end state of a
 * crash run and reported under its own name with every breach it found.
 */
import { assignCohorts } from '../../../lib/domain/cohorts.js';
import type { JournalEntry } from './action-journal.js';
import type { HistoryEvent } from './crash-api.js';
import type { ReleaseState } from './final-state.js';

/** The outcome of one invariant over every release of a run. */
export interface InvariantResult {
  readonly invariant: string;
  /** How many things it looked at (releases, jobs, events, answers). */
  readonly checked: number;
  /** One line per breach; empty when the invariant holds. */
  readonly failures: readonly string[];
}

/** The invariants' names, as reports and test failures print them. */
export const invariantNames = {
  terminal: '1 terminal status as expected',
  oneJobPerWave: '2 one IoT job per started wave',
  cohorts: '3 percentage cohorts disjoint and exact',
  history: '4 history complete and ordered',
  answers: '5 every answer true to the state',
  stranded: '6 no stranded execution',
  log: '7 no unhandled error in the log',
} as const;

const waveLabel = (n: number) => `w${String(n).padStart(2, '0')}`;

/** 1: every release ended in the status its shape must end in. */
export function checkTerminalStatus(states: readonly ReleaseState[]): InvariantResult {
  const failures = states.flatMap(({ shape, view }) => {
    const status = view?.release.status ?? 'unreadable';
    return status === shape.expected
      ? []
      : [
          `${shape.releaseId} (${shape.name}) is ${status}, expected ${shape.expected}` +
            ` (${view?.release.statusReason ?? 'no reason'}; waves ${view?.waves.map((w) => w.status).join(', ')})`,
        ];
  });
  return { invariant: invariantNames.terminal, checked: states.length, failures };
}

/** 2: each wave that started has exactly its one job `<releaseId>-w<nn>`; no other job carries the release's id. */
export function checkOneJobPerWave(states: readonly ReleaseState[]): InvariantResult {
  const failures: string[] = [];
  let checked = 0;
  for (const { shape, view, listedJobIds } of states) {
    const id = shape.releaseId;
    const started = (view?.waves ?? []).filter((w) => w.jobId !== undefined || w.startedAt !== undefined);
    const expected = started.map((w) => `${id}-${waveLabel(w.waveNumber)}`);
    for (const wave of started) {
      checked++;
      const jobId = `${id}-${waveLabel(wave.waveNumber)}`;
      const count = listedJobIds.filter((j) => j === jobId).length;
      if (count !== 1)
        failures.push(`${id} wave ${wave.waveNumber} started, and ListJobs lists ${count} job(s) ${jobId}`);
      if (wave.jobId !== jobId)
        failures.push(`${id} wave ${wave.waveNumber} records job ${wave.jobId}, not ${jobId}`);
    }
    for (const jobId of new Set(listedJobIds)) {
      if (!expected.includes(jobId))
        failures.push(`${id}: job ${jobId} exists, but no wave of the release started it`);
    }
  }
  return { invariant: invariantNames.oneJobPerWave, checked, failures };
}

/**
 * 3: the things of each started percentage wave's job are that wave's cohort,
 * no thing is in two waves' jobs, and once every percentage wave started
 * their jobs together cover the release fleet.
 */
export function checkCohorts(states: readonly ReleaseState[]): InvariantResult {
  const failures: string[] = [];
  let checked = 0;
  for (const { shape, view, jobs, fleet } of states) {
    if (fleet === undefined || view === undefined) continue;
    const id = shape.releaseId;
    const definitions = (shape.request.waves as { percentage?: number }[]) ?? [];
    const cohorts = assignCohorts(id, fleet, definitions);
    const waveOf = new Map<string, number>();
    let everyWaveStarted = true;
    for (const [waveNumber, cohort] of cohorts) {
      const job = jobs.find((j) => j.jobId === `${id}-${waveLabel(waveNumber)}`);
      if (job === undefined) {
        everyWaveStarted = false;
        continue;
      }
      checked++;
      const things = [...new Set(job.executions.map((e) => e.thingName))].sort();
      if (things.length !== job.executions.length)
        failures.push(`${job.jobId} has ${job.executions.length - things.length} repeated execution(s)`);
      const missing = cohort.filter((t) => !things.includes(t));
      const extra = things.filter((t) => !cohort.includes(t));
      if (missing.length > 0 || extra.length > 0)
        failures.push(
          `${job.jobId} is not wave ${waveNumber}'s cohort of ${cohort.length}: missing ${missing.slice(0, 5).join(' ')}` +
            `${missing.length > 5 ? ` (+${missing.length - 5})` : ''}, extra ${extra.slice(0, 5).join(' ')}`,
        );
      for (const thing of things) {
        const other = waveOf.get(thing);
        if (other !== undefined)
          failures.push(`${id}: ${thing} is in the jobs of waves ${other} and ${waveNumber}`);
        waveOf.set(thing, waveNumber);
      }
    }
    if (everyWaveStarted && cohorts.size > 0) {
      const uncovered = fleet.filter((t) => !waveOf.has(t));
      if (uncovered.length > 0)
        failures.push(
          `${id}: ${uncovered.length} thing(s) of the fleet in no wave's job, e.g. ${uncovered[0]}`,
        );
    }
  }
  return { invariant: invariantNames.cohorts, checked, failures };
}

/** The breaches of one status chain (a release's, or one wave's). */
function chainBreaches(subject: string, events: readonly HistoryEvent[], stored: string): string[] {
  const breaches: string[] = [];
  let at = 'PENDING';
  const seen = new Set<string>();
  for (const event of events) {
    if (event.from !== at)
      breaches.push(
        `${subject}: ${event.from} → ${event.to} at ${event.at} follows ${at}: a step is missing`,
      );
    const key = `${event.from} → ${event.to}${event.reason ? ` "${event.reason}"` : ''}`;
    if (seen.has(key)) breaches.push(`${subject}: ${key} recorded twice`);
    seen.add(key);
    at = event.to ?? at;
  }
  if (at !== stored) breaches.push(`${subject}: history ends at ${at}, the record says ${stored}`);
  return breaches;
}

/**
 * 4: the release's and each wave's status changes form one chain from PENDING
 * to the stored status, in time order, no transition recorded twice.
 */
export function checkHistory(states: readonly ReleaseState[]): InvariantResult {
  const failures: string[] = [];
  let checked = 0;
  for (const { shape, view, history } of states) {
    if (view === undefined) continue;
    const id = shape.releaseId;
    checked += history.length;
    for (let i = 1; i < history.length; i++) {
      if ((history[i]?.at ?? '') < (history[i - 1]?.at ?? ''))
        failures.push(
          `${id}: event ${i} (${history[i]?.type} at ${history[i]?.at}) is earlier than the one before`,
        );
    }
    if (history[0]?.type !== 'RELEASE_CREATED')
      failures.push(`${id}: history does not start with RELEASE_CREATED`);
    const releaseChanges = history.filter((e) => e.type === 'RELEASE_STATUS_CHANGED');
    failures.push(...chainBreaches(`${id} release`, releaseChanges, view.release.status));
    for (const wave of view.waves) {
      const changes = history.filter(
        (e) => e.type === 'WAVE_STATUS_CHANGED' && e.waveNumber === wave.waveNumber,
      );
      failures.push(...chainBreaches(`${id} wave ${wave.waveNumber}`, changes, wave.status));
    }
  }
  return { invariant: invariantNames.history, checked, failures };
}

/** The wave number an approval event names (`Approved after wave N: …`). */
const approvedWave = (reason: string | undefined) =>
  Number(/after wave (\d+)/.exec(reason ?? '')?.[1] ?? Number.NaN);

/**
 * 5: an action answered 2xx shows in the history exactly once and in the end
 * state; one answered 4xx changed nothing; one with no answer (the process
 * died under it) or a retryable 429/5xx left at most one event.
 */
export function checkAnswers(
  states: readonly ReleaseState[],
  journal: readonly JournalEntry[],
): InvariantResult {
  const failures: string[] = [];
  for (const entry of journal) {
    const state = states.find((s) => s.shape.releaseId === entry.releaseId);
    if (state?.view === undefined) continue;
    const { view, history } = state;
    const what = `${entry.action} "${entry.comment}" of ${entry.releaseId} (life ${entry.life}${entry.firstAfterStart ? ', first request after the start' : ''})`;
    const events = history.filter(
      (e) => e.type === 'RELEASE_STATUS_CHANGED' && e.reason?.includes(entry.comment),
    );
    const described = events.map((e) => `${e.from} → ${e.to} "${e.reason}"`).join('; ');
    if (entry.status >= 200 && entry.status < 300) {
      if (events.length !== 1)
        failures.push(
          `${what} answered ${entry.status}, and the history holds ${events.length} event(s) of it`,
        );
      if ((entry.action === 'cancel' || entry.action === 'reject') && view.release.status !== 'CANCELED')
        failures.push(`${what} answered ${entry.status}, and the release is ${view.release.status}`);
      if (entry.action === 'approve') {
        const wave = approvedWave(events[0]?.reason);
        const next = view.waves[wave];
        const movedOn =
          next === undefined ? view.release.status === 'SUCCEEDED' : next.startedAt !== undefined;
        if (!movedOn)
          failures.push(`${what} answered ${entry.status}, and the release never went past wave ${wave}`);
        const index = history.indexOf(events[0] as HistoryEvent);
        const reopened = history
          .slice(index + 1)
          .filter((e) => e.to === 'WAITING_APPROVAL' && e.reason?.startsWith(`Wave ${wave} succeeded`));
        if (reopened.length > 0)
          failures.push(
            `${what} answered ${entry.status}, and the gate after wave ${wave} opened again: "${reopened[0]?.reason}"`,
          );
      }
    } else if (entry.status >= 400 && entry.status < 500 && entry.status !== 429) {
      if (events.length > 0)
        failures.push(
          `${what} answered ${entry.status} (${entry.answer}), yet the history records ${described}`,
        );
    } else if (events.length > 1) {
      failures.push(
        `${what} got ${entry.status || 'no answer'}, and the history records it ${events.length} times: ${described}`,
      );
    }
  }
  return { invariant: invariantNames.answers, checked: journal.length, failures };
}

/** 6: no execution of any of the releases' jobs is still QUEUED or IN_PROGRESS, by its counters or its listing. */
export function checkNoStrandedExecution(
  states: readonly ReleaseState[],
  waitedMinutes: number,
): InvariantResult {
  const failures: string[] = [];
  let checked = 0;
  for (const { jobs } of states) {
    for (const job of jobs) {
      checked++;
      const open = job.executions.filter((e) => e.status === 'IN_PROGRESS' || e.status === 'QUEUED');
      const counted = (job.counters.numberOfInProgressThings ?? 0) + (job.counters.numberOfQueuedThings ?? 0);
      if (open.length > 0 || counted > 0)
        failures.push(
          `${job.jobId} (${job.status}), ${waitedMinutes} virtual minutes after the end: ${open.length} execution(s) open ` +
            `(${open
              .slice(0, 4)
              .map((e) => `${e.thingName} ${e.status}`)
              .join(', ')}${open.length > 4 ? ', …' : ''}); ` +
            `DescribeJob counts ${job.counters.numberOfInProgressThings ?? 0} IN_PROGRESS, ${job.counters.numberOfQueuedThings ?? 0} QUEUED`,
        );
    }
  }
  return { invariant: invariantNames.stranded, checked, failures };
}
