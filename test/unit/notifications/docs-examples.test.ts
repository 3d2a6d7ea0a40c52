/** The examples of docs/events.md are valid events: the documentation cannot drift from the schemas. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notificationDetailTypes, parseNotification } from '../../../lib/domain/notifications.js';
import { compileEventPattern } from '../../../local/eventbridge/event-pattern.js';

const markdown = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
const blocks = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]!) as Record<string, unknown>,
);
const events = blocks.filter((b) => 'version' in b);
const patterns = blocks.filter((b) => !('version' in b));

describe('docs/events.md', () => {
  it('shows one example of every detail type', () => {
    expect(events.map((e) => e['detail-type'])).toEqual([...notificationDetailTypes]);
  });

  it.each(events.map((e) => [e['detail-type'], e] as const))('has a valid %s example', (_type, event) => {
    const parsed = parseNotification(event.source, event['detail-type'], event.detail);
    expect(parsed).toBeDefined();
  });

  it('has rule examples that are valid patterns and match some example event', () => {
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      const rule = compileEventPattern(pattern);
      expect(events.some((e) => rule.matches(e))).toBe(true);
    }
  });
});
