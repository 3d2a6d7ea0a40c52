/**
 * Makes IoT operations fail on purpose, with the real error names and
 * statuses, so callers' retry and error paths can be rehearsed. A fault
 * applies to one operation (or `*`) and fires either for the next `count`
 * calls, or at `rate` (0..1, drawn from a seeded generator so runs repeat
 * exactly), or both (at `rate`, at most `count` times). Without either it
 * fires on every call until cleared.
 */
import { z } from 'zod';
import { IotError, type IotErrorName, iotErrorNames } from '../errors.js';

export const faultSpecSchema = z.strictObject({
  /** An operation name as the SDK command without `Command` (`CreateJob`), or `*` for every operation. */
  operation: z.string().regex(/^(\*|[A-Z][A-Za-z]+)$/, 'must be an operation name such as CreateJob, or *'),
  error: z.enum(iotErrorNames as [IotErrorName, ...IotErrorName[]]),
  count: z.number().int().min(1).optional(),
  rate: z.number().min(0).max(1).optional(),
  message: z.string().min(1).optional(),
  /** Seed of this fault's random draws (rate faults); 1 when absent. */
  seed: z.number().int().optional(),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** A fault as listed: its spec, an id, and what it has done so far. */
export interface Fault extends FaultSpec {
  readonly id: string;
  /** Calls the fault matched (whether it fired or not). */
  matched: number;
  /** Times it made a call fail. */
  fired: number;
}

interface ActiveFault extends Fault {
  random: () => number;
}

/** mulberry32: a tiny deterministic generator; quality is ample for fault rates. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 0;

  /** Adds a fault; throws a zod error when the spec is malformed. */
  add(spec: FaultSpec): Fault {
    const parsed = faultSpecSchema.parse(spec);
    const fault: ActiveFault = {
      ...parsed,
      id: `fault-${++this.nextId}`,
      matched: 0,
      fired: 0,
      random: seededRandom(parsed.seed ?? 1),
    };
    this.faults.push(fault);
    return this.view(fault);
  }

  list(): Fault[] {
    return this.faults.map((f) => this.view(f));
  }

  /** Removes one fault; false when there was none with that id. */
  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * The error an operation call must fail with, if a fault fires for it. The
   * first matching fault that fires wins; a spent count fault is dropped.
   */
  check(operation: string): IotError | undefined {
    for (const fault of this.faults) {
      if (fault.operation !== '*' && fault.operation !== operation) continue;
      fault.matched++;
      if (fault.rate !== undefined && fault.random() >= fault.rate) continue;
      fault.fired++;
      if (fault.count !== undefined && fault.fired >= fault.count) this.remove(fault.id);
      const message = fault.message ?? `Injected ${fault.error} for ${operation}.`;
      return new IotError(fault.error, message);
    }
    return undefined;
  }

  private view(fault: ActiveFault): Fault {
    const { random: _random, ...rest } = fault;
    return { ...rest };
  }
}
