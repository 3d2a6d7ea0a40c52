/** FinishRelease: every wave succeeded; records and announces the release SUCCEEDED. */
import { finishRelease } from '../../lib/workflow/finish-release.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(taskEventSchema, finishRelease);
