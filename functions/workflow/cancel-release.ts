/** CancelRelease: a release canceled through the API stops cleanly (waves, job, tokens), its status kept. */
import { cancelRelease } from '../../lib/workflow/cancel-release.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, cancelRelease);
