/**
 * The IoT topic rules of `serverless.yml` (JobEventsTopicRule,
 * JobExecutionEventsTopicRule) played locally: every job event, and the
 * FAILED, REJECTED and TIMED_OUT job-execution events, go to the
 * `iotJobEvents` function with the rule's event shape (`SELECT *, topic()
 * AS topic`: the payload plus its topic). The clock is held while the
 * handler runs, as for a workflow task, so a wake-up costs no virtual time.
 * Like an asynchronous Lambda invocation, a failed one is tried twice more.
 * Tests can drop events (`drop`) to play lost deliveries.
 */
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { JobEventBus } from '../iot/index.js';

/** The rules' SQL, as a predicate on (topic, payload). */
function matchesJobEventRules(topic: string, payload: object): boolean {
  if (topic.startsWith('$aws/events/job/')) return true;
  if (!topic.startsWith('$aws/events/jobExecution/')) return false;
  const { status } = payload as { status?: unknown };
  return status === 'FAILED' || status === 'REJECTED' || status === 'TIMED_OUT';
}

export interface JobEventRules {
  /** A test hook: events for which it returns true are lost (never delivered). */
  drop: ((topic: string, payload: object) => boolean) | undefined;
  /** Events handed to the function, and events dropped by `drop`. */
  readonly delivered: number;
  readonly dropped: number;
  /** Stops listening. */
  close(): void;
}

const ASYNC_INVOKE_ATTEMPTS = 3;

export function routeJobEvents(
  events: JobEventBus,
  clock: VirtualClock,
  invoke: (event: object) => Promise<unknown>,
): JobEventRules {
  let delivered = 0;
  let dropped = 0;
  const rules: JobEventRules = {
    drop: undefined,
    get delivered() {
      return delivered;
    },
    get dropped() {
      return dropped;
    },
    close: () => unsubscribe(),
  };
  const unsubscribe = events.subscribe((topic, payload) => {
    if (!matchesJobEventRules(topic, payload)) return;
    if (rules.drop?.(topic, payload)) {
      dropped++;
      return;
    }
    delivered++;
    const release = clock.hold();
    void (async () => {
      try {
        for (let attempt = 1; attempt <= ASYNC_INVOKE_ATTEMPTS; attempt++) {
          try {
            await invoke({ ...payload, topic });
            return;
          } catch (error) {
            if (attempt === ASYNC_INVOKE_ATTEMPTS) {
              console.warn(
                `iotJobEvents failed on ${topic}: ${error instanceof Error ? error.message : error}`,
              );
            }
          }
        }
      } finally {
        release();
      }
    })();
  });
  return rules;
}
