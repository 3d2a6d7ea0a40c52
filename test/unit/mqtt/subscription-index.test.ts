/**
 * The broker's index of `$aws/...` subscriptions: which topics have a
 * subscriber, by exact filter or wildcard, per client, and when a filter
 * that may receive job events comes and goes.
 */
import { describe, expect, it } from 'vitest';
import { parseJobsTopic } from '../../../local/mqtt/jobs-topics.js';
import { SubscriptionIndex } from '../../../local/mqtt/subscription-index.js';

describe('the subscription index', () => {
  it('matches exact and wildcard filters, `#` including the parent level, never a `$` topic by a leading wildcard', () => {
    const index = new SubscriptionIndex<object>();
    const a = {};
    index.add(a, [
      '$aws/things/d1/jobs/notify',
      '$aws/things/d2/jobs/+/get/accepted',
      '$aws/things/d3/jobs/#',
    ]);
    index.add(a, ['#', '+/things/d4/jobs/notify', 'telemetry/d1']);
    expect(index.matches('$aws/things/d1/jobs/notify')).toBe(true);
    expect(index.matches('$aws/things/d1/jobs/notify-next')).toBe(false);
    expect(index.matches('$aws/things/d2/jobs/job-7/get/accepted')).toBe(true);
    expect(index.matches('$aws/things/d2/jobs/job-7/get/rejected')).toBe(false);
    expect(index.matches('$aws/things/d3/jobs')).toBe(true);
    expect(index.matches('$aws/things/d3/jobs/a/b/c')).toBe(true);
    expect(index.matches('$aws/things/d4/jobs/notify')).toBe(false);
  });

  it('matches among 20,000 wildcard filters under a leading `+`, and forgets them all', () => {
    const index = new SubscriptionIndex<object>();
    const a = {};
    const filters = Array.from({ length: 20_000 }, (_, i) => `$aws/+/f${i}/#`);
    index.add(a, filters);
    expect(index.matches('$aws/x/f19999/y/z')).toBe(true);
    expect(index.matches('$aws/x/f19999')).toBe(true);
    expect(index.matches('$aws/x/f20000/y')).toBe(false);
    expect(index.matches('$aws/events/jobExecution/job-1/succeeded')).toBe(false);
    index.remove(a, filters.slice(1));
    expect(index.matches('$aws/x/f0/y')).toBe(true);
    expect(index.matches('$aws/x/f1/y')).toBe(false);
    index.drop(a);
    expect(index.matches('$aws/x/f0/y')).toBe(false);
  });

  it('forgets what a client unsubscribed from, and everything of a client that went away, counting shared filters', () => {
    const index = new SubscriptionIndex<object>();
    const [a, b] = [{}, {}];
    index.add(a, ['$aws/things/d1/jobs/notify', '$aws/things/d1/jobs/+']);
    index.add(b, ['$aws/things/d1/jobs/notify']);
    index.remove(a, ['$aws/things/d1/jobs/notify']);
    expect(index.matches('$aws/things/d1/jobs/notify')).toBe(true);
    index.drop(b);
    expect(index.matches('$aws/things/d1/jobs/notify')).toBe(true);
    index.drop(a);
    expect(index.matches('$aws/things/d1/jobs/notify')).toBe(false);
  });

  it('says when job events gain their first subscriber and lose their last', () => {
    const index = new SubscriptionIndex<object>();
    const changes: boolean[] = [];
    index.onEventsSubscribed((subscribed) => changes.push(subscribed));
    const [a, b] = [{}, {}];
    index.add(a, ['$aws/things/d1/jobs/notify']);
    index.add(a, ['$aws/events/job/+/completed']);
    index.add(b, ['$aws/+/jobExecution/#']);
    index.drop(a);
    index.remove(b, ['$aws/+/jobExecution/#']);
    expect(changes).toEqual([true, false]);
    expect(index.eventsSubscribed).toBe(false);
  });
});

describe('the jobs topics', () => {
  it('name the requests, and nothing the service publishes itself', () => {
    expect(parseJobsTopic('$aws/things/d1/jobs/get')).toEqual({ kind: 'get-pending', thingName: 'd1' });
    expect(parseJobsTopic('$aws/things/d1/jobs/$next/get')).toEqual({
      kind: 'describe',
      thingName: 'd1',
      jobId: '$next',
    });
    expect(parseJobsTopic('$aws/things/d1/jobs/j/update')).toMatchObject({ kind: 'update', jobId: 'j' });
    expect(parseJobsTopic('$aws/things/d1/jobs/j/delete')).toEqual({ kind: 'invalid', thingName: 'd1' });
    for (const topic of [
      '$aws/things/d1/jobs/get/accepted',
      '$aws/things/d1/jobs/j/update/rejected',
      '$aws/things/d1/jobs/notify',
      '$aws/things/d1/jobs/notify-next',
      '$aws/things/d1/shadow/update',
      'things/d1/jobs/get',
    ]) {
      expect(parseJobsTopic(topic)).toBeUndefined();
    }
  });
});
