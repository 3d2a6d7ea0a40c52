/** CheckBake: re-checks a baking wave's failures; ends it SUCCEEDED once the bake is over. */
import { checkBake } from '../../lib/workflow/check-bake.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, checkBake);
