import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
} from '@aws-sdk/client-iot';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedProfile, minute, second } from '../../support/fleet.js';
import {
  describeExecution,
  describeJob,
  type FleetEndpoint,
  groupArn,
  seedThings,
  startFleetEndpoint,
} from './fleet-endpoint.js';

let ep: FleetEndpoint;
afterEach(async () => ep.close());

async function executionStatus(thingName: string) {
  return (await describeExecution(ep, 'always', thingName)).status;
}

describe('targetSelection CONTINUOUS through the IoT endpoint', () => {
  it('runs the job on a thing added to the target group later (AddThingToThingGroup), directly or in a child group', async () => {
    ep = await startFleetEndpoint({ profiles: fixedProfile({ startSeconds: 2, runSeconds: 20 }) });
    seedThings(ep, 'line', 3, 'dev');
    await ep.iot.send(
      new CreateJobCommand({
        jobId: 'always',
        targets: [groupArn(ep, 'line')],
        targetSelection: 'CONTINUOUS',
        document: '{}',
        jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
      }),
    );
    await ep.clock.advance(5 * minute);
    expect(await describeJob(ep, 'always')).toMatchObject({
      status: 'IN_PROGRESS',
      details: { numberOfSucceededThings: 3 },
    });

    await ep.iot.send(new CreateThingCommand({ thingName: 'newcomer' }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingName: 'newcomer', thingGroupName: 'line' }));
    expect(await executionStatus('newcomer')).toBe('QUEUED');
    // Notified at once, outside the rollout rate of 1 per minute.
    await ep.clock.advance(3 * second);
    expect(await executionStatus('newcomer')).toBe('IN_PROGRESS');
    await ep.clock.advance(20 * second);
    expect(await executionStatus('newcomer')).toBe('SUCCEEDED');

    await ep.iot.send(new CreateThingGroupCommand({ thingGroupName: 'line-b', parentGroupName: 'line' }));
    await ep.iot.send(new CreateThingCommand({ thingName: 'grandchild' }));
    await ep.iot.send(new AddThingToThingGroupCommand({ thingName: 'grandchild', thingGroupName: 'line-b' }));
    await ep.clock.advance(minute);
    expect(await executionStatus('grandchild')).toBe('SUCCEEDED');

    // A CONTINUOUS job never completes on its own.
    expect(await describeJob(ep, 'always')).toMatchObject({
      status: 'IN_PROGRESS',
      details: { numberOfSucceededThings: 5, numberOfQueuedThings: 0, numberOfInProgressThings: 0 },
    });
    const newcomer = ep.events.find((e) => e.type === 'notified' && e.thingName === 'newcomer');
    expect(newcomer).toMatchObject({ ratePerMinute: undefined });
  });
});
