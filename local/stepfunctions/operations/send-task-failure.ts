/** SendTaskFailure: fails a `.waitForTaskToken` task with an error name `Retry`/`Catch` can match. */
import { z } from 'zod';
import { causeField, errorField, taskTokenField } from './fields.js';
import { defineOperation } from './operation.js';

export const sendTaskFailure = defineOperation(
  z.object({ taskToken: taskTokenField, error: errorField, cause: causeField }),
  (store, input) => {
    store.tokens.open(input.taskToken).fail(input.error, input.cause);
    return {};
  },
);
