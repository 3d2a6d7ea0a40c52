/** RequestApproval: keeps the approval gate's task token and moves the release to WAITING_APPROVAL. */
import { requestApproval } from '../../lib/workflow/request-approval.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { sfnWaveWaker } from '../../lib/workflow/wave-wake-deps.js';
import { approvalTaskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(approvalTaskEventSchema, (deps, event) =>
  requestApproval({ ...deps, waker: sfnWaveWaker() }, event),
);
