/** RefuseApproval: an approval refused or never given fails the release. */
import { refuseApproval } from '../../lib/workflow/refuse-approval.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(taskEventSchema, refuseApproval);
