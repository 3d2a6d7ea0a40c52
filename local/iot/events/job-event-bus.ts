/**
 * The job and job-execution events AWS IoT publishes on its reserved MQTT
 * topics (`$aws/events/job/...`, `$aws/events/jobExecution/...`). Locally
 * there is no broker: whoever plays the part of an IoT topic rule subscribes
 * here and receives every event, synchronously, in publication order.
 */

export type JobEventListener = (topic: string, payload: object) => void;

export interface JobEventBus {
  /** Receives every event published from now on; returns the unsubscribe function. */
  subscribe(listener: JobEventListener): () => void;
}

/** The bus with its publishing side, kept inside the endpoint. */
export class InMemoryJobEventBus implements JobEventBus {
  private readonly listeners = new Set<JobEventListener>();

  subscribe(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** True when someone listens: lets callers skip building payloads nobody reads. */
  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  publish(topic: string, payload: object): void {
    for (const listener of [...this.listeners]) listener(topic, payload);
  }
}
