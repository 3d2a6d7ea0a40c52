import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../local/iot/faults/fault-injector.js';

const fires = (faults: FaultInjector, operation: string, n: number) =>
  Array.from({ length: n }, () => faults.check(operation)?.name ?? 'ok');

describe('FaultInjector', () => {
  it('fires a fault without count or rate on every call until cleared', () => {
    const faults = new FaultInjector();
    faults.add({ operation: 'CreateJob', error: 'InternalFailureException' });
    expect(fires(faults, 'CreateJob', 3)).toEqual(Array(3).fill('InternalFailureException'));
    faults.clear();
    expect(fires(faults, 'CreateJob', 1)).toEqual(['ok']);
  });

  it('gives the error its AWS status and the given message', () => {
    const faults = new FaultInjector();
    faults.add({ operation: '*', error: 'LimitExceededException', count: 1, message: 'too many' });
    const error = faults.check('DeleteJob');
    expect(error).toMatchObject({ name: 'LimitExceededException', status: 410, message: 'too many' });
  });

  it('draws the same failures for the same seed and different ones for another seed', () => {
    const run = (seed: number) => {
      const faults = new FaultInjector();
      faults.add({ operation: 'DescribeJob', error: 'ThrottlingException', rate: 0.5, seed });
      return fires(faults, 'DescribeJob', 64).join();
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });

  it('counts the calls a fault matched and the times it fired', () => {
    const faults = new FaultInjector();
    const fault = faults.add({ operation: 'ListJobs', error: 'ThrottlingException', rate: 0 });
    fires(faults, 'ListJobs', 5);
    expect(faults.list()).toEqual([expect.objectContaining({ id: fault.id, matched: 5, fired: 0 })]);
  });

  it('refuses an unknown error name', () => {
    const faults = new FaultInjector();
    expect(() =>
      faults.add({ operation: 'ListJobs', error: 'TeapotException' as 'ThrottlingException' }),
    ).toThrow();
  });
});
