/**
 * `fleetwave events tail` in-process, over the local stack's real admin
 * routes (the EventBridge and SNS services and their route handlers, called
 * without a network): what it prints across polls while entries arrive.
 */
import { describe, expect, it } from 'vitest';
import type { HttpFetch } from '../../../cli/api/http-fetch.js';
import { ExitCode } from '../../../cli/exit-codes.js';
import { runCli } from '../../../cli/run.js';
import { localLogs } from '../../support/local-logs.js';
import { type FakeIo, fakeIo, run } from './support/fake-io.js';

const endpoint = 'http://local.test:4566';

/** A local EventBridge and SNS, their admin routes and the clock route, answered without a network. */
function localRecords(capacity = 1000) {
  const logs = localLogs(capacity);
  const requests: string[] = [];
  /** While true, SNS answers as a restarting stack does before it has made its topics again. */
  const restarting = { sns: false };
  const fetch: HttpFetch = async (url) => {
    requests.push(url.pathname + url.search);
    const answer =
      restarting.sns && url.pathname.startsWith('/_fleetwave/sns/')
        ? { status: 404, body: { code: 'NotFoundError', message: 'No topic named notifications' } }
        : url.pathname === '/_fleetwave/clock'
          ? { status: 200, body: { epochMs: logs.clock.now() } }
          : ((await logs.get(url.pathname, url.searchParams)) ?? {
              status: 404,
              body: { message: 'No admin route' },
            });
    const text = JSON.stringify(answer.body);
    return {
      status: answer.status ?? 200,
      ok: (answer.status ?? 200) < 300,
      headers: { get: () => null },
      text: async () => text,
    };
  };
  return { ...logs, fetch, requests, restarting };
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
    // No offset: UTC, whatever the machine's zone (Node reads TZ again when it changes).
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(numbers((await since('2026-01-01T00:01:00')).out)).toEqual([2]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(numbers((await since('2026-01-01T02:01:00+02:00')).out)).toEqual([2]);
    const bad = await since('last tuesday');
    expect(bad.code).toBe(ExitCode.USAGE);
    expect(bad.err).toContain('--since must be a duration such as 30s, 5m or 1h, an ISO-8601 time');
  });

  it('--since reads by when the stack received an entry, not by the time its sender gave it', async () => {
    const local = localRecords();
    local.put(1);
    await local.clock.advance(60_000);
    // Put now, dated a year ago by its sender: it is still one of the last 30 seconds.
    local.put(1, 'Backdated', Date.UTC(2025, 0, 1) / 1000);
    local.put(1);
    const { out } = await run(
      ['events', 'tail', '--endpoint-url', endpoint, '--no-follow', '--output', 'json', '--since', '30s'],
      { fetch: local.fetch },
    );
    expect(numbers(out)).toEqual([1, 2]);
    expect(local.requests.some((r) => r.includes(`after=${Date.UTC(2026, 0, 1, 0, 0, 30)}`))).toBe(true);
  });

  it('says it is following in every follow mode, once the recorded entries are printed', async () => {
    const local = localRecords();
    local.put(1);
    const io: FakeIo = fakeIo({ fetch: local.fetch, sleep: async () => io.interrupt() });
    const code = await runCli(['events', 'tail', '--endpoint-url', endpoint, '--since', 'all'], io);
    expect(code).toBe(ExitCode.OK);
    expect(io.out).toContain('Numbered');
    expect(io.err).toBe(`Following ${endpoint} for new events and messages; Ctrl-C stops.\n`);
  });

  it('--topic waits out a stack that answers 404 for its topic while it restarts', async () => {
    const local = localRecords();
    let polls = 0;
    const io: FakeIo = fakeIo({
      fetch: local.fetch,
      sleep: async () => {
        polls++;
        // Twenty seconds without the topic, then it is back and has a message.
        local.restarting.sns = polls >= 1 && polls <= 20;
        if (polls === 21) local.publish('after the restart');
        if (polls === 22) io.interrupt();
      },
    });
    const args = [
      'events',
      'tail',
      '--endpoint-url',
      endpoint,
      '--topic',
      'notifications',
      '--output',
      'json',
    ];
    const code = await runCli(args, io);
    expect(code).toBe(ExitCode.OK);
    expect(numbers(io.out)).toEqual(['after the restart']);
    expect(io.err).toContain('poll failed (0s of 30s waited out): No topic named notifications');
  });

  it('--topic gives up after 30 seconds of 404s', async () => {
    const local = localRecords();
    const io: FakeIo = fakeIo({
      fetch: local.fetch,
      sleep: async () => {
        local.restarting.sns = true;
      },
    });
    const code = await runCli(['events', 'tail', '--endpoint-url', endpoint, '--topic', 'notifications'], io);
    expect(code).toBe(ExitCode.API_REFUSED);
    expect(io.sleeps.length).toBe(31);
    expect(io.err).toContain('No topic named notifications');
  });

  it('says how many entries the stack forgot before they were read', async () => {
    const local = localRecords(5);
    local.put(2);
    let polls = 0;
    const io: FakeIo = fakeIo({
      fetch: local.fetch,
      sleep: async () => {
        polls++;
        // Twelve between two polls into a log of five: seven are gone before the tail reads.
        if (polls === 1) local.put(12);
        if (polls === 2) io.interrupt();
      },
    });
    const code = await runCli(
      ['events', 'tail', '--endpoint-url', endpoint, '--source', 'test', '--output', 'json'],
      io,
    );
    expect(code).toBe(ExitCode.OK);
    expect(numbers(io.out)).toEqual([9, 10, 11, 12, 13]);
    expect(io.err).toContain("… 7 entries were dropped from the stack's log before they were read");
  });
});
