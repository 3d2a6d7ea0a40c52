/**
 * The job and job-execution events AWS IoT publishes on its reserved MQTT
 * topics (`$aws/events/job/...`, `$aws/events/jobExecution/...`). Locally
 * there is no broker: whoever plays the part of an IoT topic rule subscribes
 * here and receives every event, synchronously, in publication order.
 */

export type JobEventListener = (topic: string, payload: object) => void;

/** A listener that reads only the topic: for it no payload is built. */
export type JobTopicListener = (topic: string) => void;

export interface JobEventBus {
  /** Receives every event published from now on; returns the unsubscribe function. */
  subscribe(listener: JobEventListener): () => void;
  /**
   * Receives the topic of every event published from now on; returns the
   * unsubscribe function. A rollout publishes an event per execution, so a
   * listener that needs no payload should say so.
   */
  subscribeTopics(listener: JobTopicListener): () => void;
}

type Subscription =
  | { readonly payloads: true; readonly listener: JobEventListener }
  | { readonly payloads: false; readonly listener: JobTopicListener };

/** The bus with its publishing side, kept inside the endpoint. */
export class InMemoryJobEventBus implements JobEventBus {
  private readonly subscriptions = new Set<Subscription>();
  /**
   * The subscriptions as they were when the set last changed: an event sees
   * the listeners of the moment it was published, and a rollout publishing
   * an event per execution does not copy the set each time.
   */
  private snapshot: readonly Subscription[] = [];
  private payloadSubscriptions = 0;

  subscribe(listener: JobEventListener): () => void {
    return this.add({ payloads: true, listener });
  }

  subscribeTopics(listener: JobTopicListener): () => void {
    return this.add({ payloads: false, listener });
  }

  /** True when someone listens: lets callers skip building topics nobody reads. */
  get hasListeners(): boolean {
    return this.subscriptions.size > 0;
  }

  /** True when a listener takes payloads: otherwise `publish` never builds one. */
  get hasPayloadListeners(): boolean {
    return this.payloadSubscriptions > 0;
  }

  /**
   * Publishes an event. `payload()` is called once, before any listener runs
   * (so every listener sees the state of the moment), and only when a
   * listener takes payloads.
   */
  publish(topic: string, payload: () => object): void {
    const built = this.payloadSubscriptions > 0 ? payload() : undefined;
    for (const subscription of this.snapshot) {
      if (subscription.payloads) subscription.listener(topic, built!);
      else subscription.listener(topic);
    }
  }

  private add(subscription: Subscription): () => void {
    this.subscriptions.add(subscription);
    this.snapshot = [...this.subscriptions];
    if (subscription.payloads) this.payloadSubscriptions++;
    return () => {
      if (!this.subscriptions.delete(subscription)) return;
      this.snapshot = [...this.subscriptions];
      if (subscription.payloads) this.payloadSubscriptions--;
    };
  }
}
