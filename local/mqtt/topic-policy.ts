/**
 * What a client connected with a device certificate may do: AWS's usual
 * jobs policy, `iot:Publish`, `iot:Subscribe` and `iot:Receive` on
 * `$aws/things/{thingName}/jobs/*` for the things the certificate is
 * attached to, nothing else. The plain TCP port (loopback only, no
 * identity) is not restricted.
 */
import { thingJobsPrefix } from './jobs-topics.js';

/** The thing whose jobs topic (or filter) this is, without wildcards in its name; undefined otherwise. */
function thingOf(topic: string): string | undefined {
  if (!topic.startsWith('$aws/things/')) return undefined;
  const thingName = topic.split('/')[2];
  if (thingName === undefined || thingName === '' || thingName === '+' || thingName === '#') return undefined;
  return topic.startsWith(thingJobsPrefix(thingName)) ? thingName : undefined;
}

/** Whether a client whose certificate is attached to `things` may publish on, or subscribe to, `topic`. */
export function allowedFor(things: readonly string[], topic: string): boolean {
  const thingName = thingOf(topic);
  return thingName !== undefined && things.includes(thingName);
}
