/**
 * Releases asked for on EventBridge, end to end: PutEvents on the local
 * endpoint reaches the `releaseRequested` function through the rule
 * serverless.yml declares, which creates the release as POST /releases
 * would. A request that cannot become a release is announced, retried and
 * dead-lettered, never lost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { releaseIdForIdempotencyKey } from '../../lib/releases/create-release.js';
import { useWorkflowStack } from '../support/workflow.js';
import { releaseRequester } from './eventbridge-support.js';
import { call, executionNames, releaseRequest } from './releases-support.js';

describe('release requests on EventBridge', () => {
  // CRITICAL: the rejected request's error log is expected here.
  const env = useWorkflowStack({ fleet: { size: 10, canaryShare: 0 }, logLevel: 'CRITICAL' });
  const requester = releaseRequester();
  afterAll(() => requester.destroy());
  const put = requester.put;

  it('creates and starts the release an event asks for', async () => {
    const { stack, clients } = env();
    await put(stack, releaseRequest({ releaseId: 'eb-release-1' }));
    const res = await call(stack, 'GET', '/releases/eb-release-1');
    expect(res.status).toBe(200);
    expect(res.json.release.jobTemplateId).toBe('fw-2-0');
    // The event's source and the account it was put in (the local stack's).
    const creator = `events:fleetwave.requests@${stack.accountId}`;
    expect(res.json.release.createdBy).toBe(creator);
    const history = await call(stack, 'GET', '/releases/eb-release-1/history');
    expect(history.json.items[0]).toMatchObject({ type: 'RELEASE_CREATED', actor: creator });
    expect(await executionNames(stack, clients)).toContain('eb-release-1');
    expect(stack.eventBridge.failures()).toEqual([]);
  });

  it('makes one release of an event sent twice', async () => {
    const { stack } = env();
    const request = releaseRequest({ idempotencyKey: 'pipeline-run-77' });
    await put(stack, request);
    await put(stack, request);
    const listed = await call(stack, 'GET', '/releases?limit=100');
    const id = releaseIdForIdempotencyKey('pipeline-run-77');
    expect(listed.json.items.filter((r: { releaseId: string }) => r.releaseId === id)).toHaveLength(1);
    expect((await executionNames(stack, env().clients)).filter((n) => n === id)).toHaveLength(1);
    expect(stack.eventBridge.failures()).toEqual([]);
  });

  it('ignores events from other sources', async () => {
    const { stack } = env();
    await put(stack, releaseRequest({ releaseId: 'eb-other-source' }), 'someone.else');
    expect((await call(stack, 'GET', '/releases/eb-other-source')).status).toBe(404);
  });

  it('records a malformed request: announced as rejected, retried, then dead-lettered with the event', async () => {
    const { stack } = env();
    const eventId = await put(stack, {
      releaseId: 'eb-bad',
      jobTemplateId: 'fw-2-0',
      waves: [{ percentage: 40 }],
    });

    const rejected = stack.eventBridge.recorded({
      source: 'fleetwave',
      detailType: 'Release Request Rejected',
    });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.event.detail).toMatchObject({
      requestEventId: eventId,
      requestSource: 'fleetwave.requests',
      releaseId: 'eb-bad',
      error: 'ValidationError',
      details: expect.arrayContaining([
        {
          path: 'waves.0.percentage',
          message: 'the last percentage wave must be 100, or part of the fleet is never updated',
        },
      ]),
    });

    // The rule retries twice (serverless.yml retryPolicy) on EventBridge's backoff, on the virtual clock.
    for (let i = 0; i < 10 && stack.eventBridge.deadLetters().length === 0; i++) {
      await stack.clock.advance(60_000);
      await stack.eventBridge.idle();
    }
    const failures = stack.eventBridge.failures().filter((f) => f.eventId === eventId);
    expect(failures.map((f) => [f.attempt, f.error.name, f.willRetry])).toEqual([
      [1, 'ValidationError', true],
      [2, 'ValidationError', true],
      [3, 'ValidationError', false],
    ]);
    const [dead] = stack.eventBridge.deadLetters();
    expect(dead).toMatchObject({ reason: 'RETRIES_EXHAUSTED', attempts: 3, event: { id: eventId } });
    expect(dead?.event.detail).toMatchObject({ releaseId: 'eb-bad' });
    expect((await call(stack, 'GET', '/releases/eb-bad')).status).toBe(404);
  });
});
