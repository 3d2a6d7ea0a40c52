import { describe, expect, it } from 'vitest';
import { checkPositionals, parseCommandArgs, splitCommandWords } from '../../../cli/args/parse.js';
import type { CommandInfo } from '../../../cli/args/spec.js';
import { closest } from '../../../cli/args/suggest.js';
import { durationValue, formatDuration, integerValue, listValue } from '../../../cli/args/values.js';
import { UsageError } from '../../../cli/errors.js';

const command: CommandInfo = {
  path: ['releases', 'watch'],
  summary: 'watch',
  positionals: [{ name: 'RELEASE_ID', description: 'id' }],
  options: [
    { name: 'interval', type: 'string', valueName: 'DURATION', description: '' },
    { name: 'no-wait-approval', type: 'boolean', description: '' },
    { name: 'file', short: 'f', type: 'string', description: '' },
  ],
  examples: [],
};

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('command words', () => {
  const known = [
    ['releases', 'watch'],
    ['releases', 'get'],
  ];
  const isPath = (words: readonly string[]) => known.some((p) => words.every((w, i) => p[i] === w));

  it('takes the words that extend a command path and leaves the positional behind', () => {
    expect(splitCommandWords(['releases', 'get', 'watch'], isPath)).toEqual({
      words: ['releases', 'get'],
      rest: ['watch'],
    });
  });

  it('skips a global option value given before the command', () => {
    expect(splitCommandWords(['--api-url', 'http://x', 'releases', 'watch', 'r1'], isPath)).toEqual({
      words: ['releases', 'watch'],
      rest: ['--api-url', 'http://x', 'r1'],
    });
  });
});

describe('option parsing', () => {
  it('reads string, boolean, short and global options and positionals', () => {
    const args = parseCommandArgs(command, [
      'r1',
      '--interval',
      '5s',
      '--no-wait-approval',
      '-f',
      'x.yaml',
      '--json',
    ]);
    expect(args.string('interval')).toBe('5s');
    expect(args.flag('no-wait-approval')).toBe(true);
    expect(args.string('file')).toBe('x.yaml');
    expect(args.flag('json')).toBe(true);
    expect(checkPositionals(command, args)).toEqual(['r1']);
  });

  it('refuses an unknown option and suggests the closest one', () => {
    const error = usageError(() => parseCommandArgs(command, ['--intervall', '5s']));
    expect(error.message).toBe("unknown option '--intervall'. Did you mean '--interval'?");
    expect(error.usageOf).toEqual(['releases', 'watch']);
  });

  it('refuses a string option without its value', () => {
    expect(usageError(() => parseCommandArgs(command, ['--interval'])).message).toBe(
      'option --interval needs a value (DURATION)',
    );
  });

  it('refuses to take the next option as a value', () => {
    expect(usageError(() => parseCommandArgs(command, ['--interval', '--json'])).message).toContain(
      "needs a value (DURATION); got the option '--json'",
    );
  });

  it('refuses a value on a boolean option', () => {
    expect(usageError(() => parseCommandArgs(command, ['--json=yes'])).message).toBe(
      "option --json takes no value (got 'yes')",
    );
  });

  it('names a missing positional and an extra one', () => {
    expect(usageError(() => checkPositionals(command, parseCommandArgs(command, []))).message).toBe(
      'missing RELEASE_ID',
    );
    expect(usageError(() => checkPositionals(command, parseCommandArgs(command, ['a', 'b']))).message).toBe(
      "unexpected argument 'b'",
    );
  });
});

describe('option values', () => {
  it('reads durations with units, a bare number as seconds', () => {
    expect(durationValue('interval', '2', 100)).toBe(2000);
    expect(durationValue('interval', '500ms', 100)).toBe(500);
    expect(durationValue('interval', '1.5m', 100)).toBe(90_000);
    expect(durationValue('timeout', '2h', 100)).toBe(7_200_000);
  });

  it('refuses a duration below the minimum or without a number', () => {
    expect(usageError(() => durationValue('interval', '50ms', 100)).message).toContain('at least 100ms');
    expect(() => durationValue('interval', 'soon', 100)).toThrow(UsageError);
  });

  it('checks integer ranges and list items', () => {
    expect(integerValue('limit', '250', 1, 250)).toBe(250);
    expect(usageError(() => integerValue('limit', '251', 1, 250)).message).toBe(
      "--limit must be an integer from 1 to 250 (got '251')",
    );
    expect(() => integerValue('limit', '2.5', 1, 250)).toThrow(UsageError);
    expect(listValue('targets', ' a, b ')).toEqual(['a', 'b']);
    expect(() => listValue('targets', 'a,,b')).toThrow(UsageError);
  });

  it('formats durations for people', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(65_000)).toBe('1m 5s');
    expect(formatDuration(3_780_000)).toBe('1h 3m');
  });
});

describe('suggestions', () => {
  it('suggests a close word or the only word with that prefix, and nothing for a stranger', () => {
    expect(closest('relases', ['releases', 'templates', 'local'])).toBe('releases');
    expect(closest('temp', ['releases', 'templates', 'local'])).toBe('templates');
    expect(closest('deploy', ['releases', 'templates', 'local'])).toBeUndefined();
  });
});
