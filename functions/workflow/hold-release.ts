/** HoldRelease: keeps the hold's task token on the release and moves it to PAUSED. */
import { holdRelease } from '../../lib/workflow/hold-release.js';
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { sfnWaveWaker } from '../../lib/workflow/wave-wake-deps.js';
import { approvalTaskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(approvalTaskEventSchema, (deps, event) =>
  holdRelease({ ...deps, waker: sfnWaveWaker() }, event),
);
