import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ThrottledError, ValidationError } from '../../../lib/domain/errors.js';
import type { ReleaseStatus } from '../../../lib/domain/statuses.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { releaseIdForIdempotencyKey } from '../../../lib/releases/create-release.js';
import { type DeriveReleaseInput, deriveRelease } from '../../../lib/releases/derive-release.js';
import { fakes } from './fakes.js';

const ACTOR = 'arn:aws:iam::123456789012:user/release-engineer';

/** An original over `doors` in two waves: 3 failed and 1 timed out of wave 1, 40 succeeded in wave 2. */
function ended(status: ReleaseStatus = 'FAILED', counts = { failed: 3, timedOut: 1, succeeded: 40 }) {
  const deps = fakes();
  deps.templates.ids.add('fw-2-3');
  deps.store.seed(
    {
      releaseId: 'orig',
      jobTemplateId: 'fw-2-4',
      targets: { thingGroups: ['doors'] },
      waves: [{ percentage: 10 }, { percentage: 100 }],
    },
    status,
    [
      {
        status: 'SUCCEEDED',
        counts: {
          ...ZERO_COUNTS,
          numberOfFailedThings: counts.failed,
          numberOfTimedOutThings: counts.timedOut,
        },
      },
      { status: 'FAILED', counts: { ...ZERO_COUNTS, numberOfSucceededThings: counts.succeeded } },
    ],
  );
  return deps;
}

const retryInput = (overrides: Partial<DeriveReleaseInput> = {}): DeriveReleaseInput => ({
  now: Date.parse('2026-03-01T10:00:00Z'),
  originalId: 'orig',
  body: undefined,
  actor: ACTOR,
  ...overrides,
});

/** Everything the store and Step Functions hold, to show a refusal changed nothing. */
function snapshot(deps: ReturnType<typeof fakes>) {
  return {
    writes: deps.store.writes,
    releases: [...deps.store.releases.keys()],
    history: deps.store.history.length,
    executions: deps.executions.executions.size,
  };
}

describe('deriveRelease: retry', () => {
  it('stores a PENDING retry of the failed things, links both histories with the actor, starts it', async () => {
    const deps = ended();
    const { release, created } = await deriveRelease(
      deps,
      'retry',
      retryInput({ body: { releaseId: 'retry-1' } }),
    );
    expect(created).toBe(true);
    expect(release.release).toMatchObject({
      releaseId: 'retry-1',
      status: 'PENDING',
      jobTemplateId: 'fw-2-4',
      retryOf: 'orig',
      createdBy: ACTOR,
      targets: { thingGroups: ['fleetwave-retry-1-targets'] },
      targetSet: {
        sourceReleaseId: 'orig',
        statuses: ['FAILED', 'TIMED_OUT', 'REJECTED'],
        thingGroupName: 'fleetwave-retry-1-targets',
      },
    });
    expect(release.release).not.toHaveProperty('rollbackOf');
    expect(release.links.self).toBe('/releases/retry-1');
    expect(deps.executions.executions.get('retry-1')?.status).toBe('RUNNING');
    const created1 = deps.store.history.filter((e) => e.releaseId === 'retry-1');
    expect(created1).toMatchObject([{ type: 'RELEASE_CREATED', relatedReleaseId: 'orig', actor: ACTOR }]);
    const linked = deps.store.history.filter((e) => e.releaseId === 'orig');
    expect(linked).toEqual([
      expect.objectContaining({
        type: 'RELEASE_LINKED',
        relatedReleaseId: 'retry-1',
        actor: ACTOR,
        reason: 'Retried as release retry-1',
        at: release.release.createdAt,
      }),
    ]);
  });

  it('takes the waves and template given, as percentage waves of the set', async () => {
    const deps = ended();
    const { release } = await deriveRelease(
      deps,
      'retry',
      retryInput({
        body: {
          releaseId: 'retry-2',
          jobTemplateId: 'fw-2-3',
          waves: [{ percentage: 50 }, { percentage: 100 }],
        },
      }),
    );
    expect(release.release.jobTemplateId).toBe('fw-2-3');
    expect(release.release.waves.map((w) => w.percentage)).toEqual([50, 100]);
    expect(release.waves.map((w) => w.status)).toEqual(['PENDING', 'PENDING']);
  });

  it('names a call without key or releaseId <id>-retry: asking twice is one release, another body a 409', async () => {
    const deps = ended();
    const a = await deriveRelease(deps, 'retry', retryInput());
    const b = await deriveRelease(deps, 'retry', retryInput());
    expect(a.release.release.releaseId).toBe(`${a.release.release.retryOf}-retry`);
    expect(b).toMatchObject({
      created: false,
      release: { release: { releaseId: a.release.release.releaseId } },
    });
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_LINKED')).toHaveLength(1);
    expect(deps.executions.executions.size).toBe(1);
    const other = deriveRelease(
      deps,
      'retry',
      retryInput({ body: { waves: [{ percentage: 50 }, { percentage: 100 }] } }),
    );
    await expect(other).rejects.toThrow(
      /name another releaseId \(or an Idempotency-Key\) to make a second retry/,
    );
  });
});

describe('deriveRelease: rollback', () => {
  it('stores a rollback of the succeeded things with the template given, linked both ways', async () => {
    const deps = ended();
    const { release } = await deriveRelease(deps, 'rollback', {
      now: Date.parse('2026-03-01T10:00:00Z'),
      originalId: 'orig',
      body: { releaseId: 'rb-1', jobTemplateId: 'fw-2-3' },
      actor: ACTOR,
    });
    expect(release.release).toMatchObject({
      releaseId: 'rb-1',
      rollbackOf: 'orig',
      jobTemplateId: 'fw-2-3',
      targetSet: { statuses: ['SUCCEEDED'], thingGroupName: 'fleetwave-rb-1-targets' },
    });
    expect(deps.store.history.find((e) => e.releaseId === 'orig')).toMatchObject({
      type: 'RELEASE_LINKED',
      relatedReleaseId: 'rb-1',
      reason: 'Rolled back by release rb-1',
      actor: ACTOR,
    });
    expect(deps.executions.executions.has('rb-1')).toBe(true);
  });
});

describe('deriveRelease: refusals change nothing', () => {
  const refusals: [
    string,
    () => ReturnType<typeof fakes>,
    'retry' | 'rollback',
    DeriveReleaseInput,
    RegExp,
  ][] = [
    ['an unknown original', ended, 'retry', retryInput({ originalId: 'nope' }), /nope does not exist/],
    ...(['PENDING', 'IN_PROGRESS', 'WAITING_APPROVAL', 'PAUSED'] as const).map(
      (status): [string, () => ReturnType<typeof fakes>, 'retry', DeriveReleaseInput, RegExp] => [
        `an original ${status}`,
        () => ended(status),
        'retry',
        retryInput(),
        new RegExp(`is ${status}: it must have ended before a retry`),
      ],
    ),
    [
      'a retry where nothing failed',
      () => ended('SUCCEEDED', { failed: 0, timedOut: 0, succeeded: 40 }),
      'retry',
      retryInput(),
      /nothing to retry: its waves counted no execution that ended FAILED, TIMED_OUT, REJECTED, and none still running/,
    ],
    [
      'a rollback where nothing succeeded',
      () => ended('FAILED', { failed: 3, timedOut: 0, succeeded: 0 }),
      'rollback',
      retryInput({ body: { jobTemplateId: 'fw-2-3' } }),
      /nothing to roll back: its waves counted no execution that ended SUCCEEDED/,
    ],
    ['a rollback without a template', ended, 'rollback', retryInput(), /jobTemplateId/],
    ['an unknown template', ended, 'retry', retryInput({ body: { jobTemplateId: 'fw-9' } }), /jobTemplateId/],
    [
      'waves that name their own targets',
      ended,
      'retry',
      retryInput({ body: { waves: [{ targets: { thingGroups: ['doors'] } }] } }),
      /waves\.0\.targets/,
    ],
    [
      'waves that do not end at 100 %',
      ended,
      'retry',
      retryInput({ body: { waves: [{ percentage: 50 }] } }),
      /invalid/i,
    ],
  ];

  it.each(refusals)('refuses %s', async (_, setUp, kind, input, message) => {
    const deps = setUp();
    const before = snapshot(deps);
    await expect(deriveRelease(deps, kind, input)).rejects.toThrow(message);
    expect(snapshot(deps)).toEqual(before);
  });

  it('answers each refusal with the error the HTTP layer maps to its status', async () => {
    await expect(deriveRelease(ended(), 'retry', retryInput({ originalId: 'nope' }))).rejects.toThrow(
      NotFoundError,
    );
    await expect(deriveRelease(ended('PAUSED'), 'retry', retryInput())).rejects.toThrow(ConflictError);
    const none = ended('SUCCEEDED', { failed: 0, timedOut: 0, succeeded: 5 });
    await expect(deriveRelease(none, 'retry', retryInput())).rejects.toThrow(ConflictError);
    const unknownTemplate = deriveRelease(ended(), 'retry', retryInput({ body: { jobTemplateId: 'fw-9' } }));
    await expect(unknownTemplate).rejects.toThrow(ValidationError);
    await expect(unknownTemplate).rejects.toMatchObject({
      details: [{ path: 'jobTemplateId', message: 'names no job template (fw-9 does not exist)' }],
    });
  });

  it('stores nothing when IoT throttles the template look-up', async () => {
    const deps = ended();
    deps.templates.faults.fail('describe', new ThrottledError('IoT is throttling', 3));
    const before = snapshot(deps);
    await expect(deriveRelease(deps, 'retry', retryInput())).rejects.toMatchObject({
      name: 'ThrottledError',
      retryAfterSeconds: 3,
    });
    expect(snapshot(deps)).toEqual(before);
  });
});

describe('deriveRelease: idempotency', () => {
  it('answers the same key and body with the same release: one release, one link, one execution', async () => {
    const deps = ended();
    const first = await deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-1' }));
    const again = await deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-1' }));
    expect(first.release.release.releaseId).toBe(releaseIdForIdempotencyKey('k-1'));
    expect(again.created).toBe(false);
    expect(again.release.release.releaseId).toBe(first.release.release.releaseId);
    expect(deps.store.releases.size).toBe(2);
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_LINKED')).toHaveLength(1);
    expect(deps.executions.executions.size).toBe(1);
    // One IoT call (DescribeJobTemplate) for the first; a repeat asks IoT nothing.
    expect(deps.templates.faults.count('describe')).toBe(1);
  });

  it('refuses the same key with another body, another original or another kind', async () => {
    const deps = ended();
    deps.store.seed(
      { releaseId: 'orig-2', jobTemplateId: 'fw-2-4', waves: [{ targets: { things: ['door-1'] } }] },
      'FAILED',
      [{ status: 'FAILED', counts: { ...ZERO_COUNTS, numberOfFailedThings: 1, numberOfSucceededThings: 1 } }],
    );
    await deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-2' }));
    const before = snapshot(deps);
    const others: [Parameters<typeof deriveRelease>[1], DeriveReleaseInput][] = [
      ['retry', retryInput({ idempotencyKey: 'k-2', body: { jobTemplateId: 'fw-2-3' } })],
      ['retry', retryInput({ idempotencyKey: 'k-2', originalId: 'orig-2' })],
      ['rollback', retryInput({ idempotencyKey: 'k-2', body: { jobTemplateId: 'fw-2-4' } })],
    ];
    for (const [kind, input] of others) {
      const refused = deriveRelease(deps, kind, input);
      await expect(refused).rejects.toThrow(ConflictError);
      await expect(refused).rejects.toThrow(/this Idempotency-Key was used for another body/);
    }
    expect(snapshot(deps)).toEqual(before);
  });

  it('refuses a releaseId that names a release made otherwise', async () => {
    const deps = ended();
    const refused = deriveRelease(deps, 'retry', retryInput({ body: { releaseId: 'orig' } }));
    await expect(refused).rejects.toThrow(/this releaseId was used for another body/);
  });

  it('completes a retry whose link failed: the same request links and starts it', async () => {
    const deps = ended();
    deps.store.faults.fail('linkRelease', new ThrottledError('DynamoDB is throttling'));
    await expect(deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-3' }))).rejects.toThrow(
      ThrottledError,
    );
    const id = releaseIdForIdempotencyKey('k-3');
    expect(deps.store.releases.get(id)?.status).toBe('PENDING');
    expect(deps.executions.executions.size).toBe(0);
    // The template is gone by now: a repeat does not need it.
    deps.templates.ids.clear();
    const again = await deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-3' }));
    expect(again.release.release.releaseId).toBe(id);
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_LINKED')).toMatchObject([
      { releaseId: 'orig', relatedReleaseId: id },
    ]);
    expect(deps.executions.executions.get(id)?.status).toBe('RUNNING');
  });

  it('completes a retry whose execution failed to start: linked once, started by the repeat', async () => {
    const deps = ended();
    deps.executions.faults.fail('start', new ThrottledError('Step Functions is throttling', 2));
    await expect(deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-4' }))).rejects.toThrow(
      ThrottledError,
    );
    const id = releaseIdForIdempotencyKey('k-4');
    expect(deps.executions.executions.has(id)).toBe(false);
    await deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-4' }));
    expect(deps.executions.executions.get(id)?.status).toBe('RUNNING');
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_LINKED')).toHaveLength(1);
  });

  it('makes one release of concurrent duplicates: one link, one execution, both answered with it', async () => {
    const deps = ended();
    const [a, b] = await Promise.all([
      deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-5' })),
      deriveRelease(deps, 'retry', retryInput({ idempotencyKey: 'k-5' })),
    ]);
    expect(a.release.release.releaseId).toBe(b.release.release.releaseId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(deps.store.releases.size).toBe(2);
    expect(deps.store.history.filter((e) => e.type === 'RELEASE_LINKED')).toHaveLength(1);
    expect(deps.executions.executions.size).toBe(1);
  });
});
