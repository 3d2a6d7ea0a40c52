/** ContinueRelease: after a resume, announces it and goes back to where the release stood. */
import { continueRelease } from '../../lib/workflow/continue-release.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(taskEventSchema, continueRelease);
