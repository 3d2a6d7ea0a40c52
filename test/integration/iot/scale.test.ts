/**
 * A 100,000-thing job through the real SDK: creation, DescribeJob and a
 * status-filtered ListJobExecutionsForJob must stay cheap. Durations are
 * printed as figures, not asserted (the machine is shared); correctness is.
 */
import { CreateJobCommand, DescribeJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotEndpoint, startIotEndpoint } from '../../support/iot-endpoint.js';
import { groupArn, seedGroup, thingArn } from './iot-fixtures.js';

const fleetSize = 100_000;

async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${label}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

describe('IoT endpoint at fleet scale', () => {
  let ep: IotEndpoint;
  beforeAll(async () => {
    ep = await startIotEndpoint();
    await timed(`seed ${fleetSize} things`, () => seedGroup(ep.emulator, 'fleet', fleetSize, 'dev'));
  });
  afterAll(async () => ep.close());

  it('creates a 100,000-execution job, describes it and pages one status without walking the fleet', async () => {
    await timed('CreateJob on 100k-thing group', () =>
      ep.iot.send(new CreateJobCommand({ jobId: 'big', targets: [groupArn('fleet')], document: '{}' })),
    );
    const port = ep.emulator.jobs;
    // Move the last 1,000 things (the far end of creation order) to IN_PROGRESS, and 500 of those on to SUCCEEDED.
    await timed('1,500 transitions', () => {
      for (let i = fleetSize - 1000; i < fleetSize; i++) port.transition('big', `dev-${i}`, 'IN_PROGRESS');
      for (let i = fleetSize - 500; i < fleetSize; i++) port.transition('big', `dev-${i}`, 'SUCCEEDED');
    });

    const { job } = await timed('DescribeJob', () => ep.iot.send(new DescribeJobCommand({ jobId: 'big' })));
    expect(job?.jobProcessDetails).toMatchObject({
      numberOfQueuedThings: fleetSize - 1000,
      numberOfInProgressThings: 500,
      numberOfSucceededThings: 500,
    });

    const seen: string[] = [];
    let nextToken: string | undefined;
    await timed('page all IN_PROGRESS (2 pages of 250)', async () => {
      do {
        const page = await ep.iot.send(
          new ListJobExecutionsForJobCommand({
            jobId: 'big',
            status: 'IN_PROGRESS',
            maxResults: 250,
            nextToken,
          }),
        );
        seen.push(...(page.executionSummaries ?? []).map((s) => s.thingArn!));
        nextToken = page.nextToken;
      } while (nextToken);
    });
    expect(seen).toHaveLength(500);
    expect(seen[0]).toBe(thingArn(`dev-${fleetSize - 1000}`));
    expect(seen.at(-1)).toBe(thingArn(`dev-${fleetSize - 501}`));

    const succeeded = await timed('first SUCCEEDED page', () =>
      ep.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'big', status: 'SUCCEEDED', maxResults: 100 })),
    );
    expect(succeeded.executionSummaries?.[0]?.thingArn).toBe(thingArn(`dev-${fleetSize - 500}`));

    // A token several pages into a status resumes exactly where the last page stopped.
    let deepToken: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await ep.iot.send(
        new ListJobExecutionsForJobCommand({
          jobId: 'big',
          status: 'QUEUED',
          maxResults: 250,
          nextToken: deepToken,
        }),
      );
      deepToken = page.nextToken;
    }
    const fourth = await ep.iot.send(
      new ListJobExecutionsForJobCommand({
        jobId: 'big',
        status: 'QUEUED',
        maxResults: 1,
        nextToken: deepToken,
      }),
    );
    expect(fourth.executionSummaries?.[0]?.thingArn).toBe(thingArn('dev-750'));
  });
});
