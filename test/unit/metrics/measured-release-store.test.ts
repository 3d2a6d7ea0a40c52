/**
 * The release and wave metrics, counted by the store as it records each
 * change: once per change, however often a task runs again, including a
 * task retried after it failed half-way.
 */
import { describe, expect, it } from 'vitest';
import { ThrottledError } from '../../../lib/domain/errors.js';
import type { AnyNotificationEvent } from '../../../lib/domain/notifications.js';
import { parseReleaseRequest } from '../../../lib/domain/release-request.js';
import { ZERO_COUNTS } from '../../../lib/domain/wave-progress.js';
import { withInvocationMetrics } from '../../../lib/metrics/invocation-metrics.js';
import { measuredReleaseStore } from '../../../lib/metrics/measured-release-store.js';
import { cancelRelease } from '../../../lib/workflow/cancel-release.js';
import { failWave } from '../../../lib/workflow/fail-wave.js';
import { prepareWave } from '../../../lib/workflow/prepare-wave.js';
import { startRelease } from '../../../lib/workflow/start-release.js';
import { startWave } from '../../../lib/workflow/start-wave.js';
import { fakeWorkflow, NOW } from '../workflow/fakes.js';
import { capturedEmf } from './emf-lines.js';

const emf = capturedEmf();
const LATER = new Date(Date.parse(NOW) + 90_000).toISOString();

/** The fakes, with the store counting into the invocation's metrics; a two-wave release `r1` running its first wave. */
async function runningRelease() {
  const fakes = fakeWorkflow();
  const deps = { ...fakes, store: measuredReleaseStore(fakes.store) };
  fakes.store.seed({
    releaseId: 'r1',
    jobTemplateId: 'fw-2-0',
    waves: [{ targets: { things: ['a', 'b', 'c'] } }, { targets: { things: ['d'] } }],
  });
  const state = await withInvocationMetrics(async () => {
    const started = await startRelease(deps, { state: { releaseId: 'r1' }, now: NOW });
    return startWave(deps, { state: await prepareWave(deps, { state: started, now: NOW }), now: NOW });
  });
  return { fakes, deps, state };
}

/** Publishing `detailType` fails once (EventBridge throttled), then works. */
function failOnce(fakes: ReturnType<typeof fakeWorkflow>, detailType: string): void {
  const publish = fakes.notifier.publish.bind(fakes.notifier);
  let failed = false;
  fakes.notifier.publish = async (event: AnyNotificationEvent) => {
    if (!failed && event.detailType === detailType) {
      failed = true;
      throw new ThrottledError('EventBridge is throttling.', 1);
    }
    return publish(event);
  };
}

describe('release metrics', () => {
  it('a FailWave retried after its announcement failed counts the failed release and the ended wave once', async () => {
    const { fakes, deps, state } = await runningRelease();
    await fakes.store.recordWaveProgress('r1', 1, {
      counts: {
        ...ZERO_COUNTS,
        numberOfSucceededThings: 1,
        numberOfFailedThings: 1,
        numberOfTimedOutThings: 1,
      },
      jobStatus: 'IN_PROGRESS',
      polledAt: NOW,
    });
    failOnce(fakes, 'Release Failed');
    const event = {
      state: {
        ...state,
        failure: { waveStatus: 'FAILED', cause: 'FAILURE_THRESHOLD', reason: '2 of 3 failed.' } as const,
      },
      now: LATER,
    };
    // The first attempt records the wave and the release, then throws: what it recorded is counted.
    await expect(withInvocationMetrics(() => failWave(deps, event))).rejects.toThrow(ThrottledError);
    // Step Functions retries the task with the same input; it finds both records in place.
    expect((await withInvocationMetrics(() => failWave(deps, event))).next).toBe('failed');
    expect(fakes.notifier.types).toContain('Release Failed');
    expect(emf.values('ReleasesStarted')).toEqual([1]);
    expect(emf.values('ReleasesFailed')).toEqual([1]);
    expect(emf.values('WaveDuration')).toEqual([90]);
    expect(emf.values('WaveDevicesSucceeded')).toEqual([1]);
    expect(emf.values('WaveDevicesFailed')).toEqual([2]);
    const duration = emf.records().find((r) => r.WaveDuration !== undefined);
    expect(duration).toMatchObject({
      Outcome: 'FAILED',
      releaseId: 'r1',
      waveNumber: '1',
      service: 'fleetwave',
    });
    expect(duration?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'stage', 'Outcome']]);
    // The waves never started were canceled, not ended: they have no duration.
    expect((await fakes.store.getRelease('r1')).waves.map((w) => w.status)).toEqual(['FAILED', 'CANCELED']);
  });

  it('a release canceled through the API is counted by that write, not by the workflow that cleans up after it', async () => {
    const { fakes, deps, state } = await runningRelease();
    await withInvocationMetrics(async () => {
      await deps.store.transitionRelease('r1', { to: 'CANCELED', reason: 'by alice', at: NOW });
    });
    await withInvocationMetrics(() => cancelRelease(deps, { state, now: LATER }));
    await withInvocationMetrics(() => cancelRelease(deps, { state, now: LATER }));
    expect(emf.values('ReleasesCanceled')).toEqual([1]);
    // The running wave ended CANCELED (once), after 90 s.
    expect(emf.values('WaveDuration')).toEqual([90]);
    expect(emf.records().find((r) => r.WaveDuration !== undefined)).toMatchObject({ Outcome: 'CANCELED' });
    expect(fakes.jobs.calls.filter((c) => c === 'cancel')).toHaveLength(1);
  });

  it('a repeated release request is counted once; a release that is read is not counted', async () => {
    const fakes = fakeWorkflow();
    const store = measuredReleaseStore(fakes.store);
    const request = {
      releaseId: 'r2',
      jobTemplateId: 'fw-2-0',
      waves: [{ targets: { things: ['a'] } }],
    };
    await withInvocationMetrics(async () => {
      expect((await store.createRelease(parseReleaseRequest(request))).changed).toBe(true);
      expect((await store.createRelease(parseReleaseRequest(request))).changed).toBe(false);
      await store.getRelease('r2');
    });
    expect(emf.values('ReleasesRequested')).toEqual([1]);
    expect(emf.records()).toHaveLength(1);
  });
});
