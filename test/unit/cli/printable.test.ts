/**
 * Text from the network never reaches the terminal as control characters:
 * `printable` escapes them, event lines use it for every field, and JSON
 * lines escape what JSON.stringify leaves raw.
 */
import { describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../../cli/commands/events-feed.js';
import { eventLine } from '../../../cli/output/event-lines.js';
import { noPaint, printable, printableJson } from '../../../cli/output/terminal.js';

const ESC = '\u001b';
const hostile = `a${ESC}[2Jb\rc\nd\u202ee\u2066f\u2028g\u007fh\u009bi`;

describe('printable', () => {
  it('escapes C0, DEL, C1, line separators and bidi controls, and leaves other text alone', () => {
    expect(printable(hostile)).toBe('a\\x1b[2Jb\\x0dc\\x0ad\\u202ee\\u2066f\\u2028g\\x7fh\\x9bi');
    expect(printable('Release Started — wave 2 ✓ émoji 🚀')).toBe('Release Started — wave 2 ✓ émoji 🚀');
  });

  it('JSON text keeps its meaning with DEL, C1, U+2028 and bidi controls escaped', () => {
    const json = printableJson(JSON.stringify({ s: hostile }));
    // Nothing left to escape: the JSON line is already printable.
    expect(printable(json)).toBe(json);
    expect(JSON.parse(json)).toEqual({ s: hostile });
  });

  it('an event line and an SNS line print no control character from any field', () => {
    const event: FeedEntry = {
      kind: 'event',
      id: '1',
      at: Date.UTC(2026, 0, 1),
      receivedAt: Date.UTC(2026, 0, 1),
      seq: 0,
      data: {
        'detail-type': `Release${ESC}[31m Started`,
        source: `x\ry`,
        detail: { releaseId: `r\u202e1`, status: `OK\n`, waveNumber: 2 },
      },
    };
    const message: FeedEntry = {
      kind: 'sns',
      id: '2',
      at: Date.UTC(2026, 0, 1),
      receivedAt: Date.UTC(2026, 0, 1),
      seq: 0,
      data: {
        topicArn: `arn:aws:sns:us-east-1:1:t${ESC}op`,
        subject: `s\u2066u\u009bb`,
        messageAttributes: { releaseId: { StringValue: `r${ESC}2` } },
      },
    };
    for (const entry of [event, message]) {
      const line = eventLine(entry, noPaint);
      expect(printable(line)).toBe(line);
    }
    expect(eventLine(event, noPaint)).toContain('Release\\x1b[31m Started');
    expect(eventLine(event, noPaint)).toContain('releaseId=r\\u202e1 status=OK\\x0a wave=2');
    expect(eventLine(message, noPaint)).toContain('t\\x1bop');
  });
});
