/**
 * How many topic filters one connection may hold. AWS IoT Core allows 50
 * subscriptions per connection (and 8 filters per SUBSCRIBE); here a
 * filter beyond 50 is refused in the SUBACK (128, or 0x87 at MQTT 5), so
 * that no client can make every topic match slow for the others.
 */
import type { Client } from 'aedes';

/** AWS IoT Core's default quota of subscriptions per connection. */
export const maxSubscriptionsPerClient = 50;

export class SubscriptionCap {
  /** Filters granted in a SUBSCRIBE aedes may not have added to the client yet, by client. */
  private readonly pending = new WeakMap<Client, Set<string>>();

  constructor(private readonly limit: number) {}

  /** Whether `client` may hold one more filter, `filter`; a filter it already holds always may. */
  take(client: Client, filter: string): boolean {
    const held = (client as unknown as { subscriptions?: Record<string, unknown> }).subscriptions;
    if (held?.[filter] !== undefined) return true;
    const pending = this.pending.get(client) ?? new Set<string>();
    if (pending.has(filter)) return true;
    // aedes adds a SUBSCRIBE's filters one after the other: a pending one may be held already.
    let count = Object.keys(held ?? {}).length;
    for (const granted of pending) if (held?.[granted] === undefined) count++;
    if (count >= this.limit) return false;
    this.pending.set(client, pending.add(filter));
    return true;
  }

  /** aedes added (or refused) the client's SUBSCRIBE: its filters are counted by aedes from now on. */
  settled(client: Client): void {
    this.pending.delete(client);
  }
}
