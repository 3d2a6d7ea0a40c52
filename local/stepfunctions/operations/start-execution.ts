/**
 * StartExecution. Idempotent as AWS documents it for STANDARD workflows: the
 * same name and input as a RUNNING execution returns that execution's ARN and
 * start date; a different input, or a name already used by a closed
 * execution, is `ExecutionAlreadyExists`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assertValidSfnName, executionArn } from '../arn.js';
import { sfnError } from '../errors.js';
import { tryParseJson } from '../json.js';
import { epochSeconds } from '../protocol.js';
import { Execution } from '../runtime/execution.js';
import { arnField, payloadField } from './fields.js';
import { defineOperation } from './operation.js';

export const startExecution = defineOperation(
  z.object({
    stateMachineArn: arnField,
    name: z.string().optional(),
    input: payloadField.optional(),
    traceHeader: z.string().max(256).optional(),
  }),
  (store, request) => {
    const machine = store.machineByArn(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    assertValidSfnName(name);
    const input = request.input ?? '{}';
    if (!tryParseJson(input))
      throw sfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input}'`);
    const arn = executionArn(store.location, machine.name, name);
    const existing = machine.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: existing.arn, startDate: epochSeconds(existing.startDate) };
      }
      throw sfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new Execution(arn, name, machine, input, store.nextSeq(), store.services);
    machine.executions.set(name, execution);
    store.executions.set(arn, execution);
    execution.start();
    return { executionArn: arn, startDate: epochSeconds(execution.startDate) };
  },
);
