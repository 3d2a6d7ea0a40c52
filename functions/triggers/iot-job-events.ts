/**
 * IoT job events: the target of the IoT topic rules on `$aws/events/job/#`
 * and `$aws/events/jobExecution/#`. Records what the event says about a
 * wave's job and wakes the wave's workflow when it must be judged again
 * (`lib/workflow/job-event.ts`). A malformed event or one about a job that
 * is not a running wave's own is logged and dropped: retrying cannot help.
 */
import { eventTrigger } from '../../lib/triggers/event-trigger.js';
import { handleJobEvent, jobEventSchema } from '../../lib/workflow/job-event.js';
import { waveWakeDeps } from '../../lib/workflow/wave-wake-deps.js';

export const handler = eventTrigger(
  {
    what: 'IoT job event',
    schema: jobEventSchema,
    malformed: { kind: 'drop', answer: { outcome: 'ignored', why: 'malformed event' } },
    eventTime: (event) => event.timestamp * 1000,
    logKeys: ({ jobId, eventType, operation, topic }) => ({ jobId, eventType, operation, topic }),
  },
  async (event, { logger }) => {
    const outcome = await handleJobEvent(waveWakeDeps(), event);
    if (outcome.outcome === 'ignored') logger.info('IoT job event ignored', { why: outcome.why });
    else logger.info('IoT job event handled', { ...outcome });
    return outcome;
  },
);
