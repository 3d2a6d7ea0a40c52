/**
 * The triggers judge a release request's schedule at the request's time,
 * as POST /releases does: the generic webhook at the request's time on the
 * gateway, EventBridge at the event's time, both on the stack's virtual
 * clock (here at least a day off the wall clock), not at the wall clock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatScheduleTime } from '../../lib/domain/schedule-time.js';
import type { LocalStack } from '../../local/endpoints.js';
import { useWorkflowStack } from '../support/workflow.js';
import { releaseRequester } from './eventbridge-support.js';
import { call, releaseRequest } from './releases-support.js';
import { genericHeaders, postWebhook, setWebhookEnvironment } from './webhooks-support.js';

setWebhookEnvironment();

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const tooSoon = { path: 'schedulingConfig.startTime', message: 'must be at least 30 minutes from now' };

describe('the request time the triggers validate a schedule against', () => {
  // CRITICAL: the rejected request's error log is expected here.
  const env = useWorkflowStack({ fleet: { size: 4, canaryShare: 0 }, logLevel: 'CRITICAL' });
  const requester = releaseRequester();
  afterAll(() => requester.destroy());
  const put = requester.put;

  /**
   * A start `minutes` after the stack's clock, which stands at least a day off the wall clock:
   * 10 minutes is refused and 60 accepted only when judged at the request's time (by the wall
   * clock, one of the two answers would differ, whichever side of it the stack's clock is).
   */
  const startAfter = async (stack: LocalStack, minutes: number) => {
    if (Math.abs(stack.clock.now() - Date.now()) < DAY) await stack.clock.advance(DAY);
    return formatScheduleTime(Math.ceil((stack.clock.now() + minutes * MINUTE) / MINUTE) * MINUTE);
  };

  it('the generic webhook: a start 30 minutes ahead of the request time, not of the wall clock', async () => {
    const { stack } = env();
    const refused = JSON.stringify(
      releaseRequest({ releaseId: 'wh-soon', schedulingConfig: { startTime: await startAfter(stack, 10) } }),
    );
    const no = await postWebhook(stack, '/webhooks/generic', refused, genericHeaders(refused));
    expect(no.status).toBe(400);
    expect(no.json.details).toEqual([tooSoon]);

    const startTime = await startAfter(stack, 60);
    const body = JSON.stringify(releaseRequest({ releaseId: 'wh-ahead', schedulingConfig: { startTime } }));
    const yes = await postWebhook(stack, '/webhooks/generic', body, genericHeaders(body));
    expect(yes.status).toBe(202);
    expect(yes.json.release.schedulingConfig).toEqual({ startTime });
  });

  it("EventBridge: a start 30 minutes ahead of the event's time, not of the wall clock", async () => {
    const { stack } = env();
    const soon = await startAfter(stack, 10);
    await put(stack, releaseRequest({ releaseId: 'eb-soon', schedulingConfig: { startTime: soon } }));
    const rejected = stack.eventBridge.recorded({
      source: 'fleetwave',
      detailType: 'Release Request Rejected',
    });
    expect(rejected.map((r) => r.event.detail)).toContainEqual(
      expect.objectContaining({ releaseId: 'eb-soon', error: 'ValidationError', details: [tooSoon] }),
    );
    expect((await call(stack, 'GET', '/releases/eb-soon')).status).toBe(404);

    const startTime = await startAfter(stack, 60);
    await put(stack, releaseRequest({ releaseId: 'eb-ahead', schedulingConfig: { startTime } }));
    const created = await call(stack, 'GET', '/releases/eb-ahead');
    expect(created.status).toBe(200);
    expect(created.json.release.schedulingConfig).toEqual({ startTime });
  });
});
