/**
 * Where the bytes of a seeded fleet and of one job over it go: the live
 * heap and array buffers (after forced collections) that seeding the thing
 * registry and creating a job add, per thing. No HTTP, no simulator, no
 * timing: only what the two structures keep.
 *
 *   npx tsx --expose-gc bench/support/fleet-memory.ts [things]   (default 1,000,000)
 */
import { VirtualClock } from '../../local/clock/virtual-clock.js';
import { seedFleet } from '../../local/fleet/seed-fleet.js';
import { createIotEmulator } from '../../local/iot/index.js';

const things = Number(process.argv[2] ?? 1_000_000);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');

interface Sample {
  readonly heap: number;
  readonly buffers: number;
}

function sample(): Sample {
  collect!();
  collect!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: heapUsed, buffers: arrayBuffers };
}

function report(what: string, from: Sample, to: Sample): void {
  const heap = (to.heap - from.heap) / things;
  const buffers = (to.buffers - from.buffers) / things;
  console.log(
    `${what}: ${Math.round(heap + buffers)} B per thing ` +
      `(heap ${heap.toFixed(1)} B, array buffers ${buffers.toFixed(1)} B)`,
  );
}

const clock = new VirtualClock({ start: 0, mode: { kind: 'manual' } });
const iot = createIotEmulator({ clock });
const atStart = sample();
seedFleet(iot.registry.things, { size: things, seed: 'bench' });
const seeded = sample();
report(`thing registry, ${things} seeded things`, atStart, seeded);
const root = iot.registry.things.getThingGroup('fleet')!;
iot.jobs.createJob({ jobId: 'memory', targets: [root.thingGroupArn], targetSelection: 'SNAPSHOT' });
report(`one job's ${things} executions`, seeded, sample());
clock.stop();
