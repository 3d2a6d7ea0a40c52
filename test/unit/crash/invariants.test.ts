/**
 * The crash test's invariants on hand-made end states: each one passes on a
 * consistent state and names the breach on the states the three crash
 * defects leave (an answer that lied, a lost history step, a stranded
 * execution), so a green crash run means the check ran, not that it could
 * not fail.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../support/crash/action-journal.js';
import type { HistoryEvent } from '../../support/crash/crash-api.js';
import type { ReleaseState } from '../../support/crash/final-state.js';
import {
  checkAnswers,
  checkCohorts,
  checkHistory,
  checkNoStrandedExecution,
  checkOneJobPerWave,
} from '../../support/crash/invariants.js';
import { faultLines } from '../../support/crash/log-faults.js';
import { releaseShapes } from '../../support/crash/release-shapes.js';

const [percentShape, , , approvalShape] = releaseShapes('t');
const created: HistoryEvent = { type: 'RELEASE_CREATED', at: '2026-01-01T00:00:00.000Z', to: 'PENDING' };
const release = (from: string, to: string, at: string, reason?: string): HistoryEvent => ({
  type: 'RELEASE_STATUS_CHANGED',
  at,
  from,
  to,
  ...(reason !== undefined && { reason }),
});
const wave = (waveNumber: number, from: string, to: string, at: string): HistoryEvent => ({
  type: 'WAVE_STATUS_CHANGED',
  at,
  waveNumber,
  from,
  to,
});

/** t-percent: 3 percentage waves of a 4-thing fleet; wave 1 done, wave 2 running. */
function percentState(history: HistoryEvent[]): ReleaseState {
  const shape = percentShape;
  if (shape === undefined) throw new Error('no percentage shape');
  return {
    shape,
    view: {
      release: { releaseId: shape.releaseId, status: 'IN_PROGRESS', currentWave: 2 },
      waves: [
        { waveNumber: 1, status: 'SUCCEEDED', jobId: 't-percent-w01', startedAt: 'x' },
        { waveNumber: 2, status: 'IN_PROGRESS', jobId: 't-percent-w02', startedAt: 'x' },
        { waveNumber: 3, status: 'PENDING' },
      ],
    },
    history,
    listedJobIds: ['t-percent-w01', 't-percent-w02'],
    jobs: [],
  };
}

const consistentHistory = [
  created,
  release('PENDING', 'IN_PROGRESS', '2026-01-01T00:01:00.000Z'),
  wave(1, 'PENDING', 'IN_PROGRESS', '2026-01-01T00:01:01.000Z'),
  wave(1, 'IN_PROGRESS', 'SUCCEEDED', '2026-01-01T00:05:00.000Z'),
  wave(2, 'PENDING', 'IN_PROGRESS', '2026-01-01T00:05:01.000Z'),
];

describe('crash invariants', () => {
  it('4 holds on a complete history and names the wave step a kill lost between two writes', () => {
    expect(checkHistory([percentState(consistentHistory)]).failures).toEqual([]);
    const lost = consistentHistory.filter((e) => !(e.waveNumber === 1 && e.to === 'SUCCEEDED'));
    expect(checkHistory([percentState(lost)]).failures).toEqual([
      't-percent wave 1: history ends at IN_PROGRESS, the record says SUCCEEDED',
    ]);
  });

  it('4 names a transition recorded twice and an event out of time order', () => {
    const twice = [...consistentHistory, wave(2, 'PENDING', 'IN_PROGRESS', '2026-01-01T00:04:00.000Z')];
    expect(checkHistory([percentState(twice)]).failures).toEqual([
      't-percent: event 5 (WAVE_STATUS_CHANGED at 2026-01-01T00:04:00.000Z) is earlier than the one before',
      't-percent wave 2: PENDING → IN_PROGRESS at 2026-01-01T00:04:00.000Z follows IN_PROGRESS: a step is missing',
      't-percent wave 2: PENDING → IN_PROGRESS recorded twice',
    ]);
  });

  it('5 names an approval answered 409 that the history nevertheless records', () => {
    const shape = approvalShape;
    if (shape === undefined) throw new Error('no approval shape');
    const approved = release(
      'WAITING_APPROVAL',
      'IN_PROGRESS',
      '2026-01-01T00:09:00.000Z',
      'Approved after wave 1: crash-approve-1',
    );
    const state: ReleaseState = {
      shape,
      view: {
        release: { releaseId: shape.releaseId, status: 'SUCCEEDED' },
        waves: [
          { waveNumber: 1, status: 'SUCCEEDED', startedAt: 'x' },
          { waveNumber: 2, status: 'SUCCEEDED', startedAt: 'x' },
        ],
      },
      history: [created, approved],
      listedJobIds: [],
      jobs: [],
    };
    const answer = (status: number, comment: string): JournalEntry => ({
      releaseId: shape.releaseId,
      action: 'approve',
      comment,
      status,
      answer: status === 409 ? 'ConflictError: closed' : '',
      life: 1,
      firstAfterStart: true,
    });
    expect(checkAnswers([state], [answer(200, 'crash-approve-1')]).failures).toEqual([]);
    expect(checkAnswers([state], [answer(409, 'crash-approve-1')]).failures).toEqual([
      `approve "crash-approve-1" of t-approval (life 1, first request after the start) answered 409 (ConflictError: closed), yet the history records WAITING_APPROVAL → IN_PROGRESS "Approved after wave 1: crash-approve-1"`,
    ]);
    expect(checkAnswers([state], [answer(200, 'crash-approve-2')]).failures).toHaveLength(1);
  });

  it('6 names an execution left IN_PROGRESS in an ended job', () => {
    const base = percentState(consistentHistory);
    const job = (status: string) => ({
      jobId: 't-percent-w01',
      status: 'CANCELED',
      counters: { numberOfInProgressThings: status === 'IN_PROGRESS' ? 1 : 0, numberOfQueuedThings: 0 },
      executions: [{ thingName: 'a', status }],
    });
    expect(checkNoStrandedExecution([{ ...base, jobs: [job('SUCCEEDED')] }], 120).failures).toEqual([]);
    expect(checkNoStrandedExecution([{ ...base, jobs: [job('IN_PROGRESS')] }], 120).failures).toEqual([
      't-percent-w01 (CANCELED), 120 virtual minutes after the end: 1 execution(s) open (a IN_PROGRESS); DescribeJob counts 1 IN_PROGRESS, 0 QUEUED',
    ]);
  });

  it('2 and 3 name a second job, a job of a wave that never started, and a thing in two waves', () => {
    const base = percentState(consistentHistory);
    const jobs = [
      {
        jobId: 't-percent-w01',
        status: 'COMPLETED',
        counters: {},
        executions: [{ thingName: 'a', status: 'SUCCEEDED' }],
      },
      {
        jobId: 't-percent-w02',
        status: 'IN_PROGRESS',
        counters: {},
        executions: [{ thingName: 'a', status: 'QUEUED' }],
      },
    ];
    const state: ReleaseState = {
      ...base,
      listedJobIds: [...base.listedJobIds, 't-percent-w01', 't-percent-w03'],
      jobs,
      fleet: ['a', 'b'],
    };
    expect(checkOneJobPerWave([state]).failures).toEqual([
      't-percent wave 1 started, and ListJobs lists 2 job(s) t-percent-w01',
      't-percent: job t-percent-w03 exists, but no wave of the release started it',
    ]);
    expect(checkCohorts([state]).failures).toContain('t-percent: a is in the jobs of waves 1 and 2');
  });

  it('7 takes a stack trace or an unhandled rejection for a fault, the banner and a stop for none', () => {
    const healthy =
      'fleetwave local stack ready\n  REST API      http://127.0.0.1:3000\nPress Ctrl-C to stop.\n\nSIGINT: stopping…\n';
    expect(faultLines(healthy)).toEqual([]);
    const faulty = `${healthy}Unhandled rejection: TypeError: x is undefined\n    at run (/w/local/a.ts:3:9)\n`;
    expect(faultLines(faulty)).toHaveLength(2);
  });
});
