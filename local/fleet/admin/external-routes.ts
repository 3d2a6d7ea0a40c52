/**
 * The fleet admin views of external things (attribute `fleetwave:simulated`
 * = `"false"`, played by real devices, never by the simulator):
 * - `GET /_fleetwave/fleet/external-things?maxResults=&nextToken=`: each
 *   external thing with what its device sees pending (the jobs data plane's
 *   GetPendingJobExecutions), paged as the IoT List operations page;
 * - `GET /_fleetwave/fleet/jobs/{jobId}` (fleet-routes.ts) counts a job's
 *   executions on external things by status, from {@link externalCounts}.
 */
import { z } from 'zod';
import type { DeviceJobs } from '../../iot/device-jobs/device-jobs.js';
import type { ThingRegistry } from '../../iot/index.js';
import type { ExecutionCounts, JobServicePort } from '../../iot/jobs/job-service-port.js';
import { type AddAdminRoute, adminRoute, parseBody } from './admin-route.js';

const pageQuery = z.strictObject({
  maxResults: z.coerce.number().int().min(1).max(250).default(50),
  nextToken: z.string().regex(/^\d+$/, 'must be a token from an earlier page').optional(),
});

/** The executions of `jobId` on external things, by status (external things are few: one look each). */
export function externalCounts(
  registry: ThingRegistry,
  jobs: JobServicePort,
  jobId: string,
): Partial<ExecutionCounts> {
  const counts: Partial<ExecutionCounts> = {};
  for (const key of registry.external.values()) {
    const execution = jobs.getExecution(jobId, registry.nameAt(key));
    if (execution !== undefined) counts[execution.status] = (counts[execution.status] ?? 0) + 1;
  }
  return counts;
}

/** Registers the external-things view; `contextOf` answers the registry and the device side. */
export function addExternalRoutes(
  add: AddAdminRoute,
  contextOf: () => { registry: ThingRegistry; deviceJobs: DeviceJobs },
): void {
  add(
    'GET',
    '/_fleetwave/fleet/external-things',
    adminRoute((req) => {
      const query = parseBody(pageQuery, Object.fromEntries(req.query));
      const { registry, deviceJobs } = contextOf();
      const keys = [...registry.external.values()];
      const from = Number(query.nextToken ?? 0);
      const page = keys.slice(from, from + query.maxResults);
      const things = page.map((key) => {
        const thingName = registry.nameAt(key);
        const pending = deviceJobs.pending(thingName);
        return {
          thingName,
          inProgressJobs: pending.inProgressJobs.map((j) => j.jobId),
          queuedJobs: pending.queuedJobs.map((j) => j.jobId),
        };
      });
      const next = from + page.length;
      return { body: { things, ...(next < keys.length && { nextToken: String(next) }) } };
    }),
  );
}
