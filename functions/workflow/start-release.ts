/** StartRelease: records the release IN_PROGRESS, resolves its job template, announces it. */
import { startRelease } from '../../lib/workflow/start-release.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, startRelease);
