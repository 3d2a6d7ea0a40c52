/**
 * Planning a release (`POST /releases?dryRun=true`): the checks of a real
 * request, then the plan of what the release would do, with nothing stored,
 * started or created. The things of each wave come from the workflow's own
 * rule (`assignCohorts`, which `cohortOf` applies wave by wave, here once
 * for all waves) and its CreateJob from `waveJobRequest`, run over a
 * release that is never stored, so a plan's cohorts and CreateJob requests
 * are the release's.
 *
 * IoT calls: those of the checks (DescribeJobTemplate, DescribeThingGroup,
 * DescribeThing, counted in the IoT call budget as a real request's are),
 * plus ListThingsInThingGroup over the release's groups, each read once.
 */
import { assignCohorts, cohortThingGroupName } from '../domain/cohorts.js';
import type { Release } from '../domain/release.js';
import {
  composeReleasePlan,
  planSchedule,
  type ReleasePlan,
  type WaveFacts,
} from '../domain/release-plan.js';
import { type ReleaseRequest, releaseRequestHash } from '../domain/release-request.js';
import type { ReleaseStore } from '../domain/release-store.js';
import type { ThingGroups } from '../workflow/ports.js';
import { waveCreateJob } from '../workflow/wave-jobs.js';
import { safetyNetLooks } from './plan-looks.js';
import type { JobTemplateLookup, TargetRegistry } from './ports.js';
import { admitReleaseRequest } from './release-admission.js';
import { checkTemplate } from './release-creation.js';
import type { CreateReleaseBody } from './schemas.js';

/** What a plan reads: the template, the registry, the release's thing groups, and the stored releases (for a conflict). */
export interface PlanReleaseDeps {
  store: Pick<ReleaseStore, 'getRelease'>;
  templates: JobTemplateLookup;
  registry: TargetRegistry;
  groups: Pick<ThingGroups, 'listThings'>;
}

/** What the workflow's code may do with thing groups during a plan: read them, nothing else. */
function readOnly(): never {
  throw new Error('A release plan creates, changes and deletes nothing.');
}

/**
 * The thing groups as a plan reads them: each group listed once, however
 * many times it is named (by the release and by its waves); every write
 * refused.
 */
function listedOnce(groups: Pick<ThingGroups, 'listThings'>): {
  groups: ThingGroups;
  sizes: Map<string, number>;
} {
  const lists = new Map<string, Promise<string[]>>();
  const sizes = new Map<string, number>();
  return {
    sizes,
    groups: {
      ensure: readOnly,
      addThing: readOnly,
      delete: readOnly,
      thingExists: readOnly,
      describe: readOnly,
      listThings(name, options) {
        const key = `${options.recursive}/${name}`;
        let list = lists.get(key);
        if (!list) {
          list = groups.listThings(name, options).then((things) => {
            sizes.set(name, things.length);
            return things;
          });
          lists.set(key, list);
        }
        return list;
      },
    },
  };
}

/** The release the request would store: PENDING, at `nowMs`. Only read, never written. */
function wouldBeStored(request: ReleaseRequest, nowMs: number): Release {
  const at = new Date(nowMs).toISOString();
  return {
    ...request,
    status: 'PENDING',
    version: 1,
    requestHash: releaseRequestHash(request),
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The distinct things `targets` reach: its things and its groups' members,
 * child groups included, as the workflow reads a release's fleet.
 */
async function thingsOf(
  groups: Pick<ThingGroups, 'listThings'>,
  targets: ReleaseRequest['targets'],
): Promise<Set<string>> {
  const things = new Set(targets?.things ?? []);
  for (const group of targets?.thingGroups ?? []) {
    for (const thing of await groups.listThings(group, { recursive: true })) things.add(thing);
  }
  return things;
}

/**
 * Checks `body` as `POST /releases` does, with the same release id (its
 * `releaseId`, else the one its `Idempotency-Key` stands for), and plans the
 * release it asks for. When that release is already stored for this very
 * request, the plan is of the stored request and warns `RELEASE_EXISTS`:
 * the real request would answer the stored release and start nothing.
 * @throws ValidationError (request, schedule, template or a missing target), ConflictError (the id is taken by
 *   another request), PayloadTooLargeError, ThrottledError, UpstreamError
 */
export async function planRelease(
  deps: PlanReleaseDeps,
  input: { body: CreateReleaseBody; idempotencyKey?: string | undefined; nowMs: number },
): Promise<ReleasePlan> {
  const admitted = await admitReleaseRequest(deps, {
    body: input.body,
    idempotencyKey: input.idempotencyKey,
    now: input.nowMs,
  });
  const { request } = admitted;
  // A stored release's template is read only to show its jobs; a real repeat would not read it at all.
  const template =
    admitted.kind === 'new' ? admitted.template : await checkTemplate(deps.templates, request.jobTemplateId);

  const release = wouldBeStored(request, input.nowMs);
  const schedule = planSchedule(release, template.maintenanceWindows);
  // StartWave's CreateJob: the end is judged from the release's start, when the first wave's job goes.
  const jobsFrom = Math.max(input.nowMs, schedule.startAt ?? input.nowMs);
  const fleet = listedOnce(deps.groups);
  // The fleet is read and split once for every wave: the same rule `cohortOf` applies wave by wave.
  const cohorts = request.waves.some((w) => w.percentage !== undefined)
    ? assignCohorts(request.releaseId, await thingsOf(fleet.groups, request.targets), request.waves)
    : new Map<number, string[]>();
  const waves: WaveFacts[] = [];
  for (const [index, definition] of request.waves.entries()) {
    const waveNumber = index + 1;
    const percentage = definition.percentage !== undefined;
    const thingCount = percentage
      ? (cohorts.get(waveNumber)?.length ?? 0)
      : (await thingsOf(fleet.groups, definition.targets)).size;
    const wave = {
      releaseId: request.releaseId,
      waveNumber,
      status: 'PENDING' as const,
      version: 0,
      ...(percentage && { thingGroupName: cohortThingGroupName(request.releaseId, waveNumber) }),
    };
    waves.push({
      definition,
      thingCount,
      job: waveCreateJob(release, template.jobTemplateArn, definition, wave, jobsFrom),
    });
  }
  return composeReleasePlan({
    request,
    template,
    waves,
    nowMs: input.nowMs,
    schedule,
    releaseGroupSizes: (request.targets?.thingGroups ?? []).map((g) => fleet.sizes.get(g) ?? 0),
    releaseIdDrawn: input.body.releaseId === undefined && input.idempotencyKey === undefined,
    ...(admitted.kind === 'existing' && { existingStatus: admitted.existing.release.status }),
    looksFor: safetyNetLooks,
  });
}
