import { describe, expect, it } from 'vitest';
import { isValidSfnName, parseSfnArn } from '../../../local/stepfunctions/arn.js';
import { paginate } from '../../../local/stepfunctions/pagination.js';
import { TaskTokenRegistry } from '../../../local/stepfunctions/runtime/task-tokens.js';

describe('Step Functions names and ARNs', () => {
  it('accepts what AWS accepts and refuses whitespace, brackets, wildcards, specials and over 80 chars', () => {
    expect(isValidSfnName('release-2026_01.wave-3')).toBe(true);
    expect(isValidSfnName('x'.repeat(80))).toBe(true);
    for (const bad of [
      '',
      'x'.repeat(81),
      'a b',
      'a<b',
      'a{b',
      'a[b',
      'a?b',
      'a*b',
      'a"b',
      'a#b',
      'a%b',
      'a:b',
      'a/b',
      'a\tb',
      'a\u0085b',
    ]) {
      expect(isValidSfnName(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('splits an execution ARN and refuses an ARN of another type: InvalidArn', () => {
    expect(parseSfnArn('arn:aws:states:us-east-1:000000000000:execution:release:r-1', 'execution')).toEqual({
      region: 'us-east-1',
      accountId: '000000000000',
      machineName: 'release',
      executionName: 'r-1',
    });
    expect(() =>
      parseSfnArn('arn:aws:states:us-east-1:000000000000:stateMachine:release', 'execution'),
    ).toThrow(expect.objectContaining({ name: 'InvalidArn' }));
  });
});

describe('TaskTokenRegistry', () => {
  const callbacks = { succeed: () => undefined, fail: () => undefined, heartbeat: () => undefined };

  it('opens a live token, then answers TaskTimedOut once its task has ended', () => {
    const tokens = new TaskTokenRegistry();
    const token = tokens.issue('arn:x', 'Approve', callbacks);
    expect(tokens.open(token)).toBe(callbacks);
    tokens.close(token);
    expect(() => tokens.open(token)).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('tells a well-formed unknown token (TaskDoesNotExist) from garbage (InvalidToken)', () => {
    const elsewhere = new TaskTokenRegistry().issue('arn:x', 'Approve', callbacks);
    const tokens = new TaskTokenRegistry();
    expect(() => tokens.open(elsewhere)).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
    expect(() => tokens.open('AQnot-base64-json')).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
  });

  it('issues a fresh token each time', () => {
    const tokens = new TaskTokenRegistry();
    expect(tokens.issue('arn:x', 'A', callbacks)).not.toBe(tokens.issue('arn:x', 'A', callbacks));
  });
});

describe('paginate', () => {
  it('resumes after the item the token names, and refuses a token of another listing', () => {
    const items = [5, 4, 3, 2, 1];
    const first = paginate(items, (n) => n, 'a', 2, undefined);
    expect(first.page).toEqual([5, 4]);
    const second = paginate(items, (n) => n, 'a', 2, first.nextToken);
    expect(second.page).toEqual([3, 2]);
    expect(paginate(items, (n) => n, 'a', 2, second.nextToken)).toEqual({ page: [1] });
    expect(() => paginate(items, (n) => n, 'b', 2, first.nextToken)).toThrow(
      expect.objectContaining({ name: 'InvalidToken' }),
    );
  });
});
