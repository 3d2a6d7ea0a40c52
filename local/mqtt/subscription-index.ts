/**
 * Which `$aws/...` topic filters MQTT clients hold, so that the broker
 * builds a notification or a job event only when someone will receive it.
 * aedes keeps its own subscriptions but does not say whether a topic has
 * subscribers; this index follows its `subscribe`, `unsubscribe` and
 * `clientDisconnect` events (and a restored session's subscriptions). The
 * filters are kept in a {@link TopicTrie}: a match costs the depth of the
 * topic, however many filters (wildcards included) clients hold, since it
 * runs for every notification and job event.
 */
import { TopicTrie } from './topic-trie.js';

/** A filter that may match a topic under `$aws/events/`. */
const reachesEvents = (filter: string): boolean => {
  const [first, second] = filter.split('/');
  return first === '$aws' && (second === 'events' || second === '+' || second === '#');
};

export class SubscriptionIndex<Client extends object> {
  private readonly byClient = new Map<Client, Set<string>>();
  private readonly filters = new TopicTrie();
  private eventFilters = 0;
  private readonly eventListeners = new Set<(subscribed: boolean) => void>();

  /** Records the filters a client was granted; filters outside `$aws/` are not needed here. */
  add(client: Client, filters: readonly string[]): void {
    for (const filter of filters) {
      if (!filter.startsWith('$aws/')) continue;
      const own = this.byClient.get(client) ?? new Set<string>();
      this.byClient.set(client, own);
      if (own.has(filter)) continue;
      own.add(filter);
      this.count(filter, 1);
    }
  }

  /** Forgets filters the client unsubscribed from. */
  remove(client: Client, filters: readonly string[]): void {
    const own = this.byClient.get(client);
    if (own === undefined) return;
    for (const filter of filters) {
      if (own.delete(filter)) this.count(filter, -1);
    }
    if (own.size === 0) this.byClient.delete(client);
  }

  /** Forgets every filter of a client that went away. */
  drop(client: Client): void {
    const own = this.byClient.get(client);
    if (own !== undefined) this.remove(client, [...own]);
  }

  /** Whether any client's filter matches `topic`. */
  matches(topic: string): boolean {
    return this.filters.matches(topic);
  }

  /** Whether some filter may receive job events. */
  get eventsSubscribed(): boolean {
    return this.eventFilters > 0;
  }

  /** Calls `listener` when {@link eventsSubscribed} changes; returns the unsubscribe function. */
  onEventsSubscribed(listener: (subscribed: boolean) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private count(filter: string, by: 1 | -1): void {
    if (by === 1) this.filters.add(filter);
    else this.filters.remove(filter);
    if (!reachesEvents(filter)) return;
    const before = this.eventFilters > 0;
    this.eventFilters += by;
    if (before !== this.eventFilters > 0) for (const listener of this.eventListeners) listener(!before);
  }
}
