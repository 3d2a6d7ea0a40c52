/**
 * The names of AWS's jobs topics (AWS IoT "Jobs device MQTT API"): which
 * request a published topic is, and where answers and notifications go.
 */

/** A request a device publishes under `$aws/things/{thingName}/jobs/`. */
export type JobsRequest =
  | { kind: 'get-pending'; thingName: string }
  | { kind: 'start-next'; thingName: string }
  | { kind: 'describe'; thingName: string; jobId: string }
  | { kind: 'update'; thingName: string; jobId: string }
  /** Under the jobs namespace but no operation: answered `InvalidTopic`. */
  | { kind: 'invalid'; thingName: string };

const answerSuffixes = new Set(['accepted', 'rejected']);

/**
 * The request `topic` makes, or undefined for a topic that is no request:
 * outside `$aws/things/+/jobs/`, or one of the topics the service itself
 * publishes (`/accepted`, `/rejected`, `notify`, `notify-next`), which a
 * request must never answer or it would answer its own answers.
 */
export function parseJobsTopic(topic: string): JobsRequest | undefined {
  if (!topic.startsWith('$aws/things/')) return undefined;
  const levels = topic.split('/');
  const thingName = levels[2];
  if (levels[3] !== 'jobs' || thingName === undefined || thingName === '') return undefined;
  const rest = levels.slice(4);
  const last = rest.at(-1);
  if (last !== undefined && answerSuffixes.has(last)) return undefined;
  if (rest.length === 1 && (rest[0] === 'notify' || rest[0] === 'notify-next')) return undefined;
  if (rest.length === 1 && rest[0] === 'get') return { kind: 'get-pending', thingName };
  if (rest.length === 1 && rest[0] === 'start-next') return { kind: 'start-next', thingName };
  const [jobId, verb] = rest;
  if (rest.length === 2 && jobId !== undefined && jobId !== '') {
    if (verb === 'get') return { kind: 'describe', thingName, jobId };
    if (verb === 'update') return { kind: 'update', thingName, jobId };
  }
  return { kind: 'invalid', thingName };
}

/** The prefix every jobs topic of a thing shares. */
export const thingJobsPrefix = (thingName: string): string => `$aws/things/${thingName}/jobs/`;

/** `ListNotification`s: the thing's pending executions. */
export const notifyTopic = (thingName: string): string => `${thingJobsPrefix(thingName)}notify`;

/** `NextNotification`s: the thing's next execution. */
export const notifyNextTopic = (thingName: string): string => `${thingJobsPrefix(thingName)}notify-next`;
