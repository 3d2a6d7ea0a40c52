/**
 * The job and job-execution events (`$aws/events/job/...`,
 * `$aws/events/jobExecution/...`) published to MQTT subscribers. The bridge
 * listens to the event bus, with payloads, only while some client holds a
 * filter that may match an event topic: a rollout publishes an event per
 * execution, and nobody should pay for payloads nobody reads.
 */
import type { JobEventBus } from '../iot/events/job-event-bus.js';
import type { Publish } from './jobs-notifications.js';
import type { SubscriptionIndex } from './subscription-index.js';

/** Starts the bridge; returns the function that stops it. */
export function bridgeJobEvents(
  events: JobEventBus,
  subscriptions: SubscriptionIndex<object>,
  publish: Publish,
): () => void {
  let listening: (() => void) | undefined;
  const follow = (subscribed: boolean) => {
    if (subscribed && listening === undefined) {
      listening = events.subscribe((topic, payload) => {
        if (subscriptions.matches(topic)) publish(topic, payload);
      });
    } else if (!subscribed && listening !== undefined) {
      listening();
      listening = undefined;
    }
  };
  const stopFollowing = subscriptions.onEventsSubscribed(follow);
  follow(subscriptions.eventsSubscribed);
  return () => {
    stopFollowing();
    follow(false);
  };
}
