/** ListExecutions: newest first, optionally by status, paginated. */
import { z } from 'zod';
import { paginate } from '../pagination.js';
import { executionSummary } from './describe-execution.js';
import { arnField, maxResultsField, nextTokenField } from './fields.js';
import { defineOperation } from './operation.js';

export const listExecutions = defineOperation(
  z.object({
    stateMachineArn: arnField,
    statusFilter: z
      .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'])
      .optional(),
    maxResults: maxResultsField,
    nextToken: nextTokenField,
    mapRunArn: z.string().optional(),
    redriveFilter: z.enum(['REDRIVEN', 'NOT_REDRIVEN']).optional(),
  }),
  (store, input) => {
    const machine = store.machineByArn(input.stateMachineArn);
    const executions = [...machine.executions.values()]
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .sort((a, b) => b.seq - a.seq);
    const scope = `executions:${machine.arn}:${input.statusFilter ?? '*'}`;
    const { page, nextToken } = paginate(executions, (e) => e.seq, scope, input.maxResults, input.nextToken);
    return {
      executions: page.map(executionSummary),
      ...(nextToken !== undefined && { nextToken }),
    };
  },
);
