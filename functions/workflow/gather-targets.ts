/** GatherTargets: puts a retry's or rollback's things in its thing group, a bounded part per invocation. */
import { config } from '../../lib/config.js';
import { gatherTargets, pagesPerInvocation } from '../../lib/workflow/gather-targets.js';
import { pacedWorkflowTask } from '../../lib/workflow/task-handler.js';
import { taskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = pacedWorkflowTask(taskEventSchema, (deps, event) =>
  gatherTargets(deps, event, pagesPerInvocation(config().iotCallsPerSecond)),
);
