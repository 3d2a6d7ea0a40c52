/**
 * The AWS side of waking waves: SendTaskSuccess over `@aws-sdk/client-sfn`
 * (errors translated as the release API's executions adapter does), and the
 * process's dependencies for the wait task and the IoT job-events trigger.
 * Neither needs the state machine's ARN: a task token names its task.
 */
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { fromSfnError, sfnClient } from '../adapters/release-executions.js';
import { perConfig } from '../config.js';
import { workflowDeps } from './deps.js';
import type { WaveWakeDeps, WaveWaker } from './wave-wake.js';

/** The task no longer waits for this token: the wake is moot, not an error. */
const TASK_GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** {@link WaveWaker} on the process's Step Functions client. */
export const sfnWaveWaker: () => WaveWaker = perConfig((c) => ({
  wake: async (taskToken, output) => {
    try {
      await sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'delivered';
    } catch (error) {
      if (error instanceof Error && TASK_GONE.has(error.name)) return 'task-gone';
      throw fromSfnError(error, c.aws.throttleRetryAfterSeconds);
    }
  },
}));

/** The process's wave-waking dependencies. @throws ConfigError when FLEETWAVE_TABLE is not set */
export function waveWakeDeps(): WaveWakeDeps {
  return { store: workflowDeps().store, waker: sfnWaveWaker() };
}
