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

/** Stands in for a payload nobody reads: the bus never calls it. */
const noPayload = (): object => ({});

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

  /**
   * `executions.record(position)` builds the execution's record, only when
   * someone reads payloads; a rollout whose listeners read topics only (the
   * simulator's, a benchmark's) builds no closure either.
   */
  execution(
    jobId: string,
    operation: string,
    executions: { record(position: number): ExecutionRecord },
    position: number,
  ): void {
    if (!this.bus.hasListeners) return;
    const topic = this.executionTopic(jobId, operation);
    if (!this.bus.hasPayloadListeners) {
      this.bus.publish(topic, noPayload);
      return;
    }
    const now = this.clock.now();
    this.bus.publish(topic, () => jobExecutionEventPayload(executions.record(position), operation, now));
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
