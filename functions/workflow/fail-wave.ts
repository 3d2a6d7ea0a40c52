/** FailWave: records the wave FAILED or TIMED_OUT, cancels its job, fails the release. */
import { failWave } from '../../lib/workflow/fail-wave.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, failWave);
