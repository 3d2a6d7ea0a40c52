import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.js';
import { MAX_SUBJECT_LENGTH, notificationText } from '../../../lib/domain/notification-text.js';
import {
  buildNotification,
  NOTIFICATION_SCHEMA_VERSION,
  NOTIFICATION_SOURCE,
  notificationDetailTypes,
  notificationIdOf,
  parseNotification,
} from '../../../lib/domain/notifications.js';
import { compileEventPattern } from '../../../local/eventbridge/event-pattern.js';
import { notificationInputs, sampleNotification } from './fixtures.js';

describe('notification builders', () => {
  it.each(notificationDetailTypes)('builds a valid %s event', (type) => {
    const event = sampleNotification(type);
    expect(event.source).toBe('fleetwave');
    expect(event.detailType).toBe(type);
    expect(event.detail.schemaVersion).toBe(NOTIFICATION_SCHEMA_VERSION);
    expect(event.time).toBe(event.detail.occurredAt);
  });

  it('derives the deduplication id from the release, the type and the wave', () => {
    expect(sampleNotification('Wave Failed').detail.notificationId).toBe('fw-2-4-0/wave-failed/w02');
    expect(sampleNotification('Release Succeeded').detail.notificationId).toBe('fw-2-4-0/release-succeeded');
    expect(notificationIdOf('Release Awaiting Approval', 'r', 12)).toBe('r/release-awaiting-approval/w12');
  });

  it('gives the same id to the same event published twice', () => {
    const again = buildNotification('Wave Failed', {
      ...notificationInputs['Wave Failed'],
      occurredAt: '2026-01-01T10:00:05.000Z',
      finishedAt: '2026-01-01T10:00:05.000Z',
    });
    expect(again.detail.notificationId).toBe(sampleNotification('Wave Failed').detail.notificationId);
  });

  it("names the wave's IoT job ARN as the event's resource", () => {
    expect(sampleNotification('Wave Failed').resources).toEqual([
      'arn:aws:iot:us-east-1:123456789012:job/fw-2-4-0-w02',
    ]);
    expect(sampleNotification('Release Started').resources).toEqual([]);
  });

  it('refuses a detail with a bad field, naming it', () => {
    let thrown: unknown;
    try {
      buildNotification('Wave Started', { ...notificationInputs['Wave Started'], waveNumber: 0 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details.map((d) => d.path)).toContain('waveNumber');
  });

  it('refuses unknown fields, so a typo never reaches a published contract', () => {
    const input = { ...notificationInputs['Release Succeeded'], finshedAt: 'x' };
    expect(() => buildNotification('Release Succeeded', input)).toThrow(ValidationError);
  });

  it('refuses a link that is not an http(s) URL', () => {
    const input = { ...notificationInputs['Release Succeeded'], links: { release: 'javascript:alert(1)' } };
    expect(() => buildNotification('Release Succeeded', input)).toThrow(ValidationError);
  });
});

describe('parseNotification', () => {
  it('reads back what was built', () => {
    const event = sampleNotification('Wave Succeeded');
    const parsed = parseNotification(
      event.source,
      event.detailType,
      JSON.parse(JSON.stringify(event.detail)),
    );
    expect(parsed?.detail).toEqual(event.detail);
  });

  it('refuses another source, an unknown type or a malformed detail', () => {
    const { detail } = sampleNotification('Release Failed');
    expect(parseNotification('aws.iot', 'Release Failed', detail)).toBeUndefined();
    expect(parseNotification(NOTIFICATION_SOURCE, 'Release Exploded', detail)).toBeUndefined();
    expect(
      parseNotification(NOTIFICATION_SOURCE, 'Release Failed', { ...detail, reason: '' }),
    ).toBeUndefined();
  });
});

describe('rules users write against the events', () => {
  const asEventBridgeEvent = (type: (typeof notificationDetailTypes)[number]) => {
    const e = sampleNotification(type);
    return { source: e.source, 'detail-type': e.detailType, detail: e.detail, resources: e.resources };
  };

  it('a rule for failures of any kind matches Wave Failed and Release Failed only', () => {
    const rule = compileEventPattern({ source: ['fleetwave'], 'detail-type': [{ suffix: 'Failed' }] });
    const matched = notificationDetailTypes.filter((t) => rule.matches(asEventBridgeEvent(t)));
    expect(matched).toEqual(['Wave Failed', 'Release Failed']);
  });

  it('a rule on a failure share matches the detail figures', () => {
    const rule = compileEventPattern({ detail: { progress: { failedPercent: [{ numeric: ['>=', 10] }] } } });
    expect(rule.matches(asEventBridgeEvent('Wave Failed'))).toBe(true);
    expect(rule.matches(asEventBridgeEvent('Wave Succeeded'))).toBe(false);
  });
});

describe('notificationText', () => {
  it.each(notificationDetailTypes)('writes a one-line summary and a short subject for %s', (type) => {
    const text = notificationText(sampleNotification(type));
    expect(text.summary).not.toContain('\n');
    expect(text.subject).not.toContain('\n');
    expect(text.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(text.body.startsWith(text.summary)).toBe(true);
  });

  it('says why a wave failed and how many things failed', () => {
    const text = notificationText(sampleNotification('Wave Failed'));
    expect(text.subject).toBe('[fleetwave] Release fw-2-4-0: wave 2/3 failed');
    expect(text.summary).toContain('reaching the failure threshold of 10%');
    expect(text.body).toContain('Things failed: 12 of 100 (12%)');
    expect(text.body).toContain('IoT job: fw-2-4-0-w02');
  });

  it('tells an approver what waits and where to approve', () => {
    const text = notificationText(sampleNotification('Release Awaiting Approval'));
    expect(text.summary).toBe(
      'Release fw-2-4-0 is waiting for approval after wave 2/3, before wave 3 starts.',
    );
    expect(text.body).toContain('Approve or reject: https://api.example.com/releases/fw-2-4-0/approval');
  });

  it('says who canceled and why', () => {
    expect(notificationText(sampleNotification('Release Canceled')).summary).toBe(
      'Release fw-2-4-0 was canceled by arn:aws:iam::123456789012:user/alice: Rolled back by the on-call engineer.',
    );
  });

  it('keeps the subject within 100 characters for the longest release id', () => {
    const longId = 'r'.repeat(56);
    const event = buildNotification('Release Awaiting Approval', {
      ...notificationInputs['Release Awaiting Approval'],
      releaseId: longId,
    });
    expect(notificationText(event).subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
  });
});
