/**
 * `notify` and `notify-next`: when an external thing's pending queue may
 * have changed (`deviceJobs.onQueueChange`), its `ListNotification` (at most
 * 15 pending executions, IN_PROGRESS first, as AWS sends) goes to
 * `$aws/things/{thingName}/jobs/notify`, and its `NextNotification` to
 * `.../notify-next` only when the first execution changed (another job or
 * another attempt), `{timestamp}` alone once nothing is pending.
 * Nothing is built for a topic nobody subscribed to.
 */
import type { Clock } from '../clock/clock.js';
import type { DeviceJobs } from '../iot/device-jobs/device-jobs.js';
import { executionPayload, seconds, summaryPayload } from './jobs-payloads.js';
import { notifyNextTopic, notifyTopic } from './jobs-topics.js';

/** AWS: "A ListNotification contains a list of no more than 15 pending job executions." */
export const listNotificationLimit = 15;

export type Publish = (topic: string, payload: object) => void;

export class JobsNotifications {
  /** The execution each thing's last `notify-next` named (`jobId#executionNumber`, '' for none). */
  private readonly nextOf = new Map<string, string>();

  constructor(
    private readonly devices: DeviceJobs,
    private readonly clock: Clock,
    private readonly subscribed: (topic: string) => boolean,
    private readonly publish: Publish,
  ) {}

  /** Follows the device side's queue changes; returns the function that stops. */
  start(): () => void {
    return this.devices.onQueueChange((thingName) => {
      // The job store calls this in the middle of its own work: nothing here may throw into it.
      try {
        this.changed(thingName);
      } catch {
        this.nextOf.delete(thingName);
      }
    });
  }

  private changed(thingName: string): void {
    const listTopic = notifyTopic(thingName);
    if (this.subscribed(listTopic)) this.publish(listTopic, this.listNotification(thingName));
    const nextTopic = notifyNextTopic(thingName);
    // The first execution is followed even unheard, so a later subscriber is told only of real changes.
    const next = this.devices.next(thingName);
    const key = next === undefined ? '' : `${next.jobId}#${next.executionNumber}`;
    if ((this.nextOf.get(thingName) ?? '') === key) return;
    if (key === '') this.nextOf.delete(thingName);
    else this.nextOf.set(thingName, key);
    if (!this.subscribed(nextTopic)) return;
    const timestamp = seconds(this.clock.now());
    this.publish(
      nextTopic,
      next === undefined ? { timestamp } : { timestamp, execution: executionPayload(next) },
    );
  }

  private listNotification(thingName: string): object {
    const { inProgressJobs, queuedJobs } = this.devices.pending(thingName);
    const inProgress = inProgressJobs.slice(0, listNotificationLimit);
    const queued = queuedJobs.slice(0, listNotificationLimit - inProgress.length);
    return {
      timestamp: seconds(this.clock.now()),
      jobs: {
        ...(inProgress.length > 0 && { IN_PROGRESS: inProgress.map(summaryPayload) }),
        ...(queued.length > 0 && { QUEUED: queued.map(summaryPayload) }),
      },
    };
  }
}
