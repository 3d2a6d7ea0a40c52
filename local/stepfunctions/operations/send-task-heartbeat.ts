/** SendTaskHeartbeat: restarts a waiting task's `HeartbeatSeconds` countdown. */
import { z } from 'zod';
import { taskTokenField } from './fields.js';
import { defineOperation } from './operation.js';

export const sendTaskHeartbeat = defineOperation(z.object({ taskToken: taskTokenField }), (store, input) => {
  store.tokens.open(input.taskToken).heartbeat();
  return {};
});
