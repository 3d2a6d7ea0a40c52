/** SendTaskSuccess: completes a `.waitForTaskToken` task with a JSON output. */
import { z } from 'zod';
import { sfnError } from '../errors.js';
import { tryParseJson } from '../json.js';
import { payloadField, taskTokenField } from './fields.js';
import { defineOperation } from './operation.js';

export const sendTaskSuccess = defineOperation(
  z.object({ taskToken: taskTokenField, output: payloadField }),
  (store, input) => {
    if (!tryParseJson(input.output)) throw sfnError('InvalidOutput', `Invalid Output: '${input.output}'`);
    store.tokens.open(input.taskToken).succeed(input.output);
    return {};
  },
);
