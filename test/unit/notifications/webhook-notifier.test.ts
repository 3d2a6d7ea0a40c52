/**
 * WebhookNotifier against a scripted receiver on 127.0.0.1: retries, limits
 * and signatures. Pauses go through an injected sleep that advances a fake
 * clock, so no test waits for a backoff.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookNotifier, type WebhookNotifierConfig } from '../../../lib/adapters/webhook-notifier.js';
import { verifyFleetwaveSignature } from '../../../lib/domain/webhook-signatures.js';
import { sampleNotification } from './fixtures.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers, one entry per request; the last one repeats. `hang` never answers. */
type Answer = { status: number; headers?: Record<string, string> } | 'hang';

let server: Server;
let url: string;
let script: Answer[] = [];
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = script[Math.min(received.length - 1, script.length - 1)] ?? { status: 200 };
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/fleetwave`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  script = [];
});

const secret = 'outgoing-signing-secret';
const start = Date.UTC(2026, 0, 1, 12);

/** A notifier on a fake clock: `sleeps` lists every pause, each of which moves the clock. */
function notifier(config: Partial<WebhookNotifierConfig> = {}, secrets: readonly string[] = [secret]) {
  let now = start;
  const sleeps: number[] = [];
  const n = new WebhookNotifier(
    {
      signingSecrets: async () => secrets,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      now: () => now,
      random: () => 0.999,
    },
    { baseDelayMs: 1000, maxDelayMs: 8000, ...config },
  );
  return { n, sleeps, now: () => now };
}

const event = sampleNotification('Wave Failed');

describe('WebhookNotifier', () => {
  it('retries a 500 and reports the delivery once the receiver takes it', async () => {
    script = [{ status: 500 }, { status: 204 }];
    const { n, sleeps } = notifier();
    const outcome = await n.deliver(url, event);
    expect(outcome).toMatchObject({ delivered: true, attempts: 2, lastStatus: 204 });
    expect(outcome.error).toBeUndefined();
    expect(sleeps).toEqual([999]);
    expect(received).toHaveLength(2);
    expect(received[0]?.headers['x-fleetwave-delivery']).toBe(outcome.deliveryId);
    expect(received[1]?.headers['x-fleetwave-delivery']).toBe(outcome.deliveryId);
  });

  it('sends the event JSON, signed so the receiver can verify it', async () => {
    const { n } = notifier();
    await n.deliver(url, event);
    const [request] = received;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-fleetwave-event']).toBe('Wave Failed');
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      source: 'fleetwave',
      'detail-type': 'Wave Failed',
      detail: event.detail,
    });
    const header = request?.headers['x-fleetwave-signature'] as string;
    expect(verifyFleetwaveSignature(request?.body ?? '', header, secret, { nowSeconds: start / 1000 })).toBe(
      start / 1000,
    );
  });

  it('signs with every secret while receivers rotate', async () => {
    const { n } = notifier({}, ['new-secret', 'old-secret']);
    await n.deliver(url, event);
    const header = received[0]?.headers['x-fleetwave-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
  });

  it('gives up after the last attempt, with exponential pauses between attempts', async () => {
    script = [{ status: 503 }];
    const { n, sleeps } = notifier({ maxAttempts: 5 });
    const outcome = await n.deliver(url, event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 5, lastStatus: 503 });
    expect(outcome.error).toBe('HTTP 503; gave up after 5 attempts');
    expect(sleeps).toEqual([999, 1998, 3996, 7992]);
  });

  it('does not retry a refusal that will not change (HTTP 400)', async () => {
    script = [{ status: 400 }];
    const { n, sleeps } = notifier();
    expect(await n.deliver(url, event)).toMatchObject({
      delivered: false,
      attempts: 1,
      lastStatus: 400,
      error: 'HTTP 400',
    });
    expect(sleeps).toEqual([]);
  });

  it('does not follow redirects', async () => {
    script = [{ status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } }];
    const { n } = notifier();
    expect(await n.deliver(url, event)).toMatchObject({ delivered: false, attempts: 1, lastStatus: 307 });
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    script = [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }];
    const { n, sleeps } = notifier();
    expect(await n.deliver(url, event)).toMatchObject({ delivered: true, attempts: 2 });
    expect(sleeps).toEqual([7000]);
  });

  it('stops when another pause would exceed the total time limit', async () => {
    script = [{ status: 500 }];
    const { n, sleeps } = notifier({ maxAttempts: 10, maxTotalMs: 5000 });
    const outcome = await n.deliver(url, event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 3 });
    expect(outcome.error).toMatch(/exceed 5000 ms/);
    expect(sleeps).toEqual([999, 1998]);
  });

  it('abandons an attempt that gets no answer in time', async () => {
    script = ['hang'];
    const { n } = notifier({ maxAttempts: 1, attemptTimeoutMs: 100 });
    const outcome = await n.deliver(url, event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 1 });
    expect(outcome.error).toMatch(/^timed out after 100 ms/);
    expect(outcome.lastStatus).toBeUndefined();
  });

  it('reports a receiver that refuses connections', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { n } = notifier({ maxAttempts: 2 });
    const outcome = await n.deliver(`http://127.0.0.1:${port}/`, event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 2 });
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('sends nothing without a signing secret, or to a URL that is not http(s)', async () => {
    expect(await notifier({}, []).n.deliver(url, event)).toMatchObject({ delivered: false, attempts: 0 });
    expect(await notifier().n.deliver('file:///etc/passwd', event)).toMatchObject({
      delivered: false,
      attempts: 0,
    });
    expect(received).toHaveLength(0);
  });
});
