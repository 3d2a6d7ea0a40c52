/** RecordFailure: where every Catch leads; the release is never left IN_PROGRESS without an execution. */
import { recordFailure } from '../../lib/workflow/record-failure.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, recordFailure);
