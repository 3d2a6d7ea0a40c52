/** CheckWave: DescribeJob, record progress, decide: poll again, bake, succeed or fail. */
import { checkWave } from '../../lib/workflow/check-wave.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, checkWave);
