/**
 * The fleet simulator's admin routes:
 * - `POST /_fleetwave/fleet/seed` `{size, seed?, canaryShare?, canaryGroupName?, regions?, hardware?, rootGroupName?}`:
 *   creates the planned things and thing groups in the IoT registry and
 *   answers a summary (see `seedFleet`);
 * - `GET /_fleetwave/fleet/profiles` and `PUT /_fleetwave/fleet/profiles`:
 *   the behaviour profiles (validated by `parseBehaviourProfiles`);
 * - `GET /_fleetwave/fleet/jobs/{jobId}`: the simulator's view of one job's
 *   rollout, with the store's execution counters, and those of its
 *   executions on external things (`externalExecutions`, external-routes.ts).
 */
import { z } from 'zod';
import { NotFoundError } from '../../../lib/domain/errors.js';
import type { ThingRegistry } from '../../iot/index.js';
import type { JobServicePort } from '../../iot/jobs/job-service-port.js';
import { parseBehaviourProfiles } from '../behaviour-profile.js';
import type { FleetSimulator } from '../fleet-simulator.js';
import { seedFleet } from '../seed-fleet.js';
import { type AddAdminRoute, adminRoute, parseBody } from './admin-route.js';
import { externalCounts } from './external-routes.js';

/** A thing-group name, as IoT accepts it. */
const groupName = z
  .string()
  .min(1, 'must be at least 1 character')
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-zA-Z0-9:_-]+$/, 'must match [a-zA-Z0-9:_-]+');

const weightedGroups = z
  .array(
    z.strictObject({
      groupName,
      // Thing names are `<hardware code>-<region code>-<serial>`: keep them valid and short.
      code: z
        .string()
        .min(1)
        .max(16, 'must be at most 16 characters')
        .regex(/^[a-zA-Z0-9_]+$/, 'must match [a-zA-Z0-9_]+'),
      weight: z.number().min(0, 'must be at least 0'),
    }),
  )
  .min(1, 'must hold at least 1 group')
  .max(50, 'must hold at most 50 groups');

const seedSchema = z.strictObject({
  size: z
    .number()
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .max(1_000_000, 'must be at most 1000000'),
  seed: z.union([z.string().min(1).max(256), z.number()]).optional(),
  canaryShare: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').optional(),
  canaryGroupName: groupName.optional(),
  regions: weightedGroups.optional(),
  hardware: weightedGroups.optional(),
  rootGroupName: groupName.nullable().optional(),
});

/** What the fleet routes work on: the attached simulator and the endpoint it serves. */
export interface FleetRouteContext {
  simulator: FleetSimulator;
  jobs: JobServicePort;
  registry: ThingRegistry;
  /** The simulator's seed, used for a fleet plan that gives none. */
  seed: string;
}

/** Registers the fleet routes; `fleetOf` answers the attached fleet (or throws NotFoundError). */
export function addFleetRoutes(add: AddAdminRoute, fleetOf: () => FleetRouteContext): void {
  add(
    'POST',
    '/_fleetwave/fleet/seed',
    adminRoute((req) => {
      const options = parseBody(seedSchema, req.body);
      const fleet = fleetOf();
      return { body: seedFleet(fleet.registry, { ...options, seed: options.seed ?? fleet.seed }) };
    }),
  );
  add(
    'GET',
    '/_fleetwave/fleet/profiles',
    adminRoute(() => ({ body: fleetOf().simulator.getProfiles() })),
  );
  add(
    'PUT',
    '/_fleetwave/fleet/profiles',
    adminRoute((req) => {
      const { simulator } = fleetOf();
      simulator.setProfiles(parseBehaviourProfiles(req.body));
      return { body: simulator.getProfiles() };
    }),
  );
  add(
    'GET',
    '/_fleetwave/fleet/jobs/{jobId}',
    adminRoute((req) => {
      const jobId = req.params.jobId ?? '';
      const { simulator, jobs } = fleetOf();
      const stats = simulator.jobStats(jobId);
      const job = jobs.getJob(jobId);
      if (!stats || !job) throw new NotFoundError(`The fleet simulator has no job ${jobId}.`, jobId);
      const externalExecutions = externalCounts(fleetOf().registry, jobs, jobId);
      return { body: { ...stats, status: job.status, executions: jobs.counts(jobId), externalExecutions } };
    }),
  );
}
