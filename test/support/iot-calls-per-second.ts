/**
 * Counts the calls reaching chosen IoT operations of a local stack, per
 * second of virtual time: a fault that never fires (rate 0) counts the
 * requests it matches, and a timer on the stack's clock reads the counts
 * each virtual second. Used where a test or a benchmark checks a rate.
 */
import type { LocalStack } from '../../local/endpoints.js';

export interface IotCallCounter {
  /** Calls per virtual second so far, by operation (the second in progress included once stopped). */
  perSecond(operation: string): number[];
  /** The busiest virtual second's count of `operation`. */
  peak(operation: string): number;
  /** Every call of `operation` counted. */
  total(operation: string): number;
  /** Stops counting and removes the counting faults. */
  stop(): void;
}

export function countIotCallsPerSecond(stack: LocalStack, operations: readonly string[]): IotCallCounter {
  const counters = operations.map((operation) => ({
    operation,
    id: stack.iot.faults.add({ operation, error: 'ThrottlingException', rate: 0 }).id,
  }));
  const matched = (id: string) => stack.iot.faults.list().find((f) => f.id === id)?.matched ?? 0;
  const seconds = new Map<string, number[]>(operations.map((op) => [op, []]));
  let last = counters.map(() => 0);
  let counting = true;
  const read = () => {
    const now = counters.map((c) => matched(c.id));
    for (const [i, c] of counters.entries()) seconds.get(c.operation)?.push((now[i] ?? 0) - (last[i] ?? 0));
    last = now;
  };
  const tick = () => {
    if (!counting) return;
    read();
    stack.clock.schedule(stack.clock.now() + 1000, tick);
  };
  stack.clock.schedule(stack.clock.now() + 1000, tick);
  const of = (operation: string) => seconds.get(operation) ?? [];
  return {
    perSecond: of,
    peak: (operation) => Math.max(0, ...of(operation)),
    total: (operation) => of(operation).reduce((a, b) => a + b, 0),
    stop() {
      if (!counting) return;
      counting = false;
      read();
      const ids = new Set(counters.map((c) => c.id));
      for (const id of ids) stack.iot.faults.remove(id);
    },
  };
}
