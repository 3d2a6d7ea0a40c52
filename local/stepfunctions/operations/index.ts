/** The dispatch table: `X-Amz-Target` operation name → operation. */
import { createStateMachine } from './create-state-machine.js';
import { describeExecution } from './describe-execution.js';
import { describeStateMachine } from './describe-state-machine.js';
import { getExecutionHistory } from './get-execution-history.js';
import { listExecutions } from './list-executions.js';
import { listStateMachines } from './list-state-machines.js';
import type { SfnOperation } from './operation.js';
import { sendTaskFailure } from './send-task-failure.js';
import { sendTaskHeartbeat } from './send-task-heartbeat.js';
import { sendTaskSuccess } from './send-task-success.js';
import { startExecution } from './start-execution.js';
import { stopExecution } from './stop-execution.js';

export const sfnOperations: Readonly<Record<string, SfnOperation<unknown>>> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  ListStateMachines: listStateMachines,
  StartExecution: startExecution,
  DescribeExecution: describeExecution,
  ListExecutions: listExecutions,
  StopExecution: stopExecution,
  GetExecutionHistory: getExecutionHistory,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
};
