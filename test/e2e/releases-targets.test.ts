/**
 * A release naming a thing group or thing IoT does not have is refused
 * before anything is stored, by every way in: POST /releases, the signed
 * generic webhook and the EventBridge `Release Requested` rule. The answer
 * is a 400 ValidationError naming the field and the missing name; no
 * release, no execution, no job. Throttling while checking is a 429.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { useWorkflowStack } from '../support/workflow.js';
import { call, executionNames, expectThrottledCreate, releaseRequest } from './releases-support.js';
import { genericHeaders, postWebhook, setWebhookEnvironment } from './webhooks-support.js';

setWebhookEnvironment();

describe('releases naming targets that do not exist', () => {
  // CRITICAL: the refused EventBridge request's error log is expected here.
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 }, logLevel: 'CRITICAL' });
  let client: EventBridgeClient | undefined;
  afterAll(() => client?.destroy());

  /** Nothing of `releaseId` exists: no release, no execution. */
  async function expectNothingStored(releaseId: string) {
    const { stack, clients } = env();
    expect((await call(stack, 'GET', `/releases/${releaseId}`)).status).toBe(404);
    expect(await executionNames(stack, clients)).not.toContain(releaseId);
  }

  it('POST /releases: a missing thing group is a 400 naming targets.thingGroups.N and the group; nothing is stored', async () => {
    const { stack } = env();
    const res = await call(stack, 'POST', '/releases', {
      body: releaseRequest({ releaseId: 'no-doors', targets: { thingGroups: ['fleet', 'doors'] } }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      code: 'ValidationError',
      message: 'Invalid request: targets.thingGroups.1.',
      details: [{ path: 'targets.thingGroups.1', message: 'names no thing group (doors does not exist)' }],
    });
    await expectNothingStored('no-doors');
    // The id is not used up: once the request names what exists, it is created.
    const fixed = await call(stack, 'POST', '/releases', { body: releaseRequest({ releaseId: 'no-doors' }) });
    expect(fixed.status).toBe(202);
  });

  it("POST /releases: a wave's missing thing is a 400 at waves.N.targets.things.M", async () => {
    const { stack } = env();
    const [thing] = stack.seededFleet?.sampleThingNames ?? [];
    const res = await call(stack, 'POST', '/releases', {
      body: releaseRequest({
        releaseId: 'ghost-thing',
        waves: [{ targets: { things: [thing, 'ghost-7'] } }, { percentage: 100 }],
      }),
    });
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([
      { path: 'waves.0.targets.things.1', message: 'names no thing (ghost-7 does not exist)' },
    ]);
    await expectNothingStored('ghost-thing');
  });

  it('the generic webhook refuses it the same way', async () => {
    const { stack } = env();
    const body = JSON.stringify(
      releaseRequest({ releaseId: 'hook-doors', targets: { thingGroups: ['doors'] } }),
    );
    const res = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
    expect(res.status).toBe(400);
    expect(res.json.details).toEqual([
      { path: 'targets.thingGroups.0', message: 'names no thing group (doors does not exist)' },
    ]);
    await expectNothingStored('hook-doors');
  });

  it('an EventBridge request is refused: announced as rejected with the field, nothing stored', async () => {
    const { stack } = env();
    client ??= new EventBridgeClient({
      endpoint: stack.awsUrl,
      region: stack.region,
      credentials: { accessKeyId: 'AKIDLOCALFLEETWAVE', secretAccessKey: 'local-secret' },
    });
    const detail = releaseRequest({ releaseId: 'eb-doors', targets: { thingGroups: ['doors'] } });
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'fleetwave.requests', DetailType: 'Release Requested', Detail: JSON.stringify(detail) },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    await stack.eventBridge.idle();
    const rejected = stack.eventBridge
      .recorded({ source: 'fleetwave', detailType: 'Release Request Rejected' })
      .filter((r) => (r.event.detail as { releaseId?: string }).releaseId === 'eb-doors');
    expect(rejected[0]?.event.detail).toMatchObject({
      error: 'ValidationError',
      details: [{ path: 'targets.thingGroups.0', message: 'names no thing group (doors does not exist)' }],
    });
    await expectNothingStored('eb-doors');
  });

  it('answers 429 with Retry-After when IoT keeps throttling the look-up, and stores nothing', async () => {
    const { stack } = env();
    await expectThrottledCreate(stack, 'DescribeThingGroup', releaseRequest({ releaseId: 'throttled-look' }));
    await expectNothingStored('throttled-look');
  });
});
