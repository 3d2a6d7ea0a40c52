/**
 * Which `$aws/...` topic filters MQTT clients hold, so that the broker
 * builds a notification or a job event only when someone will receive it.
 * aedes keeps its own subscriptions but does not say whether a topic has
 * subscribers; this index follows its `subscribe`, `unsubscribe` and
 * `clientDisconnect` events. Exact filters are a map lookup; wildcard
 * filters are kept under their literal head (`$aws/things/dev-1/jobs/` for
 * `$aws/things/dev-1/jobs/+/accepted`), so a topic is matched only against
 * the filters of its own heads, however many devices subscribed.
 */
import { filterMatches } from './jobs-topics.js';

const counted = (map: Map<string, number>, key: string, by: 1 | -1): void => {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
};

/** A filter that may match a topic under `$aws/events/`. */
const reachesEvents = (filter: string): boolean => {
  const [first, second] = filter.split('/');
  return first === '$aws' && (second === 'events' || second === '+' || second === '#');
};

export class SubscriptionIndex<Client extends object> {
  private readonly byClient = new Map<Client, Set<string>>();
  private readonly exact = new Map<string, number>();
  /** Wildcard filters and their counts, by literal head. */
  private readonly wildcards = new Map<string, Map<string, number>>();
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
    if (this.exact.has(topic)) return true;
    if (this.wildcards.size === 0) return false;
    // `a/#` also matches `a`: the topic itself is a head too.
    if (this.matchesUnder(`${topic}/`, topic)) return true;
    for (let at = topic.indexOf('/'); at !== -1; at = topic.indexOf('/', at + 1)) {
      if (this.matchesUnder(topic.slice(0, at + 1), topic)) return true;
    }
    return false;
  }

  private matchesUnder(head: string, topic: string): boolean {
    const filters = this.wildcards.get(head);
    if (filters === undefined) return false;
    for (const filter of filters.keys()) if (filterMatches(filter, topic)) return true;
    return false;
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
    const wildcard = filter.search(/[+#]/);
    if (wildcard === -1) counted(this.exact, filter, by);
    else {
      const head = filter.slice(0, filter.lastIndexOf('/', wildcard) + 1);
      const filters = this.wildcards.get(head) ?? new Map<string, number>();
      counted(filters, filter, by);
      if (filters.size > 0) this.wildcards.set(head, filters);
      else this.wildcards.delete(head);
    }
    if (!reachesEvents(filter)) return;
    const before = this.eventFilters > 0;
    this.eventFilters += by;
    if (before !== this.eventFilters > 0) for (const listener of this.eventListeners) listener(!before);
  }
}
