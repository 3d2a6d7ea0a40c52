/** EventPublisher's reading of PutEvents answers, with a fake client: partial failures, throttling, batching. */
import type {
  PutEventsCommand,
  PutEventsCommandOutput,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventPublisher } from '../../../lib/adapters/event-publisher.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';
import { buildNotification, notificationDetailTypes } from '../../../lib/domain/notifications.js';
import { notificationInputs, sampleNotification } from './fixtures.js';

type Answer = (command: PutEventsCommand) => PutEventsResultEntry[];

/** A client whose PutEvents answers come from `answer`; it records every command. */
function fakeClient(answer: Answer = (c) => (c.input.Entries ?? []).map((_, i) => ({ EventId: `id-${i}` }))) {
  const calls: PutEventsCommand[] = [];
  return {
    calls,
    send: async (command: PutEventsCommand): Promise<PutEventsCommandOutput> => {
      calls.push(command);
      const entries = answer(command);
      return { $metadata: {}, FailedEntryCount: entries.filter((e) => e.ErrorCode).length, Entries: entries };
    },
  };
}

const config = { eventBusName: 'fleetwave-releases', throttleRetryAfterSeconds: 3 };
const publisherWith = (client: ReturnType<typeof fakeClient> | { send: () => Promise<never> }) =>
  new EventPublisher(client as never, config);

describe('EventPublisher', () => {
  it('puts each event on the configured bus with its source, type, detail, time and resources', async () => {
    const client = fakeClient();
    const event = sampleNotification('Wave Failed');
    const published = await publisherWith(client).publish(event);
    expect(published).toEqual({ eventId: 'id-0', notificationId: 'fw-2-4-0/wave-failed/w02' });
    expect(client.calls[0]?.input.Entries).toEqual([
      {
        EventBusName: 'fleetwave-releases',
        Source: 'fleetwave',
        DetailType: 'Wave Failed',
        Detail: JSON.stringify(event.detail),
        Time: new Date(event.time),
        Resources: ['arn:aws:iot:us-east-1:123456789012:job/fw-2-4-0-w02'],
      },
    ]);
  });

  it('fails the call when one entry of the batch failed, naming it', async () => {
    const client = fakeClient((c) =>
      (c.input.Entries ?? []).map((_, i) =>
        i === 1 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `id-${i}` },
      ),
    );
    const events = notificationDetailTypes.slice(0, 3).map((t) => sampleNotification(t));
    const attempt = publisherWith(client).publishAll(events);
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toThrow(
      'EventBridge refused 1 of 3 events: fw-2-4-0/wave-started/w02: InternalFailure',
    );
  });

  it('reports a throttled entry as ThrottledError', async () => {
    const client = fakeClient(() => [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }]);
    const attempt = publisherWith(client).publish(sampleNotification('Release Started'));
    await expect(attempt).rejects.toBeInstanceOf(ThrottledError);
    await expect(attempt).rejects.toMatchObject({ retryAfterSeconds: 3 });
  });

  it('reports an answer without a result for an entry as a failure', async () => {
    const client = fakeClient(() => []);
    await expect(publisherWith(client).publish(sampleNotification('Release Started'))).rejects.toThrow(
      'MissingResult',
    );
  });

  it('translates a throttled call and any other SDK error', async () => {
    const failing = (name: string) => ({
      send: async (): Promise<never> => {
        throw Object.assign(new Error(name), { name });
      },
    });
    await expect(
      publisherWith(failing('ThrottlingException')).publish(sampleNotification('Release Started')),
    ).rejects.toBeInstanceOf(ThrottledError);
    await expect(
      publisherWith(failing('AccessDeniedException')).publish(sampleNotification('Release Started')),
    ).rejects.toMatchObject({ name: 'UpstreamError', upstreamName: 'AccessDeniedException' });
  });

  it('splits many events into PutEvents calls of at most 10 entries, in order', async () => {
    const client = fakeClient();
    const events = Array.from({ length: 23 }, (_, i) =>
      buildNotification('Wave Started', { ...notificationInputs['Wave Started'], waveNumber: i + 1 }),
    );
    const published = await publisherWith(client).publishAll(events);
    expect(client.calls.map((c) => c.input.Entries?.length)).toEqual([10, 10, 3]);
    expect(published.map((p) => p.notificationId)).toEqual(events.map((e) => e.detail.notificationId));
  });

  it('splits a batch that would exceed 256 KB', async () => {
    const client = fakeClient();
    const long = 'x'.repeat(100 * 1024);
    const events = Array.from({ length: 3 }, () =>
      buildNotification('Release Started', { ...notificationInputs['Release Started'], description: long }),
    );
    await publisherWith(client).publishAll(events);
    expect(client.calls.map((c) => c.input.Entries?.length)).toEqual([2, 1]);
  });
});
