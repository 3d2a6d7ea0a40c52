import { describe, expect, it } from 'vitest';
import {
  executionEventOperation,
  isLegalExecutionMove,
  mayMoveExecution,
} from '../../../local/iot/jobs/execution-transitions.js';
import { executionStatuses, terminalExecutionStatuses } from '../../../local/iot/jobs/job-service-port.js';

describe('job execution moves', () => {
  it('never moves a terminal execution', () => {
    for (const from of terminalExecutionStatuses) {
      for (const to of executionStatuses)
        expect(isLegalExecutionMove(from, to), `${from} -> ${to}`).toBe(false);
    }
  });

  it('lets a device report a terminal status straight from QUEUED, but not a timeout', () => {
    for (const to of ['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED', 'REMOVED'] as const) {
      expect(isLegalExecutionMove('QUEUED', to)).toBe(true);
    }
    expect(isLegalExecutionMove('QUEUED', 'TIMED_OUT')).toBe(false);
    expect(isLegalExecutionMove('QUEUED', 'QUEUED')).toBe(false);
  });

  it('lets an IN_PROGRESS execution time out or update its details', () => {
    expect(isLegalExecutionMove('IN_PROGRESS', 'TIMED_OUT')).toBe(true);
    expect(isLegalExecutionMove('IN_PROGRESS', 'IN_PROGRESS')).toBe(true);
    expect(isLegalExecutionMove('IN_PROGRESS', 'QUEUED')).toBe(false);
  });

  it('names the event operation of each terminal status as the AWS topics do', () => {
    expect(executionEventOperation('TIMED_OUT')).toBe('timed_out');
    expect(executionEventOperation('SUCCEEDED')).toBe('succeeded');
    expect(executionEventOperation('IN_PROGRESS')).toBeUndefined();
    expect(executionEventOperation('QUEUED')).toBeUndefined();
  });

  it('lets a device take a QUEUED execution only while its job runs, and nothing move while it is deleted', () => {
    expect(mayMoveExecution('IN_PROGRESS', 'QUEUED', 'IN_PROGRESS')).toBe(true);
    for (const job of ['CANCELED', 'COMPLETED', 'SCHEDULED'] as const) {
      expect(mayMoveExecution(job, 'QUEUED', 'IN_PROGRESS'), job).toBe(false);
      expect(mayMoveExecution(job, 'QUEUED', 'SUCCEEDED'), job).toBe(false);
      expect(mayMoveExecution(job, 'QUEUED', 'CANCELED'), job).toBe(true);
      expect(mayMoveExecution(job, 'IN_PROGRESS', 'SUCCEEDED'), job).toBe(true);
    }
    expect(mayMoveExecution('DELETION_IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED')).toBe(false);
    expect(mayMoveExecution('IN_PROGRESS', 'SUCCEEDED', 'FAILED')).toBe(false);
  });
});
