/** WaitForProgress: keeps the wave's WAIT task token until a job event (or the safety-net timeout) wakes it. */
import { workflowTask } from '../../lib/workflow/task-handler.js';
import { awaitWaveProgress } from '../../lib/workflow/wave-wake.js';
import { waveWakeDeps } from '../../lib/workflow/wave-wake-deps.js';
import { approvalTaskEventSchema } from '../../lib/workflow/workflow-state.js';

export const handler = workflowTask(approvalTaskEventSchema, (_deps, event) =>
  awaitWaveProgress(waveWakeDeps(), event),
);
