/**
 * PrepareWave: records the next wave IN_PROGRESS with its job id and, for a percentage wave, fills
 * its cohort thing group; a halted wave, resumed, gets its follow-up job (its executions listed
 * within the IoT call budget, hence paced).
 */
import { prepareWave } from '../../lib/workflow/prepare-wave.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, prepareWave);
