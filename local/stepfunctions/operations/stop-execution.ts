/** StopExecution: the execution ends ABORTED with the given error and cause. */
import { z } from 'zod';
import { epochSeconds } from '../protocol.js';
import { arnField, causeField, errorField } from './fields.js';
import { defineOperation } from './operation.js';

export const stopExecution = defineOperation(
  z.object({ executionArn: arnField, error: errorField, cause: causeField }),
  async (store, input) => {
    const execution = store.executionByArn(input.executionArn);
    // Stopping a closed execution changes nothing.
    if (execution.status === 'RUNNING') await execution.stop(input.error, input.cause);
    return { stopDate: epochSeconds(execution.stopDate ?? store.clock.now()) };
  },
);
