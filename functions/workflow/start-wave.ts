/** StartWave: creates (or adopts) the wave's IoT job from the job template. */
import { startWave } from '../../lib/workflow/start-wave.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, startWave);
