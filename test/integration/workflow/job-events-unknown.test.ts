/**
 * IoT job events that are not about a running wave's own job (another
 * team's job in the account, a release that does not exist, a job with a
 * wave's id but not the wave's): the function logs and drops them, and
 * touches nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/triggers/iot-job-events.js';
import { useWorkflowStack } from '../../support/workflow.js';

const completed = (jobId: string) => ({
  eventType: 'JOB',
  eventId: 'e-1',
  timestamp: 1_767_225_600,
  operation: 'completed',
  jobId,
  status: 'COMPLETED',
  jobProcessDetails: { numberOfSucceededThings: 3, numberOfFailedThings: 0 },
  topic: `$aws/events/job/${jobId}/completed`,
});

describe('IoT job events about jobs that are no wave of fleetwave', () => {
  // INFO: ignored events are logged at INFO (an account runs other jobs; they are routine).
  const env = useWorkflowStack({ logLevel: 'INFO' });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs the handler and returns its outcome and the log lines it wrote. */
  async function deliver(event: unknown) {
    const lines: string[] = [];
    // INFO lines go to stdout, WARN lines to stderr; both are kept out of the test output.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const outcome = await handler(event);
    vi.restoreAllMocks();
    return { outcome, logged: lines.join('') };
  }

  it('ignores and logs an event for a job whose id is not a wave id', async () => {
    const { outcome, logged } = await deliver(completed('nightly-ota'));
    expect(outcome).toEqual({ outcome: 'ignored', why: "job nightly-ota is not a fleetwave wave's job" });
    expect(logged).toContain('IoT job event ignored');
    expect(logged).toContain('nightly-ota');
  });

  it('ignores and logs an event for a wave id whose release does not exist', async () => {
    const { outcome, logged } = await deliver(completed('ghost-release-w01'));
    expect(outcome).toEqual({ outcome: 'ignored', why: 'release ghost-release does not exist' });
    expect(logged).toContain('ghost-release-w01');
  });

  it("ignores a job with a wave's id that the wave never started, leaving the wave untouched", async () => {
    const { clients } = env();
    await clients.repository.createRelease({
      releaseId: 'known',
      jobTemplateId: 'fw-2-0',
      targets: { thingGroups: ['fleet'] },
      waves: [{ targets: { thingGroups: ['fleet'] } }],
    } as Parameters<typeof clients.repository.createRelease>[0]);
    const before = await clients.repository.getWave('known', 1);
    const { outcome, logged } = await deliver(completed('known-w01'));
    expect(outcome).toMatchObject({ outcome: 'ignored' });
    expect(logged).toContain('IoT job event ignored');
    expect(await clients.repository.getWave('known', 1)).toEqual(before);
  });

  it('drops a malformed event without throwing (retrying cannot fix it)', async () => {
    const { outcome, logged } = await deliver({ eventType: 'JOB', jobId: 42 });
    expect(outcome).toEqual({ outcome: 'ignored', why: 'malformed event' });
    expect(logged).toContain('malformed');
  });
});
