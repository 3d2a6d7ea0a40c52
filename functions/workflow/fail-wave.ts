/** FailWave: records the wave FAILED or TIMED_OUT, cancels its job, fails the release, starts its rollback if it asks for one. */
import { releaseExecutions } from '../../lib/adapters/release-executions.js';
import { failWave } from '../../lib/workflow/fail-wave.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, (deps, event) =>
  failWave({ ...deps, executions: releaseExecutions() }, event),
);
