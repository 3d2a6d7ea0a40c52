/** ListJobs: `GET /jobs?status&targetSelection&thingGroupName&thingGroupId&namespaceId&maxResults&nextToken`. */
import { z } from 'zod';
import { targetSelections } from '../../../lib/domain/iot-job-settings.js';
import type { JobRecord } from '../jobs/job-records.js';
import { paginate } from '../pagination.js';
import {
  defaultPageSize,
  jobStatusQuery,
  maxResultsQuery,
  nextTokenQuery,
  noInput,
  thingNameSchema,
} from '../validation/fields.js';
import { firstGroupId, jobSummary } from './job-views.js';
import { defineOperation } from './operation.js';

export const listJobs = defineOperation({
  name: 'ListJobs',
  method: 'GET',
  path: '/jobs',
  schemas: {
    params: noInput,
    query: z.object({
      status: jobStatusQuery,
      targetSelection: z.enum(targetSelections).optional(),
      thingGroupName: thingNameSchema.optional(),
      thingGroupId: z.string().min(1).max(128).optional(),
      namespaceId: z.string().min(1).max(64).optional(),
      maxResults: maxResultsQuery,
      nextToken: nextTokenQuery,
    }),
    body: noInput,
  },
  run(ctx, { query }) {
    const groupName =
      query.thingGroupName ??
      (query.thingGroupId === undefined
        ? undefined
        : groupNameById(ctx.things.groupList.values(), query.thingGroupId));
    const groupArn = groupName === undefined ? undefined : ctx.arns.thingGroup(groupName);
    const filtering = query.thingGroupName !== undefined || query.thingGroupId !== undefined;
    const accepts = (job: JobRecord) =>
      (query.status === undefined || job.status === query.status) &&
      (query.targetSelection === undefined || job.targetSelection === query.targetSelection) &&
      (query.namespaceId === undefined || job.namespaceId === query.namespaceId) &&
      (!filtering || (groupArn !== undefined && job.targets.includes(groupArn)));
    const page = paginate(ctx.jobs.jobList, 'jobs', query, defaultPageSize, accepts);
    const groupId = (name: string) => ctx.things.getThingGroup(name)?.thingGroupId;
    return {
      jobs: page.items.map((job) => jobSummary(job, firstGroupId(job, ctx.arns, groupId))),
      nextToken: page.nextToken,
    };
  },
});

function groupNameById(
  groups: Iterable<{ thingGroupName: string; thingGroupId: string }>,
  id: string,
): string | undefined {
  for (const g of groups) if (g.thingGroupId === id) return g.thingGroupName;
  return undefined;
}
