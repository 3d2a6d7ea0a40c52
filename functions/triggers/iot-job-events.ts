/**
 * IoT job events: the target of the IoT topic rules on `$aws/events/job/#`
 * and `$aws/events/jobExecution/#`. Records what the event says about a
 * wave's job and wakes the wave's workflow when it must be judged again
 * (`lib/workflow/job-event.ts`). A malformed event or one about a job that
 * is not a running wave's own is logged and dropped: retrying cannot help.
 */
import { toFieldProblems } from '../../lib/domain/errors.js';
import { logger } from '../../lib/logger.js';
import { handleJobEvent, type JobEventOutcome, jobEventSchema } from '../../lib/workflow/job-event.js';
import { waveWakeDeps } from '../../lib/workflow/wave-wake-deps.js';

export async function handler(event: unknown): Promise<JobEventOutcome> {
  const log = logger();
  const parsed = jobEventSchema.safeParse(event);
  if (!parsed.success) {
    log.warn('IoT job event ignored: malformed', { problems: toFieldProblems(parsed.error) });
    return { outcome: 'ignored', why: 'malformed event' };
  }
  const { jobId, operation, eventType, topic } = parsed.data;
  const outcome = await handleJobEvent(waveWakeDeps(), parsed.data);
  if (outcome.outcome === 'ignored')
    log.info('IoT job event ignored', { jobId, eventType, operation, topic, why: outcome.why });
  else log.info('IoT job event handled', { jobId, eventType, operation, ...outcome });
  return outcome;
}
