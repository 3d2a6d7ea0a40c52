/**
 * The local stack's EventBridge and SNS logs with their admin routes, in
 * process and without a network: for tests of the routes and of what reads
 * them (`fleetwave events tail`).
 */

import { VirtualClock } from '../../local/clock/virtual-clock.js';
import { createEventBridgeService, eventBridgeAdminRoutes } from '../../local/eventbridge/index.js';
import type { AdminResponse } from '../../local/iot/http/admin-routes.js';
import { createSnsService, snsAdminRoutes } from '../../local/sns/index.js';

/** A manual clock at 2026-01-01, an EventBridge and an SNS (topic `notifications`) keeping `capacity` entries each. */
export function localLogs(capacity = 1000) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
  const events = createEventBridgeService({ clock, maxRecordedEvents: capacity });
  const sns = createSnsService({
    clock,
    region: 'us-east-1',
    accountId: '123456789012',
    maxRecordedMessages: capacity,
  });
  const topicArn = sns.createTopic('notifications');
  const routes = [...eventBridgeAdminRoutes(events), ...snsAdminRoutes(sns)];
  /** The admin route's answer to GET `path` with `query`; undefined when no route has that path. */
  const get = async (path: string, query: URLSearchParams): Promise<AdminResponse | undefined> => {
    const route = routes.find(([, p]) => p === path);
    return route?.[2]({ method: 'GET', path, params: {}, query, body: undefined, headers: {} });
  };
  let n = 0;
  /** Puts `count` events numbered by `detail.n`; `time` is the sender's own `Time`, in epoch seconds. */
  const put = (count: number, detailType = 'Numbered', time?: number) => {
    for (let i = 0; i < count; i++) {
      events.putEvents({
        Entries: [{ Source: 'test', DetailType: detailType, Detail: JSON.stringify({ n: n++ }), Time: time }],
      });
    }
  };
  const publish = (message: string) => sns.publish({ TopicArn: topicArn, Message: message });
  return { clock, get, put, publish };
}
