/**
 * Release notifications end to end: a release that names `notify.webhookUrl`
 * has every event POSTed there, signed like the generic webhook, retried
 * when the receiver fails, each outcome in its history; people get an SNS
 * message when it ends.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFleetwaveSignature } from '../../lib/domain/webhook-signatures.js';
import { useWorkflowStack } from '../support/workflow.js';
import { call, createReleaseOk, releaseRequest, runUntilApi } from './releases-support.js';

const OUTGOING_SECRET = 'outgoing-secret-for-tests';
process.env.FLEETWAVE_OUTGOING_WEBHOOK_SECRET = OUTGOING_SECRET;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

describe('release notifications', () => {
  const env = useWorkflowStack({ fleet: { size: 5, canaryShare: 0 } });
  const received: Received[] = [];
  let receiver: Server;
  let url = '';

  beforeAll(async () => {
    let answered = 0;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // The very first delivery fails once: it must be retried.
        const status = answered++ === 0 ? 500 : 204;
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/fleetwave`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('signs every event to the webhook, retries a 500, records each outcome, and tells people the release succeeded', async () => {
    const { stack } = env();
    const releaseId = await createReleaseOk(
      stack,
      releaseRequest({ releaseId: 'notified-1', waves: [{ percentage: 100 }], notify: { webhookUrl: url } }),
    );
    await runUntilApi(stack, releaseId, (view) => view.release.status === 'SUCCEEDED', 'release to succeed');

    // Signed like the generic webhook, verified as a receiver would, on the wall clock.
    for (const r of received) {
      const header = r.headers['x-fleetwave-signature'] as string;
      expect(() =>
        verifyFleetwaveSignature(r.body, header, OUTGOING_SECRET, {
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).not.toThrow();
      expect(JSON.parse(r.body)).toMatchObject({
        source: 'fleetwave',
        'detail-type': r.headers['x-fleetwave-event'],
      });
    }
    const types = [...new Set(received.map((r) => r.headers['x-fleetwave-event']))];
    expect(types).toEqual(['Release Started', 'Wave Started', 'Wave Succeeded', 'Release Succeeded']);

    // The first delivery: a 500, then the same delivery again, taken.
    const [first, second] = received;
    expect([first?.status, second?.status]).toEqual([500, 204]);
    expect(second?.headers['x-fleetwave-delivery']).toBe(first?.headers['x-fleetwave-delivery']);

    const history = (await call(stack, 'GET', `/releases/${releaseId}/history?limit=500`)).json.items;
    const outcomes = history
      .filter((e: { type: string }) => e.type === 'NOTIFICATION')
      .map((e: { notification: unknown }) => e.notification);
    expect(outcomes).toContainEqual(
      expect.objectContaining({
        channel: 'webhook',
        detailType: 'Release Started',
        delivered: true,
        attempts: 2,
        lastStatus: 204,
        deliveryId: first?.headers['x-fleetwave-delivery'],
      }),
    );
    expect(outcomes.filter((o: { channel: string }) => o.channel === 'webhook')).toHaveLength(4);

    // People: one SNS message, for the ending.
    const messages = stack.sns
      .messages()
      .filter((m) => m.messageAttributes.releaseId?.StringValue === releaseId);
    expect(messages.map((m) => m.subject)).toEqual([`[fleetwave] Release ${releaseId} succeeded`]);
    expect(messages[0]?.message).toContain(`Release ${releaseId} succeeded: all 1 wave completed.`);
    expect(outcomes).toContainEqual(
      expect.objectContaining({
        channel: 'sns',
        detailType: 'Release Succeeded',
        delivered: true,
        deliveryId: messages[0]?.messageId,
      }),
    );
  });

  it('records a refusing webhook in the history and still ends the release', async () => {
    const { stack } = env();
    const releaseId = await createReleaseOk(
      stack,
      // 404 is final at once: nothing to retry, nothing to wait for.
      releaseRequest({
        releaseId: 'notified-2',
        waves: [{ percentage: 100 }],
        notify: { webhookUrl: `${url}?gone` },
      }),
    );
    receiver.removeAllListeners('request');
    receiver.on('request', (_req, res) => res.writeHead(404).end());
    // Ended either way (the simulated fleet decides): what matters is that a failing webhook stopped nothing.
    await runUntilApi(
      stack,
      releaseId,
      (view) => ['SUCCEEDED', 'FAILED'].includes(view.release.status),
      'release to end',
    );
    const history = (await call(stack, 'GET', `/releases/${releaseId}/history?limit=500`)).json.items;
    const failed = history.filter(
      (e: { type: string; notification?: { channel: string } }) => e.notification?.channel === 'webhook',
    );
    expect(failed).toHaveLength(4);
    for (const e of failed)
      expect(e.notification).toMatchObject({
        delivered: false,
        attempts: 1,
        lastStatus: 404,
        error: 'HTTP 404',
      });
  });
});
