/** PrepareWave: records the next wave IN_PROGRESS with its job id and, for a percentage wave, fills its cohort thing group. */
import { prepareWave } from '../../lib/workflow/prepare-wave.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(taskEventSchema, prepareWave);
