/**
 * Helpers of the halt scenarios: the fleet's thing names, and a wave's job
 * caught mid-rollout (some devices done or running, the rest queued). The
 * devices move on the virtual clock between the workflow's own wake-ups, so
 * the clock is stepped by hand, ten seconds at a time.
 */
import { DescribeJobCommand, type IoTClient, ListThingsCommand } from '@aws-sdk/client-iot';
import type { LocalStack } from '../../local/endpoints.js';

/** The first `n` thing names of the fleet, sorted. */
export async function fleetThings(iot: IoTClient, n: number): Promise<string[]> {
  const listed = await iot.send(new ListThingsCommand({ maxResults: 250 }));
  return (listed.things ?? [])
    .map((t) => t.thingName ?? '')
    .sort()
    .slice(0, n);
}

/**
 * Steps the clock until job `jobId` has a device running and one finished,
 * and returns its counters then (the caller checks some are still queued).
 */
export async function stepUntilMidWave(stack: LocalStack, iot: IoTClient, jobId: string) {
  let job = (await iot.send(new DescribeJobCommand({ jobId }))).job;
  for (let step = 0; step < 60; step++) {
    const d = job?.jobProcessDetails;
    if ((d?.numberOfSucceededThings ?? 0) >= 1 && (d?.numberOfInProgressThings ?? 0) >= 1) break;
    await stack.clock.advance(10_000);
    await stack.workflow.driver.settle();
    job = (await iot.send(new DescribeJobCommand({ jobId }))).job;
  }
  return {
    queued: job?.jobProcessDetails?.numberOfQueuedThings ?? 0,
    running: job?.jobProcessDetails?.numberOfInProgressThings ?? 0,
  };
}
