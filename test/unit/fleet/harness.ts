/**
 * Shared set-up for the fleet simulator's unit tests: a manual virtual
 * clock, the fake job store, a thing directory, and the simulator's events.
 */
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import type { BehaviourProfiles } from '../../../local/fleet/behaviour-profile.js';
import type { FleetEvent } from '../../../local/fleet/fleet-events.js';
import { createFleetSimulator, type FleetSimulator } from '../../../local/fleet/fleet-simulator.js';
import { InMemoryThingDirectory } from '../../../local/fleet/thing-directory.js';
import { executionStatuses } from '../../../local/iot/jobs/job-service-port.js';
import { FakeJobService } from '../../support/fake-job-service.js';
import { fixedProfile, maxInAnyWindow } from '../../support/fleet.js';

export { maxInAnyWindow };

/** 2025-01-01T00:00:00Z: a whole second, so ticks fall on round numbers. */
const t0 = Date.UTC(2025, 0, 1);
export const minute = 60_000;

export interface Harness {
  clock: VirtualClock;
  store: FakeJobService;
  directory: InMemoryThingDirectory;
  simulator: FleetSimulator;
  events: FleetEvent[];
  /** Steps at which the counters did not add up to the number of executions. */
  counterViolations: string[];
}

export interface HarnessOptions {
  seed?: string | number;
  profiles?: BehaviourProfiles;
  groups?: Record<string, readonly string[]>;
}

export function setUp(options: HarnessOptions = {}): Harness {
  const clock = new VirtualClock({ start: t0 });
  const directory = new InMemoryThingDirectory(
    Object.entries(options.groups ?? {}).map(([thingName, groups]) => ({ thingName, groups })),
  );
  const store = new FakeJobService(clock, directory);
  const events: FleetEvent[] = [];
  const counterViolations: string[] = [];
  store.onChange = (change) => {
    const counts = store.counts(change.jobId);
    const sum = executionStatuses.reduce((total, status) => total + counts[status], 0);
    const executions = store.size(change.jobId);
    if (sum !== executions) counterViolations.push(`${JSON.stringify(change)}: ${sum} != ${executions}`);
  };
  const simulator = createFleetSimulator({
    clock,
    jobs: store,
    seed: options.seed ?? 'test-seed',
    profiles: options.profiles ?? profile({}),
    onEvent: (event) => events.push(event),
  });
  return { clock, store, directory, simulator, events, counterViolations };
}

/** A profile with fixed latencies (no spread), everyone succeeding unless `outcomes` says otherwise. */
export const profile = fixedProfile;

export function thingNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
}

export function eventsOf<T extends FleetEvent['type']>(
  events: readonly FleetEvent[],
  type: T,
  jobId?: string,
): Extract<FleetEvent, { type: T }>[] {
  return events.filter(
    (e): e is Extract<FleetEvent, { type: T }> =>
      e.type === type && (jobId === undefined || e.jobId === jobId),
  );
}
