/**
 * The dispatch table: every IoT operation the endpoint answers. The router
 * matches method and path against these entries; literal paths come before
 * labelled ones so `/thing-groups/addThingToThingGroup` is never read as a
 * group name.
 */
import { addThingToThingGroup } from './add-thing-to-thing-group.js';
import { attachThingPrincipal } from './attach-thing-principal.js';
import { cancelJob } from './cancel-job.js';
import { cancelJobExecution } from './cancel-job-execution.js';
import { createJob } from './create-job.js';
import { createJobTemplate } from './create-job-template.js';
import { createKeysAndCertificate } from './create-keys-and-certificate.js';
import { createThing } from './create-thing.js';
import { createThingGroup } from './create-thing-group.js';
import { deleteJob } from './delete-job.js';
import { deleteJobTemplate } from './delete-job-template.js';
import { deleteThingGroup } from './delete-thing-group.js';
import { describeCertificate } from './describe-certificate.js';
import { describeEndpoint } from './describe-endpoint.js';
import { describeJob } from './describe-job.js';
import { describeJobExecution } from './describe-job-execution.js';
import { describeJobTemplate } from './describe-job-template.js';
import { describeThing } from './describe-thing.js';
import { describeThingGroup } from './describe-thing-group.js';
import { detachThingPrincipal } from './detach-thing-principal.js';
import { getJobDocument } from './get-job-document.js';
import { listCertificates } from './list-certificates.js';
import { listJobExecutionsForJob } from './list-job-executions-for-job.js';
import { listJobExecutionsForThing } from './list-job-executions-for-thing.js';
import { listJobTemplates } from './list-job-templates.js';
import { listJobs } from './list-jobs.js';
import { listThingGroups } from './list-thing-groups.js';
import { listThingPrincipals } from './list-thing-principals.js';
import { listThings } from './list-things.js';
import { listThingsInThingGroup } from './list-things-in-thing-group.js';
import type { IotOperation } from './operation.js';
import { updateCertificate } from './update-certificate.js';
import { updateThing } from './update-thing.js';

export const iotOperations: readonly IotOperation[] = [
  createJobTemplate,
  describeJobTemplate,
  listJobTemplates,
  deleteJobTemplate,
  createJob,
  describeJob,
  listJobs,
  cancelJob,
  deleteJob,
  getJobDocument,
  listJobExecutionsForJob,
  describeJobExecution,
  listJobExecutionsForThing,
  cancelJobExecution,
  createThing,
  describeThing,
  updateThing,
  listThings,
  addThingToThingGroup,
  createThingGroup,
  describeThingGroup,
  deleteThingGroup,
  listThingGroups,
  listThingsInThingGroup,
  createKeysAndCertificate,
  updateCertificate,
  describeCertificate,
  listCertificates,
  attachThingPrincipal,
  detachThingPrincipal,
  listThingPrincipals,
  describeEndpoint,
];
