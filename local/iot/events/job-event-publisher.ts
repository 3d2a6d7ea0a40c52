/**
 * Publishes the job and job-execution events of the job store on the bus,
 * stamped with virtual time. Payloads are only built when someone listens to
 * them: a 100,000-execution cancel must not build 100,000 unread objects.
 */
import type { Clock } from '../../clock/clock.js';
import type { ExecutionRecord, JobRecord } from '../jobs/job-records.js';
import type { InMemoryJobEventBus } from './job-event-bus.js';
import {
  type JobEventOperation,
  jobEventPayload,
  jobEventTopic,
  jobExecutionEventPayload,
  jobExecutionEventTopic,
} from './job-event-payloads.js';

export class JobEventPublisher {
  /** The execution topics of the job published for last, by operation: a rollout publishes a million of them. */
  private topicsOf: { jobId: string; byOperation: Map<string, string> } | undefined;

  constructor(
    private readonly bus: InMemoryJobEventBus,
    private readonly clock: Clock,
  ) {}

  job(job: JobRecord, operation: JobEventOperation): void {
    if (!this.bus.hasListeners) return;
    const now = this.clock.now();
    this.bus.publish(jobEventTopic(job.jobId, operation), () => jobEventPayload(job, operation, now));
  }

  /** `execution()` builds the execution's record, only when someone listens. */
  execution(jobId: string, operation: string, execution: () => ExecutionRecord): void {
    if (!this.bus.hasListeners) return;
    const now = this.clock.now();
    this.bus.publish(this.executionTopic(jobId, operation), () =>
      jobExecutionEventPayload(execution(), operation, now),
    );
  }

  private executionTopic(jobId: string, operation: string): string {
    if (this.topicsOf?.jobId !== jobId) this.topicsOf = { jobId, byOperation: new Map() };
    let topic = this.topicsOf.byOperation.get(operation);
    if (topic === undefined) {
      topic = jobExecutionEventTopic(jobId, operation);
      this.topicsOf.byOperation.set(operation, topic);
    }
    return topic;
  }
}
