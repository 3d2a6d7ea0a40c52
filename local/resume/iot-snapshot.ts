/**
 * The IoT side of `--data-dir`: DynamoDB keeps itself on disk, but the IoT
 * emulator lives in memory, so its job templates, its jobs (with every
 * execution's status), the fleet the stack seeded and the things and groups
 * added since are written to `<data-dir>/iot.json` and put back at the next
 * start.
 *
 * What is written, and when:
 * - the fleet's size and seed: the seeded things and groups are not written,
 *   the same plan seeds the same fleet again (`planFleet` is deterministic);
 * - the things, thing groups and memberships added after the seeding
 *   (through the IoT API, or the fleet admin route), see registry-changes.ts;
 * - job templates, as created;
 * - every job that is not being deleted, with its executions and what the
 *   fleet simulator counted of its run (attempts completed, retries used),
 *   so the job's abort and retry rules go on counting after a restart;
 * - the fleet simulator's behaviour profiles;
 * - the virtual time, so the clock never goes back behind what DynamoDB recorded.
 *
 * The file is written whenever a job is created or changes status, every
 * second (the clock and the executions move), and on close; each write goes to a
 * temporary file renamed over the old one, so a killed process leaves the
 * last complete snapshot, never a torn one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { VirtualClock } from '../clock/virtual-clock.js';
import { type BehaviourProfiles, parseBehaviourProfiles } from '../fleet/behaviour-profile.js';
import type { FleetSimulator } from '../fleet/fleet-simulator.js';
import type { SavedRun } from '../fleet/job-run.js';
import type { ExecutionRecord, IotEmulator, SavedJob } from '../iot/index.js';
import {
  type RegistryChanges,
  type RegistryMark,
  registryChangesSchema,
  registryChangesSince,
  restoreRegistryChanges,
} from './registry-changes.js';

/** The snapshot file inside the data directory. */
export const iotSnapshotFile = 'iot.json';

/** How often (wall time) a changed state is written between job events. */
const flushIntervalMs = 1000;

const fleetSettingsSchema = z.object({ size: z.number().int().min(0), seed: z.string() });

/** The fleet a data directory was seeded with. */
export type FleetSettings = z.infer<typeof fleetSettingsSchema>;

interface IotSnapshot {
  version: 1;
  /** Virtual epoch ms when it was written. */
  savedAt: number;
  fleet?: FleetSettings;
  /** Absent in snapshots written before the registry was kept. */
  registry?: RegistryChanges;
  /** Absent in snapshots written before the simulator's profiles were kept, or without a simulator. */
  profiles?: BehaviourProfiles;
  templates: Record<string, unknown>[];
  /** `run` is absent in snapshots written before the simulator's counts were kept. */
  jobs: { job: SavedJob; executions: ExecutionRecord[]; run?: SavedRun }[];
}

// The records came from this emulator: only the envelope is checked, the records are trusted.
const snapshotSchema = z.object({
  version: z.literal(1),
  savedAt: z.number(),
  fleet: fleetSettingsSchema.optional(),
  registry: registryChangesSchema.optional(),
  // Checked in full when it is put back (parseBehaviourProfiles): the admin API's rules.
  profiles: z.looseObject({}).optional(),
  templates: z.array(z.record(z.string(), z.unknown())),
  jobs: z.array(
    z.object({
      job: z.looseObject({ jobId: z.string(), status: z.string() }),
      executions: z.array(z.looseObject({ thingName: z.string(), status: z.string() })),
      run: z.looseObject({ tally: z.looseObject({}), retries: z.array(z.looseObject({})) }).optional(),
    }),
  ),
});

/** Reads `<dataDir>/iot.json`; undefined when there is none. Throws on a file that is not a snapshot. */
export function readIotSnapshot(dataDir: string): IotSnapshot | undefined {
  const file = join(dataDir, iotSnapshotFile);
  if (!existsSync(file)) return undefined;
  const parsed = snapshotSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a fleetwave IoT snapshot: ${parsed.error.message}`);
  return parsed.data as unknown as IotSnapshot;
}

function takeSnapshot(
  iot: IotEmulator,
  clock: VirtualClock,
  fleet: FleetSettings | undefined,
  seeded: RegistryMark,
  simulator: FleetSimulator | undefined,
): IotSnapshot {
  const templates = [...iot.registry.templates.list.values()].map((t) => {
    const { jobTemplateArn: _arn, createdAt: _at, ...input } = t as typeof t & { seq?: number };
    delete (input as { seq?: number }).seq;
    return input as Record<string, unknown>;
  });
  const jobs = iot.jobs
    .allJobs()
    .filter((job) => job.status !== 'DELETION_IN_PROGRESS')
    .map(({ seq: _seq, executions, ...job }) => {
      const run = simulator?.runState(job.jobId);
      return { job, executions: [...executions.list().values()], ...(run && { run }) };
    });
  const registry = registryChangesSince(iot.registry.things, seeded);
  const profiles = simulator?.getProfiles();
  return {
    version: 1,
    savedAt: clock.now(),
    ...(fleet && { fleet }),
    registry,
    ...(profiles && { profiles }),
    templates,
    jobs,
  };
}

/**
 * Puts a snapshot back into a fresh emulator: the things and groups added
 * after the seeding, templates, the clock moved forward to the snapshot's
 * time if it is behind, the behaviour profiles into `simulator`, then the
 * jobs in their creation order, each with what `simulator` had counted of
 * its run. The store hands every job to the simulator attached to it: it
 * rolls out what is left of a running job, and lets every IN_PROGRESS
 * execution (of an ended job too) end by its device or its timeout, as
 * planned from when it started. Call it before anything else uses the
 * emulator, with the fleet already seeded and marked (see
 * {@link persistIot}) and the simulator attached. The registry comes back
 * before the jobs, so a thing joining a group does not count as a new
 * target of a CONTINUOUS job that already had it; the profiles come back
 * before the jobs, so a device mid-attempt follows the plan it had.
 */
export async function restoreIotSnapshot(
  iot: IotEmulator,
  clock: VirtualClock,
  snapshot: IotSnapshot,
  simulator?: FleetSimulator,
): Promise<RestoredIot> {
  const registry = snapshot.registry
    ? restoreRegistryChanges(iot.registry.things, snapshot.registry)
    : { things: 0, groups: 0 };
  let templates = 0;
  for (const template of snapshot.templates) {
    const input = template as unknown as Parameters<IotEmulator['registry']['templates']['create']>[0];
    if (iot.registry.templates.get(input.jobTemplateId)) continue;
    iot.registry.templates.create(input);
    templates++;
  }
  await clock.setTime(snapshot.savedAt);
  const profiles = snapshot.profiles !== undefined && simulator !== undefined;
  if (profiles) simulator.setProfiles(parseBehaviourProfiles(snapshot.profiles));
  for (const { job, executions, run } of snapshot.jobs) {
    iot.jobs.restoreJob(job, executions);
    if (run) simulator?.restoreRunState(job.jobId, run);
  }
  return {
    templates,
    jobs: snapshot.jobs.length,
    things: registry.things,
    thingGroups: registry.groups,
    profiles,
  };
}

/** What a snapshot brought back. */
export interface RestoredIot {
  templates: number;
  jobs: number;
  /** Things and thing groups added after the seeding, put back. */
  things: number;
  thingGroups: number;
  /** Whether the snapshot's behaviour profiles replaced the simulator's. */
  profiles: boolean;
}

export interface IotPersistence {
  /** Writes the snapshot now. */
  flush(): void;
  /** Writes a last snapshot and stops watching. */
  close(): void;
}

/**
 * Starts writing `<dataDir>/iot.json` as the emulator changes. `seeded`
 * marks the registry right after the fleet seeding: what came after it is
 * written. With `simulator`, its behaviour profiles and its count of each
 * job's run are written too.
 */
export function persistIot(
  iot: IotEmulator,
  clock: VirtualClock,
  dataDir: string,
  fleet: FleetSettings | undefined,
  seeded: RegistryMark,
  simulator?: FleetSimulator,
): IotPersistence {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, iotSnapshotFile);
  const flush = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(takeSnapshot(iot, clock, fleet, seeded, simulator)));
    renameSync(`${file}.tmp`, file);
  };
  // A job created, started, stopped or ended is what a resumed release depends on: written at once, not a second later.
  const unsubscribeJobs = iot.jobs.subscribe({
    jobCreated: flush,
    jobStarted: flush,
    jobRolloutStopped: flush,
    jobCanceled: flush,
    jobDeleted: flush,
  });
  const unsubscribeEvents = iot.events.subscribe((topic) => {
    if (topic.startsWith('$aws/events/job/')) flush();
  });
  const timer = setInterval(flush, flushIntervalMs);
  timer.unref();
  let closed = false;
  return {
    flush,
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubscribeJobs();
      unsubscribeEvents();
      flush();
    },
  };
}
