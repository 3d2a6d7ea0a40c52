/**
 * Puts the fleet simulator to work on the local IoT endpoint: the simulator
 * listens to the endpoint's job store, learns each thing's groups (parent
 * groups included) from the endpoint's thing registry, and serves its admin
 * routes under `/_fleetwave/` beside the fault-injection ones.
 *
 * The store's lifecycle listener does not report an execution ended through
 * the API (CancelJobExecution), so the simulator also follows the
 * `$aws/events/jobExecution/{jobId}/canceled` and `/removed` events, to
 * complete a SNAPSHOT job whose last open execution ended that way.
 */

import { NotFoundError } from '../../lib/domain/errors.js';
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { IotEmulator } from '../iot/index.js';
import { addClockRoutes, ClockMover } from './admin/clock-routes.js';
import { addExternalRoutes } from './admin/external-routes.js';
import { addFleetRoutes } from './admin/fleet-routes.js';
import type { BehaviourProfiles } from './behaviour-profile.js';
import type { FleetEvent } from './fleet-events.js';
import { createFleetSimulator, type FleetSimulator } from './fleet-simulator.js';
import { type SeedFleetOptions, type SeedFleetSummary, seedFleet } from './seed-fleet.js';
import type { ThingDirectory } from './thing-directory.js';

export interface AttachFleetOptions {
  /** The clock the endpoint was created with; the admin clock routes move it. */
  clock: VirtualClock;
  /** Same seed, same per-thing outcomes and latencies (and the default seed of a fleet plan). */
  seed: string | number;
  /** Defaults to `defaultBehaviourProfiles`. */
  profiles?: BehaviourProfiles;
}

export interface AttachedFleet {
  readonly simulator: FleetSimulator;
  /** The thing registry as the simulator reads it. */
  readonly things: ThingDirectory;
  /** Plans a fleet and creates it in the registry, as `POST /_fleetwave/fleet/seed` does; `seed` defaults to the simulator's. */
  seedFleet(options: Omit<SeedFleetOptions, 'seed'> & { seed?: string | number }): SeedFleetSummary;
  /** Receives every simulator step from now on; returns the unsubscribe function. */
  onEvent(listener: (event: FleetEvent) => void): () => void;
  /** Stops the simulator and detaches it; the admin routes answer 404 until another fleet is attached. */
  close(): void;
}

interface Attachment {
  readonly simulator: FleetSimulator;
  readonly clock: VirtualClock;
  readonly mover: ClockMover;
  readonly seed: string;
}

/** Admin routes cannot be removed, so they are registered once per endpoint and serve whichever fleet is attached. */
const slots = new WeakMap<IotEmulator, { current: Attachment | undefined }>();

function slotOf(emulator: IotEmulator): { current: Attachment | undefined } {
  const existing = slots.get(emulator);
  if (existing) return existing;
  const slot: { current: Attachment | undefined } = { current: undefined };
  slots.set(emulator, slot);
  const attached = (): Attachment => {
    if (!slot.current) throw new NotFoundError('No fleet simulator is attached to this endpoint.');
    return slot.current;
  };
  const add = (method: string, path: string, handler: Parameters<IotEmulator['addAdminRoute']>[2]) =>
    emulator.addAdminRoute(method, path, handler);
  addClockRoutes(add, attached);
  addFleetRoutes(add, () => {
    const { simulator, seed } = attached();
    return { simulator, seed, jobs: emulator.jobs, registry: emulator.registry.things };
  });
  addExternalRoutes(add, () => ({ registry: emulator.registry.things, deviceJobs: emulator.deviceJobs }));
  return slot;
}

const executionEventPrefix = '$aws/events/jobExecution/';

/** The job whose execution ended outside the simulator, from an event topic; undefined for other topics. */
function jobEndedElsewhere(topic: string): string | undefined {
  // Checked by the ending first: a rollout publishes a succeeded or failed event per execution.
  if (!topic.endsWith('/canceled') && !topic.endsWith('/removed')) return undefined;
  if (!topic.startsWith(executionEventPrefix)) return undefined;
  return topic.slice(executionEventPrefix.length, topic.lastIndexOf('/'));
}

/**
 * Attaches a fleet simulator to `emulator`. One simulator per endpoint at a
 * time: attaching a second before closing the first throws.
 */
export function attachFleetSimulator(emulator: IotEmulator, options: AttachFleetOptions): AttachedFleet {
  const slot = slotOf(emulator);
  if (slot.current)
    throw new Error('A fleet simulator is already attached to this endpoint; close it first.');
  const registry = emulator.registry.things;
  const things: ThingDirectory = { groupsOf: (thingName) => registry.groupsOf(thingName) };
  const listeners = new Set<(event: FleetEvent) => void>();
  const simulator = createFleetSimulator({
    clock: options.clock,
    jobs: emulator.jobs,
    seed: options.seed,
    profiles: options.profiles,
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
  });
  const unsubscribeEvents = emulator.events.subscribeTopics((topic) => {
    const jobId = jobEndedElsewhere(topic);
    if (jobId !== undefined) simulator.executionEndedElsewhere(jobId);
  });
  const attachment: Attachment = {
    simulator,
    clock: options.clock,
    mover: new ClockMover(options.clock),
    seed: String(options.seed),
  };
  slot.current = attachment;
  let closed = false;
  return {
    simulator,
    things,
    seedFleet: (seedOptions) =>
      seedFleet(registry, { ...seedOptions, seed: seedOptions.seed ?? attachment.seed }),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close: () => {
      if (closed) return;
      closed = true;
      unsubscribeEvents();
      simulator.stop();
      listeners.clear();
      if (slot.current === attachment) slot.current = undefined;
    },
  };
}
