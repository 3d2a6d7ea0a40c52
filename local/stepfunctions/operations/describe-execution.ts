/** DescribeExecution. */
import { z } from 'zod';
import { epochSeconds } from '../protocol.js';
import type { Execution } from '../runtime/execution.js';
import { arnField } from './fields.js';
import { defineOperation } from './operation.js';

/** The members DescribeExecution and ListExecutions share. */
export function executionSummary(execution: Execution) {
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.machine.arn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    ...(execution.stopDate !== undefined && { stopDate: epochSeconds(execution.stopDate) }),
  };
}

export const describeExecution = defineOperation(
  z.object({ executionArn: arnField, includedData: z.enum(['ALL_DATA', 'METADATA_ONLY']).optional() }),
  (store, input) => {
    const execution = store.executionByArn(input.executionArn);
    const withData = input.includedData !== 'METADATA_ONLY';
    return {
      ...executionSummary(execution),
      ...(withData && { input: execution.input, inputDetails: { included: true } }),
      ...(withData &&
        execution.output !== undefined && { output: execution.output, outputDetails: { included: true } }),
      ...(execution.error !== undefined && { error: execution.error }),
      ...(execution.cause !== undefined && { cause: execution.cause }),
    };
  },
);
