/**
 * External things: things a real device plays, which the fleet simulator
 * never drives. A thing is external when its attribute `fleetwave:simulated`
 * is `"false"` (set with CreateThing or UpdateThing `attributePayload`); any
 * other value, or none, leaves it to the simulator. The registry keeps the
 * keys of the external things in a set, so the rollout asks "is this thing
 * external?" without building the thing's record, and a fleet with none pays
 * one size check.
 */

/** The attribute that marks a thing as played by a real device. */
const simulatedAttribute = 'fleetwave:simulated';

/** Whether a thing with these attributes is played by a real device. */
function isExternalByAttributes(attributes: Readonly<Record<string, string>> | undefined): boolean {
  return attributes?.[simulatedAttribute] === 'false';
}

/** The registry keys of the external things. */
export class ExternalThings {
  private readonly keys = new Set<number>();
  private readonly returnListeners = new Set<(key: number) => void>();

  /** Records what the thing at `key` is now, from its attributes. */
  set(key: number, attributes: Readonly<Record<string, string>> | undefined): void {
    if (isExternalByAttributes(attributes)) this.keys.add(key);
    else if (this.keys.delete(key)) for (const listener of [...this.returnListeners]) listener(key);
  }

  /** Calls `listener` with the key of a thing that stops being external; returns the unsubscribe function. */
  onReturn(listener: (key: number) => void): () => void {
    this.returnListeners.add(listener);
    return () => {
      this.returnListeners.delete(listener);
    };
  }

  has(key: number): boolean {
    return this.keys.size > 0 && this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }

  /** The keys, in the order they became external. */
  values(): IterableIterator<number> {
    return this.keys.values();
  }
}
