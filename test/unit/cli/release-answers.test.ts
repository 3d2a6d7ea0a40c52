import { describe, expect, it } from 'vitest';
import { readReleaseView } from '../../../cli/api/release-answers.js';
import { UnexpectedAnswerError } from '../../../cli/errors.js';

const answer = (body: unknown) => ({ status: 200, headers: new Headers(), body });

const release = {
  releaseId: 'rel-1',
  status: 'IN_PROGRESS',
  jobTemplateId: 'fw',
  currentWave: 1,
  waves: [
    { targets: { things: ['lab-1', 'lab-2'] }, requireApproval: true },
    { percentage: 50 },
    { percentage: 100 },
  ],
};

describe('reading GET /releases/{id}', () => {
  it('summarises each wave: failures of every kind, running, total from the expected size', () => {
    const view = readReleaseView(
      answer({
        release,
        waves: [
          {
            waveNumber: 1,
            status: 'SUCCEEDED',
            jobId: 'rel-1-w01',
            expectedThings: 2,
            counts: { numberOfSucceededThings: 2 },
          },
          {
            waveNumber: 2,
            status: 'IN_PROGRESS',
            jobId: 'rel-1-w02',
            expectedThings: 40,
            counts: {
              numberOfSucceededThings: 10,
              numberOfFailedThings: 1,
              numberOfRejectedThings: 1,
              numberOfTimedOutThings: 1,
              numberOfQueuedThings: 5,
              numberOfInProgressThings: 2,
            },
          },
          { waveNumber: 3, status: 'PENDING' },
        ],
        links: { self: '/releases/rel-1' },
      }),
    );
    expect(view.waves.map((w) => [w.scope, w.total, w.succeeded, w.failed, w.inProgress])).toEqual([
      ['lab-1,lab-2', 2, 2, 0, 0],
      ['50%', 40, 10, 3, 7],
      ['100%', 0, 0, 0, 0],
    ]);
    expect(view.waves[0]?.requireApproval).toBe(true);
  });

  it('takes the current wave from the last wave that started, whatever currentWave says', () => {
    const view = readReleaseView(
      answer({
        release,
        waves: [
          { waveNumber: 1, status: 'SUCCEEDED', jobId: 'rel-1-w01' },
          { waveNumber: 2, status: 'IN_PROGRESS', jobId: 'rel-1-w02' },
          { waveNumber: 3, status: 'PENDING' },
        ],
      }),
    );
    expect(view.currentWave).toBe(2);
  });

  it('shows waves the answer leaves out as PENDING', () => {
    const view = readReleaseView(answer({ release, waves: [] }));
    expect(view.waves.map((w) => w.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(view.currentWave).toBe(1);
  });

  it('refuses an answer without the release status, naming the field', () => {
    expect(() => readReleaseView(answer({ release: { releaseId: 'rel-1' }, waves: [] }))).toThrow(
      UnexpectedAnswerError,
    );
    expect(() => readReleaseView(answer({ items: [] }))).toThrow(/at release/);
  });

  it('reads what a retry or rollback was made from, and how many things it gathered', () => {
    const read = (extra: Record<string, unknown>) =>
      readReleaseView(answer({ release: { ...release, ...extra }, waves: [] })).madeFrom;
    expect(read({ retryOf: 'rel-0', targetSet: { thingGroupName: 'g', things: 7 } })).toEqual({
      kind: 'retry',
      releaseId: 'rel-0',
      things: 7,
    });
    expect(read({ rollbackOf: 'rel-0' })).toEqual({ kind: 'rollback', releaseId: 'rel-0' });
    expect(read({})).toBeUndefined();
  });
});
