/**
 * The cursors of the local admin logs beyond `nextToken`: `after` bounds a
 * read by when the stack received an entry (not by the sender's `time`),
 * and a small log says when a reader's cursor fell off what it keeps.
 */
import { describe, expect, it } from 'vitest';
import { localLogs } from '../../support/local-logs.js';

interface Answer {
  status: number;
  body: {
    events?: { detail: { n: number }; time: string; seq: number; receivedAt: number }[];
    messages?: { message: string; seq: number; receivedAt: number }[];
    nextToken?: string;
    oldestSeq?: number;
    truncated?: boolean;
    message?: string;
  };
}

/** The local logs keeping `capacity` entries each, and a GET over their admin routes. */
function stack(capacity = 1000) {
  const logs = localLogs(capacity);
  const get = async (path: string, query: string): Promise<Answer> => {
    const answer = await logs.get(path, new URLSearchParams(query));
    if (!answer) throw new Error(`no route ${path}`);
    return { status: answer.status ?? 200, body: answer.body as Answer['body'] };
  };
  return { ...logs, get, put: (time?: number) => logs.put(1, 'Numbered', time) };
}

const numbers = (a: Answer) => a.body.events?.map((e) => e.detail.n);

describe('after=<epoch ms>', () => {
  it('keeps what the stack received at or after it, whatever time the sender gave', async () => {
    const s = stack();
    s.put();
    await s.clock.advance(60_000);
    const after = s.clock.now();
    // Received now, but dated a year earlier by its sender.
    s.put(Date.UTC(2025, 0, 1) / 1000);
    s.put();
    s.publish('now');
    const answer = await s.get('/_fleetwave/events', `after=${after}`);
    expect(numbers(answer)).toEqual([2, 1]);
    expect(answer.body.events?.[1]).toMatchObject({
      time: '2025-01-01T00:00:00Z',
      receivedAt: after,
      seq: 1,
    });
    const messages = await s.get('/_fleetwave/sns/messages', `after=${after}`);
    expect(messages.body.messages?.map((m) => m.message)).toEqual(['now']);
    expect(numbers(await s.get('/_fleetwave/events', `after=${after + 1}`))).toEqual([]);
  });

  it('is 400 when it is not epoch milliseconds', async () => {
    const s = stack();
    for (const bad of ['soon', '-1', '1.5', '2026-01-01T00:00:00Z']) {
      const answer = await s.get('/_fleetwave/events', `after=${encodeURIComponent(bad)}`);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('after must be a time in epoch milliseconds');
    }
  });
});

describe('a cursor that fell off the log', () => {
  it('answers oldestSeq, and truncated when the entries a nextToken pointed at were pushed out', async () => {
    const s = stack(5);
    for (let i = 0; i < 5; i++) s.put();
    const first = await s.get('/_fleetwave/events', 'maxResults=2');
    expect(numbers(first)).toEqual([4, 3]);
    expect(first.body).toMatchObject({ oldestSeq: 0 });
    expect(first.body.truncated).toBeUndefined();
    // Still kept: the next page reads on without a gap.
    const second = await s.get('/_fleetwave/events', `maxResults=2&nextToken=${first.body.nextToken}`);
    expect(numbers(second)).toEqual([2, 1]);
    expect(second.body.truncated).toBeUndefined();
    // Four more push out 0..3: the entry the cursor points at (1) is gone.
    for (let i = 0; i < 4; i++) s.put();
    const third = await s.get('/_fleetwave/events', `maxResults=2&nextToken=${second.body.nextToken}`);
    expect(third.body).toMatchObject({ truncated: true, oldestSeq: 4 });
    expect(numbers(third)).toEqual([]);
  });
});
