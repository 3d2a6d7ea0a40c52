/**
 * The emulator stores an execution's status as its index in the list of
 * job execution statuses (execution-table.ts): the codes are pinned here,
 * so that reordering the list is a deliberate change of the encoding.
 */
import { describe, expect, it } from 'vitest';
import { executionStatuses } from '../../../local/iot/jobs/job-service-port.js';

describe('the emulator’s execution status encoding', () => {
  it('gives each status its code', () => {
    const codes = Object.fromEntries(executionStatuses.map((status, code) => [status, code]));
    expect(codes).toEqual({
      QUEUED: 0,
      IN_PROGRESS: 1,
      SUCCEEDED: 2,
      FAILED: 3,
      TIMED_OUT: 4,
      REJECTED: 5,
      REMOVED: 6,
      CANCELED: 7,
    });
  });
});
