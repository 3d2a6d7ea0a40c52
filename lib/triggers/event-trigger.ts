/**
 * The shape of every event-trigger Lambda (an EventBridge rule's target, an
 * IoT topic rule's action), as `httpHandler` is for routes and
 * `workflowTask` for workflow tasks: parse the event with its schema, run
 * one use case, return its answer. The wrapper owns what each trigger would
 * otherwise repeat:
 *
 * - a malformed event: thrown as a `ValidationError` (Lambda retries, then
 *   the dead-letter queue keeps the event) or, where the trigger's contract
 *   says retrying cannot help, logged and dropped with a fixed answer;
 * - the logger: the Lambda context and the event's keys on every line of
 *   the invocation, removed after it;
 * - the IoT call scope: calls the use case makes are counted in the
 *   account's IoT call budget on the event's own clock, and always go (a
 *   trigger's caller does not wait in the workflow's queue).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { borrowingScope, withIotCallScope } from '../adapters/iot-call-scope.js';
import { toFieldProblems, ValidationError } from '../domain/errors.js';
import { logger } from '../logger.js';
import { withInvocationMetrics } from '../metrics/invocation-metrics.js';

/** A trigger's Lambda entry point (tests may call it without a context). */
export type TriggerHandler<R> = (event: unknown, context?: Context) => Promise<R>;

/** What a trigger's use case gets besides the parsed event. */
export interface TriggerContext {
  logger: Logger;
  /** The time the event says it happened (epoch ms), or the wall clock when it says none. */
  now: () => number;
}

/** What becomes of an event the schema refuses. */
type MalformedEventPolicy<R> =
  /** A wiring fault: throw, so Lambda retries and the dead-letter queue keeps the event. */
  | { kind: 'throw' }
  /** Retrying cannot help: log a warning with the problems and answer `answer`. */
  | { kind: 'drop'; answer: R };

/** How a trigger reads its event. */
export interface EventTriggerOptions<E, R> {
  /** What the trigger receives, e.g. `IoT job event`; names it in messages and logs. */
  what: string;
  schema: z.ZodType<E>;
  malformed: MalformedEventPolicy<R>;
  /** When the event happened (epoch ms; NaN when it does not say): the clock of its IoT calls. */
  eventTime: (event: E) => number;
  /** The keys every log line of the invocation carries (ids that let one follow the event). */
  logKeys: (event: E) => Record<string, unknown>;
}

/**
 * Builds a trigger's handler from how it reads its event and its use case.
 *
 * @example
 * export const handler = eventTrigger(
 *   { what: 'IoT job event', schema: jobEventSchema, malformed: { kind: 'drop', answer },
 *     eventTime: (e) => e.timestamp * 1000, logKeys: (e) => ({ jobId: e.jobId }) },
 *   (event) => handleJobEvent(waveWakeDeps(), event));
 */
export function eventTrigger<E, R>(
  options: EventTriggerOptions<E, R>,
  run: (event: E, ctx: TriggerContext) => Promise<R>,
): TriggerHandler<R> {
  return async (event, context) => {
    const log = logger();
    const parsed = options.schema.safeParse(event);
    if (!parsed.success) {
      if (options.malformed.kind === 'throw') {
        throw ValidationError.fromZod(`The trigger received a malformed ${options.what}.`, parsed.error);
      }
      log.warn(`${options.what} ignored: malformed`, { problems: toFieldProblems(parsed.error) });
      return options.malformed.answer;
    }
    const time = options.eventTime(parsed.data);
    const now = () => (Number.isFinite(time) ? time : Date.now());
    if (context) log.addContext(context);
    log.appendKeys(options.logKeys(parsed.data));
    try {
      return await withInvocationMetrics(() =>
        withIotCallScope(borrowingScope(time), () => run(parsed.data, { logger: log, now })),
      );
    } finally {
      log.resetKeys();
    }
  };
}
