/**
 * `fleetwave events tail` in-process, over the local stack's real admin
 * routes (the EventBridge and SNS services and their route handlers, called
 * without a network): what it prints across polls while entries arrive.
 */
import { describe, expect, it } from 'vitest';
import type { HttpFetch } from '../../../cli/api/http-fetch.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { runCli } from '../../../cli/run.js';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import { createEventBridgeService, eventBridgeAdminRoutes } from '../../../local/eventbridge/index.js';
import { createSnsService, snsAdminRoutes } from '../../../local/sns/index.js';
import { type FakeIo, fakeIo, run } from './support/fake-io.js';

const endpoint = 'http://local.test:4566';

/** A local EventBridge and SNS, their admin routes and the clock route, answered without a network. */
function localRecords() {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
  const events = createEventBridgeService({ clock });
  const sns = createSnsService({ clock, region: 'us-east-1', accountId: '123456789012' });
  const topicArn = sns.createTopic('notifications');
  const routes = [...eventBridgeAdminRoutes(events), ...snsAdminRoutes(sns)];
  const requests: string[] = [];
  const fetch: HttpFetch = async (url) => {
    requests.push(url.pathname + url.search);
    const route = routes.find(([, path]) => path === url.pathname);
    const answer =
      url.pathname === '/_fleetwave/clock'
        ? { status: 200, body: { epochMs: clock.now() } }
        : route
          ? await route[2]({
              method: 'GET',
              path: url.pathname,
              params: {},
              query: url.searchParams,
              body: undefined,
              headers: {},
            })
          : { status: 404, body: { message: 'No admin route' } };
    const text = JSON.stringify(answer.body);
    return {
      status: answer.status ?? 200,
      ok: (answer.status ?? 200) < 300,
      headers: { get: () => null },
      text: async () => text,
    };
  };
  let n = 0;
  const put = (count: number, detailType = 'Numbered') => {
    for (let i = 0; i < count; i++) {
      events.putEvents({
        Entries: [{ Source: 'test', DetailType: detailType, Detail: JSON.stringify({ n: n++ }) }],
      });
    }
  };
  const publish = (message: string) => sns.publish({ TopicArn: topicArn, Message: message });
  return { clock, fetch, requests, put, publish };
}

const numbers = (out: string) =>
  out
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; detail?: { n: number }; message?: string })
    .map((e) => (e.kind === 'event' ? e.detail?.n : e.message));

describe('fleetwave events tail', () => {
  it('prints every entry that arrives after the start once, across pages, until Ctrl-C (exit 0)', async () => {
    const local = localRecords();
    local.put(130);
    let polls = 0;
    const io: FakeIo = fakeIo({
      fetch: local.fetch,
      sleep: async () => {
        polls++;
        // 250 between two polls: three pages of 100 to read back to the newest entry already printed.
        if (polls === 1) local.put(250);
        if (polls === 2) {
          // Both kinds in one poll.
          local.put(1);
          local.publish('hello');
        }
        if (polls === 3) io.interrupt();
      },
    });
    const code = await runCli(['events', 'tail', '--endpoint-url', endpoint, '--output', 'json'], io);
    const { out, err } = io;
    expect(err).toBe(`Following ${endpoint} for new events and messages; Ctrl-C stops.\n`);
    expect(code).toBe(ExitCode.OK);
    expect(numbers(out)).toEqual([...Array.from({ length: 251 }, (_, i) => 130 + i), 'hello']);
    expect(io.sleeps).toEqual([1000, 1000, 1000]);
    // The second poll paged back (newest first) to the entry the first one ended with.
    expect(
      local.requests.filter((r) => r.startsWith('/_fleetwave/events') && r.includes('nextToken=')).length,
    ).toBe(2);
  });

  it('--no-follow prints everything recorded, oldest first, events and messages in time order', async () => {
    const local = localRecords();
    local.put(2);
    await local.clock.advance(60_000);
    local.publish('after a minute');
    await local.clock.advance(60_000);
    local.put(1);
    const { code, out } = await run(
      ['events', 'tail', '--endpoint-url', endpoint, '--no-follow', '--output', 'json'],
      {
        fetch: local.fetch,
      },
    );
    expect(code).toBe(ExitCode.OK);
    expect(numbers(out)).toEqual([0, 1, 'after a minute', 2]);
  });

  it('--since takes a duration on the stack’s clock, and an ISO time', async () => {
    const local = localRecords();
    local.put(2);
    await local.clock.advance(60_000);
    local.put(1);
    const since = (when: string) =>
      run(
        ['events', 'tail', '--endpoint-url', endpoint, '--no-follow', '--output', 'json', '--since', when],
        {
          fetch: local.fetch,
        },
      );
    // The stack's clock reads 00:01:00 while the wall clock is elsewhere: 30s ago is 00:00:30 on the stack.
    expect(numbers((await since('30s')).out)).toEqual([2]);
    expect(numbers((await since('2m')).out)).toEqual([0, 1, 2]);
    expect(numbers((await since('2026-01-01T00:01:00Z')).out)).toEqual([2]);
    const bad = await since('last tuesday');
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.err).toContain('--since must be a duration such as 30s, 5m or 1h, an ISO-8601 time');
  });
});
